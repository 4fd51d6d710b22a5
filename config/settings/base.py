"""Settings shared by every environment.

Everything that differs between machines is read from environment variables (see the table in
README.md); ``dev``, ``test`` and ``production`` only change what must differ.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", "insecure-development-key-never-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Applications, in the dependency order of DESIGN.md: schemes <- accounts <- documents <- home.
INSTALLED_APPS = [
    "schemes",
    "accounts",
    "documents",
    "knowledge",
    "forum",
    "cases",
    "onboarding",
    "home",
    "search",
    "serving",
    "operations",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.AccountsUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Headers of every response, cached pages included (so outside the page caches).
    "config.headers.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "serving.viewer.ViewerMiddleware",
    # The forum's live-update poll when nothing changed, from kept facts (forum/middleware.py).
    "forum.middleware.LivePollMiddleware",
    "serving.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before the audience page cache, so that a cached page never skips it (docs/accounts.md).
    "accounts.middleware.AccountsSecurityMiddleware",
    "serving.page_cache.AudiencePageCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "serving.sites.CachedSiteMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_chrome",
                "home.context_processors.phase_banner",
            ],
        },
    },
]

# Database: DATABASE_URL selects it; unset means an SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one request writes; the timeout waits for the lock
    # instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: our own user model, signed in by e-mail through django-allauth.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the person with a query compiled once (accounts.backends).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [  # Django's rules in the site's words (accounts.password_validation)
    {"NAME": "accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int("ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS", 3)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Best-practice forum] "
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    **{
        f: f"accounts.forms.{c}"
        for f, c in [
            ("change_password", "ChangePasswordForm"),
            ("set_password", "SetPasswordForm"),
            ("reset_password_from_key", "ResetPasswordKeyForm"),
            ("reauthenticate", "ReauthenticateForm"),
            ("add_email", "AddEmailForm"),
        ]
    },
}
# Failed logins: five per address in five minutes, ten a minute per IP address. The counts
# live in the cache, so several app servers need a shared one (CACHE_URL).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
# How many reverse proxies of ours append to X-Forwarded-For: the client address allauth (and our
# throttles and security log) use is the one that many entries from the right. 0 ignores the
# header, so behind a proxy everybody would share the proxy's address (and its IP limit).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Two-step sign-in is compulsory for superusers and the roles in accounts.roles.TWO_STEP_REQUIRED:
# signed in without it, they are sent to set it up before anything else (accounts.middleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Best-practice forum"
# Page and collection (document) passwords: failed attempts allowed per client address and
# restriction, and per restriction from all addresses, in ACCOUNTS_PASSWORD_WINDOW seconds.
ACCOUNTS_PASSWORD_ATTEMPTS_PER_ADDRESS = 10
ACCOUNTS_PASSWORD_ATTEMPTS_PER_RESTRICTION = 50
ACCOUNTS_PASSWORD_WINDOW = 15 * 60
# Wagtail's admin signs in through allauth (two-step code, throttling, verified e-mail): its own
# form at /admin/login/ only redirects there (config/urls.py).
WAGTAILADMIN_LOGIN_URL = "account_login"

# Internationalisation: British English.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("British English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en-gb", "British English")]

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    # Writes a whole file or none (config/storage.py): a full or read-only disk leaves nothing.
    "default": {"BACKEND": "config.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640

# Case sharing (cases/, docs/cases.md): attachments outside MEDIA_ROOT, never served directly.
CASES_PRIVATE_ROOT = Path(env("CASES_PRIVATE_ROOT", str(VAR_DIR / "private" / "cases")))
CASES_MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
CASES_RETENTION_DAYS = 6 * 365  # a closed case is deleted this long after closing

# E-mail: the console by default; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Best-practice forum <no-reply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where the "beta" banner's feedback link goes: a form, or a mailto: address people can answer.
FEEDBACK_URL = env("FEEDBACK_URL", "mailto:feedback@localhost?subject=Feedback%20on%20the%20forum")
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Caching: local memory by default, Redis when CACHE_URL is set (redis://host:6379/0), shared by
# every app server: pages, the content version, sessions' cached copies, throttles. While Redis
# is down the site serves uncached and logs a warning (config/cache.py).
if env("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": env("CACHE_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages for anonymous visitors (see serving/page_cache.py); 0 turns it off.
ANONYMOUS_PAGE_CACHE_SECONDS = env_int("ANONYMOUS_PAGE_CACHE_SECONDS", 300)
# Pages for signed-in people, shared by everyone of the same audience; 0 turns it off.
AUDIENCE_PAGE_CACHE_SECONDS = env_int("AUDIENCE_PAGE_CACHE_SECONDS", 300)

# Background work: run immediately unless the database queue is chosen (with its worker).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# /healthz/ reports the queue as failing when a task has waited longer than this (no worker).
HEALTH_QUEUE_MAX_WAIT = env_int("HEALTH_QUEUE_MAX_WAIT", 300)

# Wagtail.
WAGTAIL_SITE_NAME = "Community safety best-practice forum"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# One e-mail per submission for moderation: the approval task's group (national editors) is told;
# superusers are not told a second time by the workflow's own notice.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# Workflow notices carry our plain HTML part too (templates/wagtailadmin/notifications/).
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILDOCS_DOCUMENT_MODEL = "documents.GovernanceDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "documents.forms.GovernanceDocumentForm"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_USER_CUSTOM_FIELDS = []
# Search (docs/search.md): Whoosh on local disk for one machine; with several app servers,
# SEARCH_BACKEND=database (Wagtail's PostgreSQL backend, the index in the shared database).
SEARCH_BACKEND = env("SEARCH_BACKEND", "whoosh")
_SEARCH_BACKENDS = {
    "whoosh": {
        "BACKEND": "search.backends.whoosh",
        "PATH": env("SEARCH_INDEX_PATH", str(VAR_DIR / "search-index")),
        # Updates are queued after commit by the backend's own handlers, not inside the save.
        "AUTO_UPDATE": False,
        "UPDATE_ON_COMMIT": True,
    },
    "database": {"BACKEND": "search.backends.database", "AUTO_UPDATE": True},
}
if SEARCH_BACKEND not in _SEARCH_BACKENDS:
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND must be one of {', '.join(_SEARCH_BACKENDS)}, not {SEARCH_BACKEND!r}"
    )
WAGTAILSEARCH_BACKENDS = {"default": _SEARCH_BACKENDS[SEARCH_BACKEND]}
TAGGIT_CASE_INSENSITIVE = True

# Security defaults that hold everywhere; production tightens the transport ones.
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache, written through to the database: no query per request. Django's
# cached_db, reading the viewer's kept facts in the same round trip (serving/sessions.py).
SESSION_ENGINE = "serving.sessions"
CSRF_FAILURE_VIEW = "home.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp, through config.headers) and Permissions-Policy
# (django-permissions-policy): docs/architecture.md, "Headers".
_SELF, _NONE, _UNSAFE_INLINE, _UNSAFE_EVAL = "'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'"
_CSP_COMMON = {
    "default-src": [_SELF],
    "connect-src": [_SELF],
    "font-src": [_SELF],
    "object-src": [_NONE],
    "base-uri": [_SELF],
    "form-action": [_SELF],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "frame-ancestors": [_NONE],
    }
}
# The Wagtail admin writes inline scripts and styles, and its accessibility checker (axe-core)
# compiles templates at run time; everything still comes from our own origin. Previews are
# framed by the admin itself.
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ("/admin/",)
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": [_SELF, _UNSAFE_INLINE, _UNSAFE_EVAL],
        "style-src": [_SELF, _UNSAFE_INLINE],
        "img-src": [_SELF, "data:", "blob:"],
        "worker-src": [_SELF, "blob:"],
        "frame-src": [_SELF],
        "frame-ancestors": [_SELF],
    }
}
# No Gravatar avatars in the admin: they would send each editor's e-mail hash to a third party
# on every page (and need it in img-src). Wagtail shows its own default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "accounts.security": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
FORM_RENDERER = "home.forms.FormRenderer"
