"""The navigation bar and the landing page after login, from the person's roles.

The public bar is the same for everyone. A signed-in person also gets a work bar with every
page their roles may open, and only those (a link to a page that answers 404 or 403 for them
would be a lie), with the number waiting where a page holds a queue. A person with several
roles gets the pages of all of them, grouped by role. The docs list each role's journey
(docs/journeys.md); tests/browser/test_navigation_journeys.py walks them by clicking.

One request costs a fixed number of queries whatever the data: the memberships once, then at
most one count per queue. The result is kept on the request, so the bar and the page share it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhicheng.accounts.officials import PERSON_FACTS
from zhicheng.applications.models import ApplicantProfile, Application
from zhicheng.applications.queries import request_unread_count, unread_count
from zhicheng.certificates.queries import approved_for_issue
from zhicheng.evaluation.models import Expert
from zhicheng.orgs.models import Role as OrgRole
from zhicheng.publicity.queries import objections_for
from zhicheng.reviews.queries import (
    remembered_worklist_count,
    request_roles,
    roles_of,
)
from zhicheng.reviews.queries import worklist_count as worklist_count_of

WORKLIST_ROLES = (
    OrgRole.UNIT_HR, OrgRole.PRELIMINARY_REVIEWER, OrgRole.COMMITTEE_OFFICE, OrgRole.CITY_OFFICE,
)
POSTING_ROLES = (OrgRole.UNIT_HR, OrgRole.COMMITTEE_OFFICE)


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    count: int | None = None  # waiting items; None when the page holds no queue
    count_label: str | Promise = ""  # what the number counts, for screen readers


@dataclass
class NavGroup:
    label: str | Promise
    links: list[NavLink] = field(default_factory=list)


@dataclass
class Navigation:
    groups: list[NavGroup]
    landing: str  # where this person's work starts


def public_links() -> list[NavLink]:
    """The bar everyone sees, signed in or not: the same on every page, so built once per
    process and URL prefix (six `reverse` calls a page; the labels stay lazy, so each
    page still shows them in its own language)."""
    return list(_public_links(get_script_prefix()))


@functools.cache
def _public_links(prefix: str) -> tuple[NavLink, ...]:  # noqa: ARG001 - the cache's key
    return (
        NavLink(_("首页"), reverse("portal:home")),
        NavLink(_("评审计划表"), reverse("portal:plans")),
        NavLink(_("公示"), reverse("publicity:list")),
        NavLink(_("证书查验"), reverse("verify:verify")),
        NavLink(_("通知公告"), reverse("portal:notices")),
        NavLink(_("政策原文"), reverse("portal:notice_current")),
    )


def build(user: Any, *, request: Any = None) -> Navigation:
    """The work bar and the landing page of `user` (an anonymous visitor has neither).
    Given the request of `user`, what its page already read (the memberships, the whole
    worklist's count, the unread count) is not read again."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return Navigation([], reverse("portal:home"))

    roles = request_roles(request) if request is not None else roles_of(user)
    worklist_count = remembered_worklist_count(request) if request is not None else None
    groups: list[NavGroup] = []
    landing = ""
    is_city = roles.is_city_office

    if is_city:
        city = NavGroup(_("市职称办"), [
            NavLink(_("监督总览"), reverse("supervision:dashboard")),
            NavLink(_("统计分析"), reverse("supervision:statistics")),
            NavLink(_("届次管理"), reverse("seasons:index")),
            NavLink(_("材料抽查"), reverse("reviews:sampling")),
            NavLink(_("证书签发"), reverse("certificates:office"),
                    approved_for_issue(user).count(), _("份待签发")),
            NavLink(_("处理措施"), reverse("sanctions:index")),
            NavLink(_("审计日志"), reverse("auditlog:search")),
            NavLink(_("消息投递"), reverse("applications:deliveries")),
            NavLink(_("重置双重认证"), reverse("second_factor_reset")),
        ])
        if getattr(user, "is_staff", False):
            city.links.append(NavLink(_("管理后台"), reverse("admin:index")))
        groups.append(city)
        landing = reverse("supervision:dashboard")

    if any(roles.has(r) for r in WORKLIST_ROLES):
        if worklist_count is None:
            worklist_count = worklist_count_of(user, roles)
        work = NavGroup(_("审核"), [
            NavLink(_("待办"), reverse("reviews:worklist"), worklist_count, _("件待办")),
        ])
        if any(roles.has(r) for r in POSTING_ROLES):
            work.links.append(NavLink(_("公示异议"), reverse("publicity:objections"),
                                      objections_for(user).count(), _("件待处理")))
        if roles.has(OrgRole.COMMITTEE_OFFICE) or is_city:
            work.links.append(NavLink(_("评审会议"), reverse("evaluation:index")))
        if roles.has(OrgRole.COMMITTEE_OFFICE):
            work.links.append(NavLink(_("省高评委结果"), reverse("province:results")))
        if roles.has(OrgRole.COMMITTEE_OFFICE) and not is_city:
            work.links.append(NavLink(_("处理措施"), reverse("sanctions:index")))
        work.links.append(NavLink(_("接口令牌"), reverse("api:tokens")))
        work.links.append(NavLink(_("我的任务"), reverse("jobs:mine")))
        groups.append(work)
        landing = landing or reverse("reviews:worklist")

    is_expert, applied = _expert_and_applied(user, request)
    if is_expert:
        groups.append(NavGroup(_("评审专家"), [
            NavLink(_("我的评审"), reverse("evaluation:expert")),
        ]))
        landing = landing or reverse("evaluation:expert")

    # Everyone may apply; an official's bar shows it only once they have started.
    applies = not roles.any or applied
    if applies:
        groups.append(NavGroup(_("申报"), [
            NavLink(_("我的申报"), reverse("applications:dashboard")),
            NavLink(_("消息"), reverse("applications:inbox"), (
                request_unread_count(request) if request is not None else unread_count(user)
            ), _("条未读")),
            NavLink(_("我的证书"), reverse("certificates:mine")),
        ]))
        landing = landing or reverse("applications:dashboard")

    return Navigation(groups, landing or reverse("my_account"))


def _expert_and_applied(user: Any, request: Any = None) -> tuple[bool, bool]:
    """Whether the person is in the expert pool (`expert_entries(user).exists()`) and has
    started as an applicant (a profile or an application): as the second-factor check read
    them with the memberships this request (accounts.officials.PERSON_FACTS), else one
    query, in plain SQL (the ORM spent ~3 ms of CPU building the two, the database 0.1 ms
    answering them; docs/performance.md, "Page budgets")."""
    if request is not None and getattr(request, "user", None) is user:
        facts = getattr(request, PERSON_FACTS, None)
        if facts is not None:
            return facts
    db = connections[router.db_for_read(Expert)]
    qn = db.ops.quote_name
    sql = (
        f"SELECT EXISTS(SELECT 1 FROM {qn(Expert._meta.db_table)} WHERE {qn('user_id')} = %s), "
        f"EXISTS(SELECT 1 FROM {qn(ApplicantProfile._meta.db_table)} WHERE {qn('user_id')} = %s)"
        f" OR EXISTS(SELECT 1 FROM {qn(Application._meta.db_table)} "
        f"WHERE {qn('applicant_id')} = %s)"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [user.pk] * 3)
        expert, applied = cursor.fetchone()
    return bool(expert), bool(applied)


def for_request(request: Any) -> Navigation:
    """`build` once per request, with what the page already read (reviews.queries)."""
    cached = getattr(request, "_zc_navigation", None)
    if cached is None:
        cached = build(getattr(request, "user", None), request=request)
        request._zc_navigation = cached
    return cached


def landing_url(user: Any) -> str:
    return build(user).landing
