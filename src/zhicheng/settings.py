"""Settings come only from the environment; defaults give the embedded (SQLite) mode.

Environment: DATABASE_URL, REDIS_URL, ZHICHENG_SECRET_KEY, ZHICHENG_DEBUG, ZHICHENG_TODAY,
ZHICHENG_ALLOWED_HOSTS, ZHICHENG_VAR_DIR, ZHICHENG_PRODUCTION.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ZHICHENG_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_bool("ZHICHENG_PRODUCTION")
DEBUG = env_bool("ZHICHENG_DEBUG", default=False)
SECRET_KEY = os.environ.get("ZHICHENG_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("ZHICHENG_SECRET_KEY must be set in production")
    # Embedded mode only: a fixed key is fine for a local demo, never for production.
    SECRET_KEY = "embedded-mode-insecure-key-change-me-" + "x" * 20

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ZHICHENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules",  # each app's permissions.py is imported by core (CoreConfig.ready)
    "zhicheng.accounts",
    "zhicheng.core",
    "zhicheng.orgs",
    "zhicheng.catalogue",
    "zhicheng.seasons",
    "zhicheng.portal",
    "zhicheng.applications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the language switch chose English (ignores Accept-Language).
    "zhicheng.portal.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Embedded mode only (no Celery beat): runs the periodic tasks at most once a minute.
    "zhicheng.core.ticker.EmbeddedTickerMiddleware",
]

ROOT_URLCONF = "zhicheng.urls"
WSGI_APPLICATION = "zhicheng.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhicheng.core.context_processors.site",
                "zhicheng.portal.context_processors.nav",  # the role-aware bars
                "zhicheng.demo.context_processors.demo_clock",  # demo mode only
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhicheng.sqlite3'}"),
        conn_max_age=int(os.environ.get("ZHICHENG_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same backend, making var/ on first connection rather than here on import.
    DATABASES["default"]["ENGINE"] = "zhicheng.core.sqlite3"
    # IMMEDIATE transactions avoid lock-upgrade deadlocks between concurrent writers.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Bootstrap 5's dist files ship in zhicheng/static/bootstrap (no CDN, no source-only package:
# the machines may have no internet; licence in that folder).
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "zhicheng.core.rediscache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions: with a shared cache (Redis) every signed-in page reads its session from the
# cache, written through to the database (a cache miss or a Redis restart falls back to the
# table, so nothing is lost: Redis keeps nothing on disk here). Without Redis the table alone:
# a per-process cache would let a session ended in one process live on in another.
# Nothing deletes session rows behind the backend's back (ending a person's sessions is
# `User.sessions_revoked_at`, accounts.sessions), so the cached copy cannot outlive a logout.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Celery: eager in the embedded mode; the broker is ZHICHENG_BROKER_URL (e.g. RabbitMQ,
# amqp://…) when set, else Redis when REDIS_URL is set.
CELERY_BROKER_URL = os.environ.get("ZHICHENG_BROKER_URL", "").strip() or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
# Queue name: lets two installations (staging, the smoke test) share one broker safely.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("ZHICHENG_CELERY_QUEUE", "celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Without beat (embedded mode) requests drive the periodic tasks (zhicheng.core.ticker).
ZHICHENG_EMBEDDED_TICKER = env_bool("ZHICHENG_EMBEDDED_TICKER", CELERY_TASK_ALWAYS_EAGER)
# Embedded mode only (`make run` sets it): a job's eager task runs in a background thread of
# the server, so its status page shows it progressing (docs/jobs.md). Ignored with a broker.
ZHICHENG_JOBS_THREAD = CELERY_TASK_ALWAYS_EAGER and env_bool("ZHICHENG_JOBS_THREAD", False)

# Embedded mode prints mail on the console; production sends through SMTP. The file backend
# (a staging machine, the production smoke test) writes each message under
# ZHICHENG_EMAIL_FILE_PATH.
_EMAIL_BACKEND = os.environ.get(
    "ZHICHENG_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_EMAIL_OPTIONS: dict[str, object] = {}
if _EMAIL_BACKEND.endswith(".filebased.EmailBackend"):
    _EMAIL_OPTIONS = {
        "file_path": os.environ.get("ZHICHENG_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
    }
elif PRODUCTION and _EMAIL_BACKEND.endswith(".smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": os.environ.get("ZHICHENG_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("ZHICHENG_EMAIL_PORT", "25")),
        "username": os.environ.get("ZHICHENG_EMAIL_USER") or None,
        "password": os.environ.get("ZHICHENG_EMAIL_PASSWORD") or None,
        "use_tls": env_bool("ZHICHENG_EMAIL_USE_TLS"),
        "use_ssl": env_bool("ZHICHENG_EMAIL_USE_SSL"),
        "timeout": 30,
    }
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("ZHICHENG_FROM_EMAIL", "noreply@zhicheng.invalid")

# --- accounts (allauth) ---
# Sign-up, login (username or email), password reset, email verification, TOTP for
# officials (docs/accounts.md). Mail goes through MAILERS (console in the embedded mode).
INSTALLED_APPS += ["allauth", "allauth.account", "allauth.mfa"]
MIDDLEWARE += [
    "allauth.account.middleware.AccountMiddleware",
    "zhicheng.accounts.middleware.OfficialMFAMiddleware",
]
AUTHENTICATION_BACKENDS += ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_account"
LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "zhicheng.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "zhicheng.accounts.forms.SignupForm",
    "login": "zhicheng.accounts.forms.LoginForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[职称评审] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Throttling (cache-backed: LocMem in the embedded mode and tests, Redis in production):
# 5 failed logins per account in 5 minutes, 10 a minute per address.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
MFA_ADAPTER = "zhicheng.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "zhicheng"
# Officials' accounts are created by the city office, often before their email is
# confirmed; they must still be able to set up their authenticator when first asked to.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# --- end accounts (allauth) ---

# The business date. Empty = today in Asia/Shanghai. The demo sets it inside the 2024
# season so its windows are open; a banner shows it whenever it is set.
ZHICHENG_TODAY = os.environ.get("ZHICHENG_TODAY", "")
# Demo mode only (`make run`; ignored in production): a date in a file under VAR_DIR that the
# city office moves forward (`zhicheng demo_clock`, banner button); the later date wins.
ZHICHENG_DEMO_CLOCK = env_bool("ZHICHENG_DEMO_CLOCK") and not PRODUCTION
ZHICHENG_DEMO_CLOCK_FILE = str(VAR_DIR / "demo-clock.txt")
# The season package `load_season` loads when none is named. Empty: the newest installed
# package that is not an example (policy.season.default_season_code). Pages never read it:
# they show each city's current published season from the database.
ZHICHENG_SEASON = os.environ.get("ZHICHENG_SEASON", "")

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("ZHICHENG_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHICHENG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHICHENG_LOG_LEVEL", "WARNING")},
}

# --- applications ---
# Upload limits for application materials; read by zhicheng.documents.uploads.
ZHICHENG_MAX_UPLOAD_BYTES = int(os.environ.get("ZHICHENG_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
ZHICHENG_MAX_APPLICATION_BYTES = int(
    os.environ.get("ZHICHENG_MAX_APPLICATION_BYTES", 200 * 1024 * 1024)
)
# --- end applications ---

# --- seasons ---
# A season version published at a later date (`load_season --publish-at`, the season pages)
# waits as a scheduled draft; this task publishes it on that date (docs/seasons.md, idempotent).
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "seasons.publish_due": {"task": "seasons.publish_due", "schedule": 3600.0},
}
# --- end seasons ---

# --- publicity ---
# Publicity (公示) and objections (docs/publicity.md). The close task runs every hour;
# it is idempotent, so running it more often or twice at once closes nothing twice.
INSTALLED_APPS += ["zhicheng.publicity"]
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "publicity.close_due": {"task": "publicity.close_due", "schedule": 3600.0},
}
# Objections per client address and window (count, seconds); cache-backed.
ZHICHENG_OBJECTION_THROTTLE = (
    int(os.environ.get("ZHICHENG_OBJECTIONS_PER_HOUR", "5")),
    3600,
)
# Reverse proxies in front of the app that append X-Forwarded-For (nginx: 1); 0 = none.
ZHICHENG_PROXY_COUNT = int(os.environ.get("ZHICHENG_PROXY_COUNT", "0"))
# How long an ended publicity stays listed is a season parameter
# (periods.publicity_ended_visible_days, docs/seasons.md §Season parameters).
# --- end publicity ---

# --- reviews ---
# The review chain (docs/reviews.md). Correction due dates: N working days after the request,
# N the season parameter periods.correction_workdays. Both tasks are idempotent.
INSTALLED_APPS += ["zhicheng.reviews"]
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "reviews.expire_corrections": {"task": "reviews.expire_corrections", "schedule": 3600.0},
    "reviews.remind_corrections": {"task": "reviews.remind_corrections", "schedule": 3600.0},
    "reviews.advance_pre_evaluation": {
        "task": "reviews.advance_pre_evaluation", "schedule": 3600.0,
    },
}
# --- end reviews ---

# --- evaluation ---
# The evaluation meeting (docs/evaluation.md). Its rules (committee sizes, terms, recusal
# years) are season parameters ([evaluation.*] in season.toml, docs/seasons.md).
INSTALLED_APPS += ["zhicheng.evaluation"]
# Tally keys of open votes (one file per case, deleted when the vote is counted): outside the
# database and outside the backups on purpose (docs/evaluation.md, "Secret ballot").
ZHICHENG_BALLOT_KEY_DIR = os.environ.get("ZHICHENG_BALLOT_KEY_DIR", str(VAR_DIR / "ballot-keys"))
# --- end evaluation ---

# --- certificates ---
# Electronic certificates and the integrity archive (docs/certificates.md). Signing keys are
# files outside the database; `zhicheng certificate keygen --if-missing` creates one.
INSTALLED_APPS += ["zhicheng.integrity", "zhicheng.certificates"]
ZHICHENG_KEY_DIR = os.environ.get("ZHICHENG_KEY_DIR", str(VAR_DIR / "keys"))
ZHICHENG_CERTIFICATE_AUTHORITY = os.environ.get("ZHICHENG_CERTIFICATE_AUTHORITY", "")
# Public verifications per client address and window (count, seconds); cache-backed.
ZHICHENG_VERIFY_THROTTLE = (int(os.environ.get("ZHICHENG_VERIFICATIONS_PER_10MIN", "30")), 600)
# --- end certificates ---

# --- supervision ---
# The city title office's dashboard and statistics (docs/supervision.md). When a dossier
# counts as overdue is the season parameter [supervision.review_overdue_workdays].
INSTALLED_APPS += ["zhicheng.supervision"]
# --- end supervision ---

# --- sanctions and audit ---
# Sanctions on committee offices (docs/sanctions.md) and audit browsing with the scheduled
# chain verification (docs/operations.md, "Audit"). The embedded ticker runs every task once
# a minute; the verification itself runs at most once per ZHICHENG_AUDIT_VERIFY_SECONDS.
INSTALLED_APPS += ["zhicheng.sanctions", "zhicheng.auditlog"]
ZHICHENG_AUDIT_VERIFY_SECONDS = int(os.environ.get("ZHICHENG_AUDIT_VERIFY_SECONDS", "3600"))
# Operations store their audit event unchained and the sequencer chains it right after the
# commit ("after_commit"); "sequencer" leaves it to one sequencer process (`zhicheng audit
# sequence --follow`) and the periodic task below, so no request pays for chaining (for
# installations whose write rate the after-commit runs hold back, docs/performance.md);
# "in_transaction" chains inside the writing transaction (every write then waits for the
# chain head: the old, serialising way).
ZHICHENG_AUDIT_CHAINING = os.environ.get("ZHICHENG_AUDIT_CHAINING", "after_commit")
ZHICHENG_AUDIT_SEQUENCE_SECONDS = int(os.environ.get("ZHICHENG_AUDIT_SEQUENCE_SECONDS", "5"))
# The worklist's repeated queries as server-side prepared statements on PostgreSQL
# (core.pgstatements: planned once per connection). Off behind a connection pooler in
# transaction mode that cannot keep them (PgBouncer before 1.21).
ZHICHENG_PREPARED_STATEMENTS = env_bool("ZHICHENG_PREPARED_STATEMENTS", default=True)
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "sanctions.flag_overdue_corrections": {
        "task": "sanctions.flag_overdue_corrections", "schedule": 3600.0,
    },
    "auditlog.verify_chain": {
        "task": "auditlog.verify_chain", "schedule": float(ZHICHENG_AUDIT_VERIFY_SECONDS),
    },
    # The audit sequencer (docs/trust.md §Audit event and chain): chains the events stored
    # since the last run; the after-commit run normally leaves nothing for it.
    "audit.sequence": {
        "task": "audit.sequence", "schedule": float(ZHICHENG_AUDIT_SEQUENCE_SECONDS),
    },
    # Signed audit checkpoints (docs/trust.md): the task signs one when the last is older
    # than ZHICHENG_AUDIT_CHECKPOINT_SECONDS.
    "auditlog.checkpoint": {"task": "auditlog.checkpoint", "schedule": 3600.0},
}
ZHICHENG_AUDIT_CHECKPOINT_SECONDS = int(
    os.environ.get("ZHICHENG_AUDIT_CHECKPOINT_SECONDS", "86400"))
# The city office's audit key (default: <ZHICHENG_KEY_DIR>/audit).
ZHICHENG_AUDIT_KEY_DIR = os.environ.get("ZHICHENG_AUDIT_KEY_DIR", "")
# --- end sanctions and audit ---

# --- simulation ---
# `zhicheng simulate`: a synthetic season through the real operations (docs/simulation.md).
INSTALLED_APPS += ["zhicheng.simulation"]
# Long work followed on a page: bulk zip, large exports, re-decisions (docs/jobs.md).
INSTALLED_APPS += ["zhicheng.jobs"]
# A job queued or running longer than this (its worker or thread died) is failed (hourly).
ZHICHENG_JOB_STALE_MINUTES = int(os.environ.get("ZHICHENG_JOB_STALE_MINUTES", "180"))
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "jobs.fail_stale": {"task": "jobs.fail_stale", "schedule": 3600.0},
}
# --- end simulation ---

# --- api ---
# The JSON API (docs/api.md): django-ninja at /api/ ("ninja" serves Swagger UI from its own
# static files, no CDN). Rate limits (count, seconds), cache-backed: per token, and per
# client address for the public endpoints.
INSTALLED_APPS += ["ninja", "zhicheng.api"]
ZHICHENG_API_RATE = (int(os.environ.get("ZHICHENG_API_REQUESTS_PER_MINUTE", "600")), 60)
ZHICHENG_API_ANONYMOUS_RATE = (
    int(os.environ.get("ZHICHENG_API_ANONYMOUS_REQUESTS_PER_MINUTE", "120")), 60,
)
# --- end api ---

# --- demo ---
# The demo of `make run` (zhicheng/demo/): seed_demo, evaluation_demo, certificate_demo and
# demo_clock, the demo clock's banner button and view. The top floor: it imports the apps,
# no app imports it. Its commands refuse to run with ZHICHENG_PRODUCTION set.
INSTALLED_APPS += ["zhicheng.demo"]
# --- end demo ---

# --- deploy ---
# Production on one machine or several (docs/deploy.md, deploy/).
# Static files: `zhicheng collectstatic` into STATIC_ROOT; in production WhiteNoise serves them
# from every app server with content-hashed names and far-future caching, so the app servers
# share no static directory and nginx needs no static root.
STATIC_ROOT = Path(os.environ.get("ZHICHENG_STATIC_ROOT", str(STATIC_ROOT)))
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if PRODUCTION:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
# Materials, dossier packages and other uploads on S3-compatible storage (several machines):
# setting ZHICHENG_S3_BUCKET switches the default storage to django-storages' S3 backend.
# Objects stay private; the app's permission-checked views stream them.
ZHICHENG_S3_BUCKET = os.environ.get("ZHICHENG_S3_BUCKET", "").strip()
if ZHICHENG_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ZHICHENG_S3_BUCKET,
            "endpoint_url": os.environ.get("ZHICHENG_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ZHICHENG_S3_REGION") or None,
            "access_key": os.environ.get("ZHICHENG_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("ZHICHENG_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("ZHICHENG_S3_PREFIX", "media"),
            "addressing_style": os.environ.get("ZHICHENG_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# PostgreSQL read replicas: DATABASE_REPLICA_URLS (comma-separated) adds aliases replica1…N
# and the router that sends the reads of ZHICHENG_REPLICA_VIEWS there (zhicheng.core.dbrouter).
ZHICHENG_REPLICA_DATABASES: list[str] = []
for _n, _url in enumerate(
    [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()],
    start=1,
):
    DATABASES[f"replica{_n}"] = {
        **dj_database_url.parse(
            _url,
            conn_max_age=int(os.environ.get("ZHICHENG_CONN_MAX_AGE", "600")),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
    ZHICHENG_REPLICA_DATABASES.append(f"replica{_n}")
if ZHICHENG_REPLICA_DATABASES:
    DATABASE_ROUTERS = ["zhicheng.core.dbrouter.PrimaryReplicaRouter"]
    MIDDLEWARE += ["zhicheng.core.dbrouter.ReplicaReadsMiddleware"]
# GET pages whose reads may lag the primary by a few seconds: public pages and scoped lists.
ZHICHENG_REPLICA_VIEWS = [
    "portal:home", "portal:plans", "portal:notices", "portal:notice", "portal:notice_current",
    "publicity:list", "publicity:detail", "reviews:worklist", "supervision:dashboard",
    "supervision:statistics", "verify:keys", "verify:keys_json", "verify:revocations",
]
# After a write a browser reads from the primary for this long (sees its own change).
ZHICHENG_REPLICA_PIN_SECONDS = int(os.environ.get("ZHICHENG_REPLICA_PIN_SECONDS", "10"))
# --- end deploy ---

# --- security (docs/security.md) ---
# allauth reads the client address through AccountAdapter.get_client_ip (core.network); its
# own setting is kept equal so nothing in allauth can disagree with the site.
ALLAUTH_TRUSTED_PROXY_COUNT = ZHICHENG_PROXY_COUNT
# Odd input is refused before any view: 413 for bodies over the limit, 400 for NUL bytes
# (zhicheng.core.inputs). After the messages middleware, so the refusal page renders.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "zhicheng.core.inputs.OddInputMiddleware",
)
# A weak secret key never starts production (Django's `check --deploy` only warns): the
# placeholder of deploy/zhicheng.env.example, a short key, or one of few distinct characters.
_WEAK_KEY_WORDS = ("change-me", "changeme", "insecure", "example", "password", "placeholder")
if PRODUCTION and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or any(word in SECRET_KEY.lower() for word in _WEAK_KEY_WORDS)
):
    raise RuntimeError(
        "ZHICHENG_SECRET_KEY is too weak for production: use at least 50 random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
# Sessions (zhicheng.accounts.sessions): idle timeout for officials and for applicants,
# absolute lifetime for everybody, the warning before the end; re-authentication before
# sensitive actions (zhicheng.accounts.reauth) within this many seconds.
ZHICHENG_SESSION_IDLE_MINUTES = int(os.environ.get("ZHICHENG_SESSION_IDLE_MINUTES", "30"))
ZHICHENG_APPLICANT_SESSION_IDLE_MINUTES = int(
    os.environ.get("ZHICHENG_APPLICANT_SESSION_IDLE_MINUTES", "120"))
ZHICHENG_SESSION_MAX_HOURS = int(os.environ.get("ZHICHENG_SESSION_MAX_HOURS", "12"))
ZHICHENG_SESSION_WARNING_SECONDS = int(os.environ.get("ZHICHENG_SESSION_WARNING_SECONDS", "120"))
ZHICHENG_REAUTH_SECONDS = int(os.environ.get("ZHICHENG_REAUTH_SECONDS", "300"))
ACCOUNT_REAUTHENTICATION_TIMEOUT = ZHICHENG_REAUTH_SECONDS
# The browser cookie never outlives the absolute lifetime.
SESSION_COOKIE_AGE = ZHICHENG_SESSION_MAX_HOURS * 3600
MIDDLEWARE.insert(  # after the messages middleware: the login page says why
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "zhicheng.accounts.sessions.SessionLifetimeMiddleware",
)
# Content-Security-Policy on every answer (Django's own middleware): scripts, styles, fonts
# and images from this site only; no inline script or style anywhere (htmx is configured not
# to inject its indicator style, base.html). deploy/nginx sends the same policy for what
# nginx answers itself.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap's form controls draw with data: SVGs
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
MIDDLEWARE.insert(  # after SecurityMiddleware (and WhiteNoise in production)
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
# --- end security ---

# --- monitoring (docs/monitoring.md) ---
# /readyz (readiness: databases, cache, broker, worker heartbeat, disk, audit verification),
# /metrics (Prometheus, only with ZHICHENG_METRICS_TOKEN), one JSON log line per request and
# per operation with ZHICHENG_LOG_FORMAT=json, error reports with ZHICHENG_SENTRY_DSN.
INSTALLED_APPS += ["zhicheng.monitoring"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "zhicheng.monitoring.middleware.RequestLogMiddleware",
)
ZHICHENG_HEARTBEAT_MAX_AGE_SECONDS = int(
    os.environ.get("ZHICHENG_HEARTBEAT_MAX_AGE_SECONDS", "300"))
ZHICHENG_READY_MIN_FREE_MB = int(os.environ.get("ZHICHENG_READY_MIN_FREE_MB", "1024"))
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "monitoring.heartbeat": {"task": "monitoring.heartbeat", "schedule": 60.0},
}
ZHICHENG_METRICS_TOKEN = os.environ.get("ZHICHENG_METRICS_TOKEN", "").strip()
if ZHICHENG_METRICS_TOKEN:
    # Requests by view and status, latencies (django-prometheus), first and last.
    INSTALLED_APPS += ["django_prometheus"]
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware", *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
if os.environ.get("ZHICHENG_LOG_FORMAT", "").strip().lower() == "json":
    LOGGING["formatters"] = {"json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        "json_ensure_ascii": False,
    }}
    LOGGING["handlers"]["console"]["formatter"] = "json"
    LOGGING["loggers"] = {
        "zhicheng.request": {"level": "INFO"},
        "zhicheng.operation": {"level": "INFO"},
    }
ZHICHENG_SENTRY_DSN = os.environ.get("ZHICHENG_SENTRY_DSN", "").strip()
if ZHICHENG_SENTRY_DSN:
    import sentry_sdk

    # No personal data: no user details, no request bodies, no local variables.
    sentry_sdk.init(
        dsn=ZHICHENG_SENTRY_DSN, send_default_pii=False, max_request_body_size="never",
        include_local_variables=False,
        environment=os.environ.get("ZHICHENG_SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("ZHICHENG_SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
# The PDF font (default /usr/share/fonts/truetype/wqy/wqy-microhei.ttc from Debian's
# fonts-wqy-microhei; an offline install ships it in its bundle: docs/deploy.md).
ZHICHENG_PDF_FONT = os.environ.get("ZHICHENG_PDF_FONT", "")
# --- end monitoring ---

# --- notifications (docs/notifications.md) ---
# Links in e-mails and SMS are absolute: built from the site's public address. Production
# without it is reported by /readyz (check "site_url") and `zhicheng check --deploy`.
ZHICHENG_SITE_URL = os.environ.get("ZHICHENG_SITE_URL", "").strip().rstrip("/")
if not ZHICHENG_SITE_URL and not PRODUCTION:
    ZHICHENG_SITE_URL = "http://127.0.0.1:8000"  # `make run`
# SMS beside e-mail: "console" prints each text (embedded mode), "file" appends it under
# ZHICHENG_SMS_FILE_PATH, "aliyun" sends through Aliyun SMS (dysmsapi); empty = no SMS
# (the production default until a provider is configured).
ZHICHENG_SMS_BACKEND = os.environ.get(
    "ZHICHENG_SMS_BACKEND", "" if PRODUCTION else "console").strip().lower()
ZHICHENG_SMS_FILE_PATH = os.environ.get("ZHICHENG_SMS_FILE_PATH", str(VAR_DIR / "sms"))
ZHICHENG_SMS_ALIYUN_ENDPOINT = os.environ.get(
    "ZHICHENG_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/").strip()
ZHICHENG_SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("ZHICHENG_SMS_ALIYUN_ACCESS_KEY_ID", "")
ZHICHENG_SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get(
    "ZHICHENG_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
ZHICHENG_SMS_ALIYUN_SIGN_NAME = os.environ.get("ZHICHENG_SMS_ALIYUN_SIGN_NAME", "")
# One template registered with Aliyun whose text is ${content}: zhicheng writes the text.
ZHICHENG_SMS_ALIYUN_TEMPLATE_CODE = os.environ.get("ZHICHENG_SMS_ALIYUN_TEMPLATE_CODE", "")
# Failed deliveries are retried with exponential backoff (60 s, 120 s, 240 s … at most 6 h)
# up to this many attempts; then the city office may 重发 (docs/notifications.md).
ZHICHENG_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("ZHICHENG_DELIVERY_MAX_ATTEMPTS", "6"))
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "applications.retry_deliveries": {"task": "applications.retry_deliveries",
                                      "schedule": 60.0},
}
# --- end notifications ---
