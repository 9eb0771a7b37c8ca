"""The integrity archive per city (docs/seasons.md, 多城市): a city office records only its
own city's applicants and units, each record keeps its city, and the admin's list of the
archive shows an office only its city's records."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories.cities import YUNHU_DEPARTMENT, yunhu_official
from zhicheng.core.operations import NotPermitted
from zhicheng.integrity.models import IntegrityRecord
from zhicheng.integrity.operations import record_cover_up, write_record

pytestmark = pytest.mark.django_db


def application_in(season: Any, name: str) -> Any:
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application
    from zhicheng.catalogue.models import Series

    applicant = User.objects.create_user(
        username=f"integrity-{season.code}", password="pw-zhicheng-2024", full_name=name,
        email=f"integrity-{season.code}@example.invalid")
    return Application.objects.create(
        applicant=applicant, season=season, plan=season.plans.order_by("row").first(),
        series=Series.objects.get(code="engineering"), specialty="示例专业",
        level="intermediate", state="committee_recheck", submitted_at=timezone.now())


def test_each_city_office_records_and_reads_only_its_citys_records(
    yunhu: Any, city_office: Any
) -> None:
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import Season

    lyg = Season.objects.get(code="lianyungang-2024")
    yunhu_office = yunhu_official()
    mine, theirs = application_in(yunhu, "云湖申报人"), application_in(lyg, "连云港申报人")
    facts = {"reason": "fraud", "description": "伪造业绩证明", "decision_number": "示例〔2024〕1号"}

    with pytest.raises(NotPermitted, match="只能记入本市"):
        write_record(yunhu_office, subject_kind="person", person=theirs.applicant,
                     application=theirs, **facts)
    with pytest.raises(NotPermitted):
        record_cover_up(city_office, description="出具虚假证明", decision_number="连〔2024〕9号",
                        organisation=Organisation.objects.get(name=YUNHU_DEPARTMENT))
    assert not IntegrityRecord.objects.exists()

    own = write_record(yunhu_office, subject_kind="person", person=mine.applicant,
                       application=mine, **facts)
    other = write_record(city_office, subject_kind="person", person=theirs.applicant,
                         application=theirs, **{**facts, "decision_number": "连〔2024〕8号"})
    assert (own.city, other.city) == (yunhu.owner, lyg.owner)

    yunhu_office.is_staff = True
    yunhu_office.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(yunhu_office)
    listing = client.get("/admin/integrity/integrityrecord/").content.decode()
    assert "云湖申报人" in listing and "连云港申报人" not in listing
    assert client.get(f"/admin/integrity/integrityrecord/{other.pk}/change/").status_code == 302
