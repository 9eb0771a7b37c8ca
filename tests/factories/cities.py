"""A fictitious second city (云湖市, tests/seasons/cities/yunhu-2024) beside the installed
2024 season, for the per-city scoping tests of every app (docs/seasons.md, 多城市)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from zhicheng.core.operations import SYSTEM
from zhicheng.policy.plans import season_dir
from zhicheng.seasons.operations import load_package

FIXTURE = Path(__file__).parent.parent / "seasons" / "cities" / "yunhu-2024"
YUNHU_SEASON = "云湖市2024年度职称评审（示例）"
YUNHU_OFFICE = "云湖市职称工作领导小组办公室（示例）"
YUNHU_DEPARTMENT = "云湖市工业和信息化局（示例）"
_counter = itertools.count(1)


def yunhu_package(target: Path) -> Path:
    """The fictitious city's files over a copy of the installed 2024 package's rule files."""
    folder = target / "yunhu-2024"
    shutil.copytree(season_dir("lianyungang-2024"), folder)
    for path in FIXTURE.iterdir():
        if path.name != "README.md":
            shutil.copy(path, folder / path.name)
    season = folder / "season.toml"
    text = season.read_text(encoding="utf-8")
    for old, new in (
        ('"lianyungang-2024"', '"yunhu-2024"'), ('"连云港市"', '"云湖市"'),
        ('"连云港市2024年度职称评审"', f'"{YUNHU_SEASON}"'),
        ('"连职称办〔2024〕4号"', '"云湖职称办〔2024〕1号"'),
        ("全市职称评审工作的通知", "云湖市职称评审工作的通知（示例）"),
    ):
        text = text.replace(old, new)
    text = re.sub(r'(?m)^issuer = ".*"$', 'issuer = "云湖市职称工作领导小组办公室（示例）"', text)
    season.write_text(text, encoding="utf-8")
    rules = folder / "eligibility.toml"
    rules.write_text(
        re.sub(r"(?m)^city_aliases = .*$", 'city_aliases = ["云湖", "云湖市"]',
               rules.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def yunhu(season: Any, settings: Any, tmp_path: Path) -> Any:
    """云湖市's 2024 season, published on 2024-05-10 (the test's date is kept)."""
    from zhicheng.seasons.models import Season

    today = getattr(settings, "ZHICHENG_TODAY", None)
    settings.ZHICHENG_TODAY = "2024-07-15"
    load_package(SYSTEM, yunhu_package(tmp_path), publish=True, publish_on=dt.date(2024, 5, 10))
    if today is not None:
        settings.ZHICHENG_TODAY = today
    return Season.objects.get(code="yunhu-2024")


def yunhu_official(role: str = "city_office", organisation: str = YUNHU_OFFICE,
                   name: str = "云湖主任") -> Any:
    """An official of 云湖市 (with the demo second factor)."""
    from zhicheng.accounts.models import User
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET
    from zhicheng.orgs.models import Membership, Organisation

    n = next(_counter)
    user = User.objects.create_user(
        username=f"yunhu{n}", password="pw-zhicheng-2024", full_name=f"{name}{n}",
        email=f"yunhu{n}@example.invalid",
    )
    Membership.objects.create(user=user, organisation=Organisation.objects.get(name=organisation),
                              role=role)
    activate_totp(user, DEMO_TOTP_SECRET)
    return user


def yunhu_committee(yunhu: Any) -> Any:
    """A committee run by 云湖市工信局 over the season's first plan row."""
    from zhicheng.catalogue.models import Series
    from zhicheng.evaluation.models import Committee
    from zhicheng.orgs.models import Organisation

    committee = Committee.objects.create(
        name="云湖市工程技术中级职称评审委员会（示例）",
        office=Organisation.objects.get(name=YUNHU_DEPARTMENT),
        levels=["intermediate"], term_start=dt.date(2024, 1, 1), term_end=dt.date(2026, 12, 31),
    )
    committee.series.add(Series.objects.get(code="engineering"))
    committee.plans.add(yunhu.plans.order_by("row").first())
    return committee
