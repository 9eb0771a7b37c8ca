# ruff: noqa: E501
"""The page header of base.html (the public bar, the account links, the language switch and
the work bar) and its footer, built in Python.

Every page renders them. In the template engine they cost ~1.5 ms of CPU a page signed in
and ~0.8 ms signed out (a dozen loops and fifty comparisons resolved node by node), about a
fifth of a page's budget (docs/performance.md, "Page budgets"); as text built here they cost
a tenth of that. Text translated from the template's literals is not escaped, as the
template's `{% translate %}` of a literal is not; every other value is. The output is what
the template wrote, byte for byte (compared on every page of every role in both languages
when the bars moved here; tests/portal/test_header.py keeps what a person sees); what the
bars contain is portal.navigation's. The long lines are the template's markup as it was.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhicheng.core.markup import escape_text as esc

from .navigation import NavLink


@functools.cache
def _urls(urlconf: Any, prefix: str) -> dict[str, str]:  # noqa: ARG001 - the cache's key
    """The header's fixed addresses per URLconf and script prefix (reverse() a page each)."""
    names = ("portal:home", "account_login", "my_account", "account_logout", "set_language",
             "portal:notice_current")
    return {name: reverse(name) for name in names}


def _link(link: NavLink, path: str) -> str:
    here = path == link.url
    count = ""
    if link.count:
        count = (f' <span class="badge rounded-pill zc-count">{esc(link.count)}'
                 f'<span class="visually-hidden">{esc(link.count_label)}</span></span>')
    return (f'<li class="nav-item"><a class="nav-link{" active" if here else ""}" '
            f'{"aria-current=\"page\"" if here else ""} href="{esc(link.url)}">'
            f"{esc(link.label)}{count}</a></li>")


def _csrf_input(context: Any) -> str:
    """What `{% csrf_token %}` writes."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return str(format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token))


def header_html(context: Any) -> str:
    request = context["request"]
    user = context.get("user")
    path = request.path
    urls = _urls(get_urlconf(), get_script_prefix())
    lang = get_language()
    title = esc(context["site_title"])
    out = [
        f"""<nav class="navbar navbar-expand-lg navbar-dark zc-navbar" aria-label="{_('主导航')}">
      <div class="container">
        <a class="navbar-brand fw-semibold" href="{esc(urls['portal:home'])}">{title}</a>
        <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#zc-nav"
                aria-controls="zc-nav" aria-expanded="false" aria-label="{_('展开导航')}">
          <span class="navbar-toggler-icon"></span>
        </button>
        <div class="collapse navbar-collapse" id="zc-nav">
          <ul class="navbar-nav me-auto">
            """]
    for link in context["public_nav"]:
        out.append(f"\n            {_link(link, path)}\n            ")
    out.append("\n          </ul>\n          <ul class=\"navbar-nav align-items-lg-center\">\n"
               "            \n            ")
    signed_in = bool(getattr(user, "is_authenticated", False))
    account, login = urls["my_account"], urls["account_login"]
    if signed_in:
        out.append(
            f'\n              <li class="nav-item"><a class="nav-link'
            f'{" active" if path == account else ""}" href="{esc(account)}">'
            f'{_("我的账户")}</a></li>\n'
            f'              <li class="nav-item"><a class="nav-link" '
            f'href="{esc(urls["account_logout"])}">{_("退出")}</a></li>\n            ')
    elif login:
        out.append(f'\n              <li class="nav-item"><a class="nav-link" '
                   f'href="{esc(login)}">{_("登录")}</a></li>\n            ')
    out.append(
        f"""
            <li class="nav-item ms-lg-2">
              <form action="{esc(urls['set_language'])}" method="post" class="zc-lang" aria-label="{_('语言')}">
                {_csrf_input(context)}
                <input type="hidden" name="next" value="{esc(request.get_full_path())}">
                <div class="btn-group btn-group-sm" role="group" aria-label="{_('切换语言')}">
                  """)
    for code, _name in settings.LANGUAGES:
        current = code == lang
        out.append(
            f'\n                  <button type="submit" name="language" value="{esc(code)}" '
            f'lang="{"zh-Hans" if code == "zh-hans" else esc(code)}"\n'
            f'                          class="btn {"btn-light" if current else "btn-outline-light"}"\n'
            f'                          aria-pressed="{"true" if current else "false"}">'
            f'{"简体中文" if code == "zh-hans" else "English"}</button>\n                  ')
    out.append("""
                </div>
              </form>
            </li>
          </ul>
        </div>
      </div>
    </nav>
    """)
    groups = context["work_nav"].groups if signed_in else []
    if groups:
        out.append(f"""
    <nav class="zc-worknav" aria-label="{_('我的工作')}" id="work-nav">
      <div class="container d-flex flex-wrap align-items-center gap-2 py-1">
        """)
        for group in groups:
            role = (f'<span class="zc-worknav-role">{esc(group.label)}</span>'
                    if len(groups) > 1 else "")
            out.append(f"""
        <div class="zc-worknav-group d-flex flex-wrap align-items-center">
          {role}
          <ul class="nav">
            """)
            for link in group.links:
                out.append(f"\n            {_link(link, path)}\n            ")
            out.append("\n          </ul>\n        </div>\n        ")
        out.append("\n      </div>\n    </nav>\n    ")
    return "".join(out)


@functools.cache
def _footer(language: str | None, urlconf: Any, prefix: str) -> str:  # noqa: ARG001 - keys
    notice = _urls(urlconf, prefix)["portal:notice_current"]
    return f"""<footer class="zc-footer mt-auto py-3">
    <div class="container small">
      <p class="mb-1">{_("本站内容依据市职称办发布的年度职称评审通知，引用处均可链接到通知原文条款。")} <a href="{esc(notice)}">{_("查看政策原文")}</a></p>
      <p class="mb-0">{_("具体要求以各评委会办事机构发布的年度评审通知为准。")}</p>
    </div>
  </footer>"""


def footer_html() -> str:
    """The same for every page of a language: built once per language and URL prefix."""
    return _footer(get_language(), get_urlconf(), get_script_prefix())
