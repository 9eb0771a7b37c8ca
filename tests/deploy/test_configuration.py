"""The deployment configuration: settings switches built from the environment alone (no
network), and the files in deploy/ that operators copy."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pytest

import zhicheng

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SETTINGS = Path(zhicheng.__file__).with_name("settings.py")


def settings_from(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    """Execute settings.py afresh with exactly this environment (not the running Django)."""
    for name in [n for n in __import__("os").environ if n.startswith("ZHICHENG_")]:
        monkeypatch.delenv(name)
    for name in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URLS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZHICHENG_VAR_DIR", str(tmp_path / "var"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


PRODUCTION = {
    "ZHICHENG_PRODUCTION": "1",
    "ZHICHENG_SECRET_KEY": "test-only-" + "Kq7vR2mX9pL4wZ8nT3bY6cF1hJ5dG0sA" * 2,
    "ZHICHENG_ALLOWED_HOSTS": "zhicheng.example.gov.cn",
    "DATABASE_URL": "postgres://zhicheng@10.0.0.30:5432/zhicheng",
    "REDIS_URL": "redis://10.0.0.40:6379/0",
}


def test_s3_bucket_switches_uploads_to_a_private_s3_storage_built_without_network(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from django.core.files.storage import StorageHandler
    from storages.backends.s3 import S3Storage

    ns = settings_from(
        monkeypatch, tmp_path, **PRODUCTION,
        ZHICHENG_S3_BUCKET="zhicheng-media",
        ZHICHENG_S3_ENDPOINT_URL="https://s3.example.gov.cn",
        ZHICHENG_S3_REGION="cn-east-1",
        ZHICHENG_S3_ACCESS_KEY_ID="AKIDEXAMPLE",
        ZHICHENG_S3_SECRET_ACCESS_KEY="secret-example",
        ZHICHENG_S3_ADDRESSING_STYLE="path",
    )
    storage = StorageHandler(ns["STORAGES"])["default"]
    assert isinstance(storage, S3Storage)
    assert (storage.bucket_name, storage.location) == ("zhicheng-media", "media")
    assert storage.file_overwrite is False and storage.default_acl is None
    # Signing a download link is local work: a wrong configuration shows here, offline.
    url = storage.url("materials/2024/ab/abc.pdf")
    assert url.startswith("https://s3.example.gov.cn/zhicheng-media/media/materials/2024/ab/")
    assert "X-Amz-Signature=" in url and "X-Amz-Credential=AKIDEXAMPLE" in url


def test_without_a_bucket_uploads_stay_on_the_local_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from django.core.files.storage import FileSystemStorage, StorageHandler

    ns = settings_from(monkeypatch, tmp_path, **PRODUCTION)
    storage = StorageHandler(ns["STORAGES"])["default"]
    assert isinstance(storage, FileSystemStorage)


def test_production_serves_hashed_static_files_from_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ns = settings_from(monkeypatch, tmp_path, **PRODUCTION)
    middleware = ns["MIDDLEWARE"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    assert "Manifest" in ns["STORAGES"]["staticfiles"]["BACKEND"]
    embedded = settings_from(monkeypatch, tmp_path)
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in embedded["MIDDLEWARE"]


def test_replica_urls_add_mirrored_aliases_the_router_and_its_middleware(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ns = settings_from(
        monkeypatch, tmp_path, **PRODUCTION,
        DATABASE_REPLICA_URLS="postgres://ro@10.0.0.31:5432/zhicheng, "
                              "postgres://ro@10.0.0.32:5432/zhicheng",
    )
    assert ns["ZHICHENG_REPLICA_DATABASES"] == ["replica1", "replica2"]
    assert ns["DATABASES"]["replica2"]["HOST"] == "10.0.0.32"
    assert ns["DATABASES"]["replica1"]["TEST"] == {"MIRROR": "default"}
    assert ns["DATABASE_ROUTERS"] == ["zhicheng.core.dbrouter.PrimaryReplicaRouter"]
    middleware = ns["MIDDLEWARE"]
    assert middleware.index("zhicheng.core.dbrouter.ReplicaReadsMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    single = settings_from(monkeypatch, tmp_path, **PRODUCTION)
    assert "DATABASE_ROUTERS" not in single and "replica1" not in single["DATABASES"]


@pytest.mark.parametrize(
    ("env", "broker", "eager"),
    [
        ({}, "memory://", True),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "redis://127.0.0.1:6379/0", False),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0",
          "ZHICHENG_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"},
         "amqp://guest:guest@127.0.0.1:5672//", False),
    ],
)
def test_celery_broker_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], broker: str,
    eager: bool,
) -> None:
    ns = settings_from(monkeypatch, tmp_path, **env)
    assert ns["CELERY_BROKER_URL"] == broker
    assert ns["CELERY_TASK_ALWAYS_EAGER"] is eager


def test_the_file_mail_backend_writes_where_the_environment_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ns = settings_from(
        monkeypatch, tmp_path, **PRODUCTION,
        ZHICHENG_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        ZHICHENG_EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    assert ns["MAILERS"]["default"]["OPTIONS"] == {"file_path": str(tmp_path / "mail")}
    smtp = settings_from(monkeypatch, tmp_path, **PRODUCTION, ZHICHENG_EMAIL_USE_TLS="1")
    assert smtp["MAILERS"]["default"]["OPTIONS"]["use_tls"] is True


def environment_names_read_by(path: Path) -> set[str]:
    text = path.read_text("utf-8")
    found = set(re.findall(r"""(?:environ\.get|env_bool|getenv)\(\s*["']([A-Z0-9_]+)["']""",
                           text))
    found |= set(re.findall(r"""environ\[["']([A-Z0-9_]+)["']\]""", text))
    return found


def test_the_environment_template_lists_every_variable_the_code_reads() -> None:
    template = (DEPLOY / "zhicheng.env.example").read_text("utf-8")
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, flags=re.MULTILINE))
    wanted = environment_names_read_by(SETTINGS) | environment_names_read_by(
        DEPLOY / "gunicorn.conf.py"
    )
    for unit in (DEPLOY / "systemd").iterdir():
        wanted |= set(re.findall(r"\$\{([A-Z0-9_]+)\}", unit.read_text("utf-8")))
    wanted -= {"DJANGO_SETTINGS_MODULE"}
    assert wanted, "no variables found: the pattern is broken"
    assert sorted(wanted - listed) == []


def test_gunicorn_config_loads_and_trusts_forwarded_headers_only_from_the_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ZHICHENG_WEB_BIND", raising=False)
    monkeypatch.setenv("ZHICHENG_WEB_WORKERS", "3")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["wsgi_app"] == "zhicheng.wsgi:application"
    assert conf["bind"] == ["unix:/run/zhicheng/gunicorn.sock"]
    assert conf["workers"] == 3
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_nginx_never_serves_uploads_from_a_directory() -> None:
    site = (DEPLOY / "nginx" / "zhicheng.conf").read_text("utf-8")
    active = "\n".join(line.split("#", 1)[0] for line in site.splitlines())
    assert "location /media" not in active and "alias" not in active and "root " not in active
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in active
    assert "client_max_body_size 25m;" in active
