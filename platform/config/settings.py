"""Settings for every mode: the environment decides (see README, "Configuration")."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from config.env import (
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    fail,
    redis_from_env,
)

PLATFORM_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PLATFORM_DIR.parent
VAR_DIR = Path(env_str("MASTERCLASS_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
COURSES_DIR = BASE_DIR / "courses"

# Core -----------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "django-insecure-development-key-set-DJANGO_SECRET_KEY"
if not DEBUG and env_bool("DJANGO_REQUIRE_SECRET_KEY", False) and SECRET_KEY.startswith("django-insecure"):
    fail("DJANGO_SECRET_KEY", "must be set to a long random value in production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "rest_framework",
    "drf_spectacular",
    "channels",
    "allauth",
    "allauth.account",
    "common",
    "accounts",
    "catalog",
    "quizzes",
    "capstones",
    "reviews",
    "jobs",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "common.middleware.SyncChainMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
SITE_ID = 1
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context.site",
                "common.csrf.csrf",
            ],
        },
    },
]

# Database: SQLite under var/ by default, PostgreSQL (psycopg 3) with DATABASE_URL ----------
DATABASES = {
    "default": database_from_env("DATABASE_URL", env_str("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")))
}
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# Broker and channel layer: Redis with REDIS_URL, in-process otherwise --------------------
REDIS_URL = redis_from_env("REDIS_URL")
EMBEDDED = not REDIS_URL
CHANNEL_LAYER_BACKEND = env_str("CHANNEL_LAYER", "pubsub")
CHANNEL_LAYERS: dict[str, Any]
if EMBEDDED:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
else:
    if CHANNEL_LAYER_BACKEND not in {"pubsub", "core"}:
        fail("CHANNEL_LAYER", f"must be 'pubsub' or 'core', not {CHANNEL_LAYER_BACKEND!r}")
    layer = "RedisPubSubChannelLayer" if CHANNEL_LAYER_BACKEND == "pubsub" else "RedisChannelLayer"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": f"channels_redis.{'pubsub' if CHANNEL_LAYER_BACKEND == 'pubsub' else 'core'}.{layer}",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "workers.tasks.job_run_cpu": {"queue": "jobs.cpu"},
    "workers.tasks.job_run_gpu": {"queue": "jobs.gpu"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600
# The queues an embedded in-process worker consumes (all of them: one process does everything).
EMBEDDED_WORKER_QUEUES = ["default", "jobs.cpu", "jobs.gpu"]
EMBEDDED_WORKER = env_bool("EMBEDDED_WORKER", EMBEDDED)

CACHES = {
    "default": {
        **(
            {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
            if REDIS_URL
            else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        ),
        # Sites (or test runs) that share one Redis database keep apart by prefix.
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", ""),
    }
}

# Sandbox -------------------------------------------------------------------------------
SANDBOX_BACKEND = env_str("SANDBOX_BACKEND", "sandbox.backends.bubblewrap.BubblewrapBackend")
SANDBOX_POOL_SIZE = env_int("SANDBOX_POOL_SIZE", 1, minimum=0)
SANDBOX_PYTHON = env_str("SANDBOX_PYTHON", sys.executable)

# Accounts (django-allauth) ----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "accounts.backends.CachedModelBackend",
    "accounts.backends.CachedEmailBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    fail("ACCOUNT_EMAIL_VERIFICATION", "must be none, optional or mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if env_bool("FAST_PASSWORD_HASHER", False)
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Email: console by default, SMTP when EMAIL_HOST is set ----------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "LLM Masterclass <noreply@localhost>")

# Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [PLATFORM_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security: safe by default outside DEBUG; DJANGO_HTTPS=0 for plain-HTTP hosts and tests --
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read on every page: serve them from the cache, keep them in the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"

# REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LLM Masterclass API",
    "DESCRIPTION": "Courses, lessons, quizzes, jobs and progress.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Jobs ------------------------------------------------------------------------------------
JOBS_MAX_ACTIVE_PER_USER = env_int("JOBS_MAX_ACTIVE_PER_USER", 2, minimum=1)
JOBS_DAILY_QUOTA = env_int("JOBS_DAILY_QUOTA", 200, minimum=1)
JOBS_MAX_CODE_BYTES = env_int("JOBS_MAX_CODE_BYTES", 100_000, minimum=1000)
JOBS_FLUSH_SECONDS = (
    env_int("JOBS_FLUSH_MS", 50, minimum=5) / 1000
)  # store and push points at most this late...
JOBS_FLUSH_POINTS = 50  # ...or as soon as this many points wait
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 5, minimum=1)
JOBS_LOST_AFTER_SECONDS = env_int("JOBS_LOST_AFTER_SECONDS", 90, minimum=2)
JOBS_BACKLOG_MAX_POINTS = 4000  # per metric, before min/max bucketing
JOBS_ARTIFACT_MAX_BYTES = env_int("JOBS_ARTIFACT_MAX_BYTES", 64 * 1024 * 1024, minimum=1)
# Course data sets, copied out of courses/ (whose lab solutions boxes must never see) and
# mounted read-only into every box, warm or cold.
SANDBOX_DATA_ROOT = Path(env_str("SANDBOX_DATA_ROOT", str(VAR_DIR / "sandbox-data")))
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep-lost": {"task": "workers.tasks.jobs_sweep_lost", "schedule": 30.0},
}
