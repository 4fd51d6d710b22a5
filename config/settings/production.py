"""Production: every secret must come from the environment; transport is HTTPS only."""

from .base import *  # noqa: F403
from .env import env, env_bool, env_int, env_list

SECRET_KEY = env("SECRET_KEY", required=True)
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS must be set.")
WAGTAILADMIN_BASE_URL = env("SITE_URL", required=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Background work (text extraction, search index updates) is queued in the database and run by
# `manage.py db_worker`, never inside a web request. TASKS_BACKEND may still choose another.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend")}}

# Several gunicorn workers on one machine share a file cache (rate limits, the anonymous page
# cache, the site chrome); several machines need a shared one: set CACHE_URL to Redis.
if not env("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),  # noqa: F405
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
