"""Read replicas: which database each query goes to (zhicheng.core.dbrouter)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.connection import ConnectionDoesNotExist

from zhicheng.core.dbrouter import PIN_COOKIE, PrimaryReplicaRouter, replica_reads
from zhicheng.seasons.models import CommitteePlan, Season

ROUTER = "zhicheng.core.dbrouter.PrimaryReplicaRouter"


@pytest.fixture
def two_replicas(settings: Any) -> None:
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.ZHICHENG_REPLICA_DATABASES = ["replica1", "replica2"]


def test_reads_stay_on_the_primary_unless_a_page_allows_replicas(two_replicas: None) -> None:
    assert Season.objects.all().db == "default"
    with replica_reads():
        used = {CommitteePlan.objects.all().db for _ in range(4)}
    assert used == {"replica1", "replica2"}  # spread over every replica
    assert Season.objects.all().db == "default"  # and back on the primary afterwards


def test_writes_and_migrations_always_go_to_the_primary(two_replicas: None) -> None:
    router = PrimaryReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Season) == "default"
    assert router.allow_migrate("default", "seasons") is True
    assert router.allow_migrate("replica1", "seasons") is False


def test_without_replicas_everything_uses_the_primary(settings: Any) -> None:
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.ZHICHENG_REPLICA_DATABASES = []
    with replica_reads():
        assert Season.objects.all().db == "default"


@pytest.mark.django_db(transaction=True)  # no test-wide transaction: routing as in production
def test_an_operation_inside_transaction_atomic_never_reads_a_replica(settings: Any) -> None:
    from zhicheng.accounts.models import User
    from zhicheng.core.audit import verify_chain
    from zhicheng.core.models import AuditEvent
    from zhicheng.core.operations import SYSTEM, operation

    settings.DATABASE_ROUTERS = [ROUTER]
    # An alias that does not exist: any query routed to it fails the test loudly.
    settings.ZHICHENG_REPLICA_DATABASES = ["replica_that_does_not_exist"]
    user = User.objects.create_user(username="routed", password="pw-zhicheng-2024")
    with replica_reads():
        with pytest.raises(ConnectionDoesNotExist):
            list(User.objects.filter(pk=user.pk))  # outside a transaction: a replica read
        with CaptureQueriesContext(connection) as primary:
            with operation(SYSTEM, "deploy.router_check", target=(User, user.pk)) as op:
                op.obj.full_name = "主库"
                op.obj.save()
                op.summary = "routing check"
                assert User.objects.get(pk=user.pk).full_name == "主库"
            with transaction.atomic():
                assert AuditEvent.objects.filter(action="deploy.router_check").count() == 1
    sql = " ".join(q["sql"] for q in primary.captured_queries).upper()
    assert "FOR NO KEY UPDATE" in sql or connection.vendor == "sqlite"  # the lock: on the primary
    assert verify_chain().ok


@pytest.fixture
def live_replica(settings: Any) -> Iterator[str]:
    """A real second connection named replica1 to the same database (a replica with no lag)."""
    alias = "replica1"
    primary = connections["default"].settings_dict
    backend = load_backend(primary["ENGINE"])
    # Made by hand, not through DATABASES: Django's test case forbids undeclared aliases.
    setattr(connections._connections, alias,
            backend.DatabaseWrapper(copy.deepcopy(primary), alias=alias))
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.ZHICHENG_REPLICA_DATABASES = [alias]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "zhicheng.core.dbrouter.ReplicaReadsMiddleware"]
    try:
        yield alias
    finally:
        connections[alias].close()
        delattr(connections._connections, alias)


@pytest.mark.django_db(transaction=True)
def test_list_pages_read_from_the_replica_until_the_browser_writes(
    season: Any, live_replica: str
) -> None:
    client = Client()
    with CaptureQueriesContext(connections[live_replica]) as replica:
        response = client.get("/plans/")
    assert response.status_code == 200
    assert len(replica.captured_queries) > 0
    plan = CommitteePlan.objects.filter(season=season).order_by("row").first()
    assert plan is not None and plan.specialty in response.content.decode()

    # A page not on the list (the applicant's dashboard redirects a visitor to log in) and
    # the POST of the language switch both stay on the primary.
    with CaptureQueriesContext(connections[live_replica]) as replica:
        client.get("/apply/")
        posted = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/plans/"})
    assert replica.captured_queries == []
    assert PIN_COOKIE in posted.cookies

    # After the write the browser reads its own changes from the primary for a while.
    with CaptureQueriesContext(connections[live_replica]) as replica:
        assert client.get("/plans/").status_code == 200
    assert replica.captured_queries == []
