"""The signed-in person is read by primary key on every request (Django's ModelBackend asks
`User.objects.get(pk=…)`); accounts.models.UserManager answers that with a statement compiled
once (core.prepared). The person must come back exactly as the ORM reads them, on SQLite and on
PostgreSQL: a wrong date, flag or name here would show on every page and decide who may act."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    User = get_user_model()
    user = User.objects.create_user(
        "lookup-person", password="x-very-long-password-1", full_name="王小明",
        phone="13800000000", birth_date=dt.date(1985, 3, 9), sex="M", is_staff=False,
        notify_channels="both",
    )
    user.sessions_revoked_at = timezone.now() - dt.timedelta(days=1)
    user.last_login = timezone.now()
    user.save()
    return user


def test_the_person_read_by_primary_key_is_the_one_the_orm_reads(person):
    User = get_user_model()
    with CaptureQueriesContext(connection) as queries:
        fast = User.objects.get(pk=str(person.pk))  # the session keeps the id as text
    orm = QuerySet(User).get(pk=person.pk)
    assert len(queries) == 1
    for field in User._meta.concrete_fields:
        assert getattr(fast, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(fast, field.attname)) is type(getattr(orm, field.attname)), field.name
    assert fast.birth_date == dt.date(1985, 3, 9) and fast.full_name == "王小明"
    assert fast._state.adding is False and fast._state.db == orm._state.db
    assert fast.check_password("x-very-long-password-1")


def test_a_missing_person_is_does_not_exist_and_other_lookups_still_work(person):
    User = get_user_model()
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=person.pk + 1000)
    with pytest.raises(User.DoesNotExist):  # beyond the column's range: no row, no error
        User.objects.get(pk=2**70)
    assert User.objects.get(username="lookup-person") == person
    assert User.objects.get(id=person.pk) == person


def test_a_signed_in_page_knows_the_person(person):
    client = Client()
    client.force_login(person)
    page = client.get(reverse("my_account"))
    assert page.status_code == 200
    assert "王小明" in page.content.decode()
