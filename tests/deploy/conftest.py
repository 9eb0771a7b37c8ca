"""Fixtures for the deployment tests: a season with applications, materials, audit events
and a signed certificate, on the local disk of this test (media and keys under tmp_path)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.deploy import pdf_bytes
from zhicheng.demo.applications import DEMO_EMPLOYER, DEMO_FACTS, DEMO_PLAN_ROW, DEMO_SPECIALTY


def resident_id(n: int) -> str:
    from stdnum.cn import ric

    body = f"32070619850101{n % 1000:03d}"
    return body + ric.calc_check_digit(body)


@pytest.fixture
def local_var(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "var" / "media")
    settings.ZHICHENG_KEY_DIR = str(tmp_path / "var" / "keys")
    settings.ZHICHENG_TODAY = "2024-07-15"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    return tmp_path / "var"


@pytest.fixture
def season_data(local_var: Path, season: Any, demo_users: dict[str, Any]) -> dict[str, Any]:
    """Two submitted applications with two PDF materials each, and one issued certificate."""
    from zhicheng.accounts.models import User
    from zhicheng.accounts.totp import activate_totp
    from zhicheng.applications import operations as ops
    from zhicheng.applications.models import ApplicantProfile, Application
    from zhicheng.applications.profiles import validate_facts
    from zhicheng.catalogue.models import Series
    from zhicheng.certificates import keys
    from zhicheng.certificates.operations import issue_certificate
    from zhicheng.demo.accounts import DEMO_TOTP_SECRET
    from zhicheng.orgs.models import Organisation
    from zhicheng.seasons.models import CommitteePlan

    employer = Organisation.objects.get(name=DEMO_EMPLOYER)
    plan = CommitteePlan.objects.get(season=season, row=DEMO_PLAN_ROW)
    engineering = Series.objects.get(code="engineering")

    def person(n: int, name: str) -> Any:
        user = User.objects.create_user(
            username=f"backup{n}", password="pw-zhicheng-2024", full_name=name,
            email=f"backup{n}@example.invalid", id_type="resident", id_number=resident_id(n),
        )
        ApplicantProfile.objects.create(
            user=user, employer=employer, facts=validate_facts(copy.deepcopy(DEMO_FACTS)),
            schema_version="1.0",
        )
        return user

    submitted = []
    for n, name in ((1, "钱备份"), (2, "孙恢复")):
        user = person(n, name)
        app = ops.start_application(
            user, season=season, plan=plan, series_id=engineering.pk,
            specialty=DEMO_SPECIALTY, level="intermediate", route="normal",
        )
        for k, title in enumerate(("助理工程师证书", "学历证书")):
            upload = SimpleUploadedFile(f"{title}.pdf", pdf_bytes(f"{name} material {k}"),
                                        content_type="application/pdf")
            ops.add_material(app, user, upload, kind="title", title=title,
                             document_date=dt.date(2019, 6, 30))
        ops.accept_commitment(app, user, ip="127.0.0.1")
        app.refresh_from_db()
        ops.submit_application(app, user, token=uuid.uuid4().hex)
        submitted.append(app)

    keys.generate()
    city_office = demo_users["city_office"]
    activate_totp(city_office, DEMO_TOTP_SECRET)
    holder = person(3, "李证书")
    approved = Application.objects.create(
        applicant=holder, season=season, plan=plan, series=engineering,
        specialty=DEMO_SPECIALTY, level="intermediate", route="normal", state="approved",
        employer=employer,
    )
    certificate = issue_certificate(approved, city_office,
                                    approval_number="连职称办〔2024〕12号")
    return {"applications": submitted, "certificate": certificate}


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the one under test, dropped afterwards."""
    from django.db import connection

    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'zhicheng.sqlite3'}"
        return
    import psycopg

    settings_dict = connection.settings_dict
    name = f"zhicheng_restore_{uuid.uuid4().hex[:12]}"
    info = {"dbname": "postgres", "host": settings_dict.get("HOST") or "127.0.0.1",
            "port": settings_dict.get("PORT") or 5432,
            "user": settings_dict.get("USER") or "postgres"}
    if settings_dict.get("PASSWORD"):
        info["password"] = settings_dict["PASSWORD"]
    with psycopg.connect(**info, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{info['password']}" if "password" in info else ""
    try:
        yield f"postgres://{info['user']}{password}@{info['host']}:{info['port']}/{name}"
    finally:
        with psycopg.connect(**info, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
