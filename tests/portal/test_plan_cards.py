"""On a phone the plan table is a stack of cards, each value labelled by its cell's
data-label. The table is cached (plancache): the labels must be there whether the table
was just rendered or came from the cache, for the full page and the htmx swap, in both
languages. (A regression rendered the cached part without its labels: data-label="".)"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

ZH = [
    "序号", "专业名称", "评委会办事机构", "联系电话", "材料报送地址", "受理时间", "计划评审时间",
    "备注",
]


def _labels(html: str) -> list[list[str]]:
    rows = re.findall(r'<tr class="zc-plan[^"]*"[^>]*>(.*?)</tr>', html, re.S)
    assert rows, "no plan rows"
    return [re.findall(r'<td[^>]*data-label="([^"]*)"', row) for row in rows]


@pytest.mark.parametrize("htmx", [False, True])
def test_every_card_value_is_labelled_fresh_and_cached(client, season, htmx) -> None:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for _ in ("fresh", "cached"):
        html = client.get("/plans/", **headers).content.decode()
        for labels in _labels(html):
            assert labels == ZH


def test_card_labels_follow_the_language(client, season) -> None:
    client.get("/plans/")  # the Chinese table is cached first
    client.cookies["django_language"] = "en"
    html = client.get("/plans/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    labels = _labels(html)[0]
    assert all(label and not re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels
