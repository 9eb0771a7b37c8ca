"""The audit chain per city (docs/seasons.md, 多城市): each event keeps the city it belongs
to (its target's, else the acting office's), and a city office's search, exports and admin
list hold only its own city's events and those belonging to no city."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from tests.factories.cities import yunhu_official
from zhicheng.core.models import AuditEvent
from zhicheng.core.operations import save_instance

pytestmark = pytest.mark.django_db


def login(user: Any, *, staff: bool = False) -> Client:
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_each_city_office_searches_and_exports_only_its_citys_events(
    yunhu: Any, demo_users: Any
) -> None:
    from zhicheng.seasons.models import Season

    lyg = Season.objects.get(code="lianyungang-2024")
    yunhu_office, lyg_office = yunhu_official(), demo_users["city_office"]
    mine = yunhu.plans.order_by("row").first()
    theirs = lyg.plans.order_by("row").first()
    mine.phone, theirs.phone = "66009999", "85889999"
    save_instance(yunhu_office, mine, changed=["phone"])
    save_instance(lyg_office, theirs, changed=["phone"])
    mine_event = AuditEvent.objects.filter(target_type="seasons.committeeplan",
                                           target_id=str(mine.pk)).get()
    theirs_event = AuditEvent.objects.filter(target_type="seasons.committeeplan",
                                             target_id=str(theirs.pk)).get()
    assert (mine_event.city_id, theirs_event.city_id) == (yunhu.owner_id, lyg.owner_id)
    # loading and publishing 云湖市's season (by the system) belongs to 云湖市 too
    assert AuditEvent.objects.filter(action="season.load", target_id=str(yunhu.pk),
                                     city_id=yunhu.owner_id).exists()

    client = login(yunhu_office)
    def listed(c: Client, target: Any) -> bool:
        page = c.get("/supervision/audit/", {"target": f"seasons.committeeplan:{target.pk}"})
        return f'title="seasons.committeeplan:{target.pk}"' in page.content.decode()

    assert listed(client, mine) and not listed(client, theirs)
    assert listed(login(lyg_office), theirs) and not listed(login(lyg_office), mine)
    exported = b"".join(client.get("/supervision/audit/export.csv").streaming_content)
    seqs = {int(row[0]) for row in csv.reader(io.StringIO(exported.decode("utf-8-sig")))
            if row and row[0].isdigit()}
    assert mine_event.seq in seqs and theirs_event.seq not in seqs
    assert not AuditEvent.objects.filter(seq__in=seqs, city_id=lyg.owner_id).exists()

    lyg_export = b"".join(login(lyg_office).get("/supervision/audit/export.csv")
                          .streaming_content).decode("utf-8-sig")
    lyg_seqs = {int(row[0]) for row in csv.reader(io.StringIO(lyg_export))
                if row and row[0].isdigit()}
    assert theirs_event.seq in lyg_seqs and mine_event.seq not in lyg_seqs

    # the admin's list of events likewise
    admin = login(yunhu_official(), staff=True)
    assert admin.get(f"/admin/core/auditevent/{theirs_event.pk}/change/").status_code == 302
    assert admin.get(f"/admin/core/auditevent/{mine_event.pk}/change/").status_code == 200
