"""Settings come only from the environment; defaults give the embedded (SQLite) mode.

Environment: DATABASE_URL, REDIS_URL, ZHICHENG_SECRET_KEY, ZHICHENG_DEBUG, ZHICHENG_TODAY,
ZHICHENG_ALLOWED_HOSTS, ZHICHENG_VAR_DIR, ZHICHENG_PRODUCTION.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
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
# Bootstrap from XStatic-Bootstrap (no CDN: the machines may have no internet).
STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

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

LOGGING = {
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
# How long an ended publicity stays listed on the public page (calendar days).
ZHICHENG_PUBLICITY_ENDED_VISIBLE_DAYS = 30
# --- end publicity ---

# --- reviews ---
# The review chain (docs/reviews.md). Correction due dates: N working days after the request
# (the season parameter `correction_workdays` wins when present). Both tasks are idempotent.
INSTALLED_APPS += ["zhicheng.reviews"]
ZHICHENG_CORRECTION_WORKDAYS = int(os.environ.get("ZHICHENG_CORRECTION_WORKDAYS", "10"))
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
# The evaluation meeting (docs/evaluation.md). System parameters; a season may override any
# of them under parameters["evaluation"][name]. Committee minimum sizes per highest level:
# [by series, by specialty] (docs/domain.md §National rules: 高级 25/11 H; 中级 15/7 and 初级 7 L).
INSTALLED_APPS += ["zhicheng.evaluation"]
# Tally keys of open votes (one file per case, deleted when the vote is counted): outside the
# database and outside the backups on purpose (docs/evaluation.md, "Secret ballot").
ZHICHENG_BALLOT_KEY_DIR = os.environ.get("ZHICHENG_BALLOT_KEY_DIR", str(VAR_DIR / "ballot-keys"))
ZHICHENG_EVALUATION = {
    "committee_min_size": {
        "full_senior": [25, 11],
        "associate_senior": [25, 11],
        "intermediate": [15, 7],
        "assistant": [7, 7],
        "entry": [7, 7],
    },
    "committee_max_term_years": 3,
    "expert_max_term_years": 3,
    "former_unit_avoid_years": 3,
}
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
# The city title office's dashboard and statistics (docs/supervision.md). A dossier waiting
# at a unit, a preliminary reviewer or a committee office longer than this many working days
# counts as overdue (no source sets a limit: a season may override it under
# parameters["supervision"]["review_overdue_workdays"]).
INSTALLED_APPS += ["zhicheng.supervision"]
ZHICHENG_SUPERVISION = {
    "review_overdue_workdays": int(os.environ.get("ZHICHENG_REVIEW_OVERDUE_WORKDAYS", "10")),
}
# --- end supervision ---

# --- sanctions and audit ---
# Sanctions on committee offices (docs/sanctions.md) and audit browsing with the scheduled
# chain verification (docs/operations.md, "Audit"). The embedded ticker runs every task once
# a minute; the verification itself runs at most once per ZHICHENG_AUDIT_VERIFY_SECONDS.
INSTALLED_APPS += ["zhicheng.sanctions", "zhicheng.auditlog"]
ZHICHENG_AUDIT_VERIFY_SECONDS = int(os.environ.get("ZHICHENG_AUDIT_VERIFY_SECONDS", "3600"))
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "sanctions.flag_overdue_corrections": {
        "task": "sanctions.flag_overdue_corrections", "schedule": 3600.0,
    },
    "auditlog.verify_chain": {
        "task": "auditlog.verify_chain", "schedule": float(ZHICHENG_AUDIT_VERIFY_SECONDS),
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
# --- end security ---
