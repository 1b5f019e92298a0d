"""Settings for almo-sla, read once from the environment (django-environ).

Defaults give a self-contained development setup: SQLite, eager Celery tasks,
console e-mail. Set ``DATABASE_URL`` for PostgreSQL and ``CELERY_BROKER_URL`` for
real Celery workers. ``DJANGO_ENV=production`` switches on the deployment settings
(HTTPS only, secure cookies, HSTS, hashed static files) and refuses to start without
``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``. See README, "Configuration".
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DJANGO_DEBUG=(bool, False),
    DJANGO_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    CELERY_BROKER_URL=(str, ""),
    DJANGO_LOG_LEVEL=(str, "INFO"),
)
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    for required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        if not env(required, default=""):
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production.")
    DEBUG = False
else:
    DEBUG = env("DJANGO_DEBUG")
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-local-development-only-not-for-production")
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "services",
    "agreements",
    "reporting",
    "outbox",
    "rest_framework",
    "drf_spectacular",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # before WhiteNoise, so that static files carry the same security headers as pages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "almo_sla.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "almo_sla.middleware.SessionLifetimeMiddleware",
    "almo_sla.middleware.TwoFactorMiddleware",
    "almo_sla.middleware.NoStoreForSignedInMiddleware",
    "almo_sla.no_role.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "almo_sla.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "services.context_processors.navigation",
                "reporting.context_processors.your_task_counts",
                "almo_sla.session.session_timeout",
            ],
            "libraries": {"govuk_forms": "almo_sla.templatetags.govuk_forms"},
        },
    },
]
FORM_RENDERER = "almo_sla.forms.GovukFormRenderer"

WSGI_APPLICATION = "almo_sla.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Bounded waits on PostgreSQL (issue 17), so that a database that cannot be reached or stops
# answering gives a 503 within seconds instead of a hung request (see almo_sla/postgresql):
# - DATABASE_CONNECT_TIMEOUT: the longest wait for a new connection (there is no pool: each
#   process holds at most one persistent connection, so this bounds the wait for a connection);
# - DATABASE_STATEMENT_TIMEOUT: the server cancels a statement running longer (0: no limit,
#   e.g. for a long migration);
# - DATABASE_READ_TIMEOUT: the longest wait for any answer from the server; above the statement
#   timeout, so it only fires when the server cannot be heard at all (packets dropped);
# - DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: the server ends a session left idle inside a transaction
#   (its client gone mid-request), releasing its row locks.
DATABASE_CONNECT_TIMEOUT = env.float("DATABASE_CONNECT_TIMEOUT", default=5.0)
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=10.0)
DATABASE_READ_TIMEOUT = env.float(
    "DATABASE_READ_TIMEOUT", default=DATABASE_STATEMENT_TIMEOUT + 5.0 if DATABASE_STATEMENT_TIMEOUT else 0.0
)
DATABASE_IDLE_IN_TRANSACTION_TIMEOUT = env.float("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", default=60.0)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["ENGINE"] = "almo_sla.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _server_options = " ".join(
        f"-c {name}={int(seconds * 1000)}"
        for name, seconds in (
            ("statement_timeout", DATABASE_STATEMENT_TIMEOUT),
            ("idle_in_transaction_session_timeout", DATABASE_IDLE_IN_TRANSACTION_TIMEOUT),
        )
    )
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["connect_timeout"] = max(1, round(DATABASE_CONNECT_TIMEOUT))  # libpq's own, for blocking connects
    _options["options"] = f"{_options.get('options', '')} {_server_options}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Signed out after this many seconds without a request (default 30 minutes).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# Seconds before the idle session ends that the timeout warning appears (almo_sla/session.py).
SESSION_TIMEOUT_WARNING = env.int("SESSION_TIMEOUT_WARNING", default=2 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ... and after this many seconds from signing in, however active (default 12 hours).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)

# The client address behind reverse proxies: the number of proxies in front of the app that
# append to X-Forwarded-For (1 for the nginx of deploy/). 0 trusts no header: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Log-in throttling: 5 failures for a username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "almo_sla.security.axes_client_address"
AXES_LOCKOUT_CALLABLE = "almo_sla.lockout.lockout_response"

# Two-factor authentication (TOTP). Anyone may set it up; when TWO_FACTOR_REQUIRED is on,
# administrators and coordinators must use it.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=PRODUCTION)
TWO_FACTOR_REQUIRED_ROLES = ["administrator", "coordinator"]
OTP_TOTP_ISSUER = "ALMO service level agreements"

# Single sign-on with the council's directory (OpenID Connect; almo_sla/sso.py). On when
# OIDC_ISSUER and OIDC_CLIENT_ID are set; local accounts keep working beside it.
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_DISCOVERY_URL = env("OIDC_DISCOVERY_URL", default=f"{OIDC_ISSUER}/.well-known/openid-configuration")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
SSO_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID)
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_DISCOVERY_CACHE_SECONDS = env.int("OIDC_DISCOVERY_CACHE_SECONDS", default=3600)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
OIDC_ALLOWED_EMAIL_DOMAINS = [d.lower().strip() for d in env.list("OIDC_ALLOWED_EMAIL_DOMAINS", default=[])]
OIDC_REQUIRE_VERIFIED_EMAIL = env.bool("OIDC_REQUIRE_VERIFIED_EMAIL", default=True)
# ID token "amr" values (RFC 8176) that mean the provider did multi-factor authentication.
OIDC_MFA_AMR_VALUES = [v.lower() for v in env.list("OIDC_MFA_AMR_VALUES", default=["mfa", "otp", "hwk", "sc"])]
# A first role for new users from a directory claim: "group=role[:almo-or-department-slug]; ...".
OIDC_ROLE_CLAIM = env("OIDC_ROLE_CLAIM", default="groups")
OIDC_ROLE_MAP = env("OIDC_ROLE_MAP", default="")
OIDC_CREATE_USER = True
OIDC_USERNAME_ALGO = "almo_sla.sso_usernames.username_from_email"
LOGIN_REDIRECT_URL_FAILURE = "login"
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("almo_sla.sso.CouncilOIDCBackend")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
CURRENCY = "GBP"

STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
# Password reset by e-mail: on when e-mail is configured (or outside production, where the
# console backend shows the message).
PASSWORD_RESET_ENABLED = env.bool(
    "PASSWORD_RESET_ENABLED",
    default=bool(not PRODUCTION or env("EMAIL_URL", default="") or env("DJANGO_EMAIL_BACKEND", default="")),
)
# The address people reach the service at: links in e-mails are built on it.
SITE_URL = env("SITE_URL", default=env("DJANGO_SITE_URL", default="http://127.0.0.1:8000"))
# GOV.UK Notify (outbox/): when NOTIFY_API_KEY is set, every e-mail goes through Notify, one
# template per kind of notification; each template shows ((subject)) and ((body)).
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env.float("NOTIFY_TIMEOUT", default=15.0)
NOTIFY_MAX_RETRIES = env.int("NOTIFY_MAX_RETRIES", default=8)
NOTIFY_RETRY_DELAY = env.int("NOTIFY_RETRY_DELAY", default=60)  # seconds, doubled each try (at most an hour)
NOTIFY_TEMPLATES = {
    kind: env(f"NOTIFY_TEMPLATE_{kind.upper()}", default="")
    for kind in (
        "generic",
        "version_circulated",
        "comment_reminder",
        "comment_deadline_passed",
        "return_due",
        "return_overdue",
    )
}
if NOTIFY_API_KEY:
    if not NOTIFY_TEMPLATES["generic"]:
        raise ImproperlyConfigured("NOTIFY_TEMPLATE_GENERIC must be set when NOTIFY_API_KEY is set.")
    EMAIL_BACKEND = "outbox.backends.NotifyEmailBackend"
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="almo-sla@example.gov.uk")
# Working days the ALMO's coordinator has to answer a tenant scrutiny panel's challenge or recommendation.
SCRUTINY_RESPONSE_WORKING_DAYS = env.int("SCRUTINY_RESPONSE_WORKING_DAYS", default=20)

# Celery: without a broker, tasks run eagerly so the app works on its own.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is down, so a request that queues a task never hangs: a short
# connection timeout and a bounded publish retry (about a second in all); almo_sla.queue
# then records the failure and a beat job queues the work again (reporting.requeue_board_packs).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
# Redis: connect/read timeouts, and the visibility timeout after which a message taken by a
# worker that died (acks_late: not yet acknowledged) is delivered again. It must exceed the
# longest task (a board pack: BOARD_PACK_SOFT_TIME_LIMIT + 60 s hard limit, 6 minutes by
# default) or a slow but healthy render would be handed to a second worker; 15 minutes keeps
# it above that while a pack lost with its whole worker still comes back within the quarter
# hour. A killed pool child (not the whole worker) is redelivered at once (reject_on_worker_lost).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0),
    "socket_timeout": 10,
    "max_retries": 2,
}
# The Redis result backend subscribes to each task's result when it is queued: the same limits
# (its default is 20 retries, a 20-second wait per request with Redis down).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_BEAT_SCHEDULE = {
    "agreements-comment-deadline-emails": {
        "task": "agreements.send_comment_deadline_emails",
        "schedule": crontab(hour=7, minute=0),
    },
    "agreements-apply-due-variations": {
        "task": "agreements.apply_due_variations",
        "schedule": crontab(hour=0, minute=5),
    },
    "agreements-activate-due-agreements": {
        "task": "agreements.activate_due_agreements",
        "schedule": crontab(hour=0, minute=10),
    },
    # Quarterly returns: open the quarter's returns (idempotent, so daily is safe) and send reminders.
    "open-quarter-returns": {"task": "reporting.open_quarter_returns", "schedule": crontab(hour=6, minute=0)},
    "send-return-reminders": {"task": "reporting.send_return_reminders", "schedule": crontab(hour=7, minute=0)},
    "notify-overdue-remedial-actions": {
        "task": "reporting.notify_overdue_remedial_actions",
        "schedule": crontab(hour=7, minute=15),
    },
    # Notifications (services/notifications.py): daily digests, and a sweep for e-mails the
    # broker never took or whose last attempt failed.
    "send-notification-digests": {"task": "services.send_notification_digests", "schedule": crontab(hour=7, minute=30)},
    "send-pending-notifications": {"task": "services.send_pending_notifications", "schedule": 300.0},
    # Board packs whose task could not be queued (broker down) or whose claim went stale.
    "requeue-board-packs": {"task": "reporting.requeue_board_packs", "schedule": 60.0},
    # Escalation cases: open for standards red two quarters running, close those that recovered.
    "sync-escalation-cases": {"task": "reporting.sync_escalation_cases", "schedule": crontab(hour=6, minute=30)},
    "send-meeting-action-reminders": {
        "task": "reporting.send_meeting_action_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    # E-mails whose delivery task could not be queued (broker down).
    "outbox-requeue-stranded": {"task": "outbox.requeue_stranded", "schedule": 300.0},
}
# Sealed agreed versions (agreements/sealing.py): the PKCS#12 file with the service's document
# seal (key and certificate). Unset outside production: a self-signed one is made in MEDIA_ROOT.
SEAL_PKCS12_PATH = env("SEAL_PKCS12_PATH", default="")
SEAL_PKCS12_PASSWORD = env("SEAL_PKCS12_PASSWORD", default="")
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# Board packs (reporting/packs): render sections as a Celery group across workers.
BOARD_PACK_PARALLEL = env.bool("BOARD_PACK_PARALLEL", default=False)
BOARD_PACK_SOFT_TIME_LIMIT = env.int("BOARD_PACK_SOFT_TIME_LIMIT", default=300)
# A pack still queued this long after its task was (or failed to be) queued is queued again.
BOARD_PACK_REQUEUE_AFTER = env.int("BOARD_PACK_REQUEUE_AFTER", default=180)
# Each user may request at most this many packs in any hour (rendering is expensive).
BOARD_PACK_REQUESTS_PER_HOUR = env.int("BOARD_PACK_REQUESTS_PER_HOUR", default=10)
# Tests only: seconds each section waits before rendering, so a worker can be killed mid-render.
BOARD_PACK_TEST_DELAY = env.float("BOARD_PACK_TEST_DELAY", default=0.0)
# "parts": each part of a pack rendered apart, cached by a hash of its HTML and merged with its
# structure tree (reporting.packs.parts, issue 15); "one-pass": the whole pack as one document.
BOARD_PACK_RENDERER = env("BOARD_PACK_RENDERER", default="parts")
# The cache of rendered pack parts: the "board_packs" cache below, by default a directory beside
# MEDIA_ROOT (writable: /var/lib/almo-sla/pack-parts in deploy/) shared by the workers of one
# machine; BOARD_PACK_CACHE_URL (e.g. redis://...) to share it across machines. A cache that
# fails only costs a render.
BOARD_PACK_CACHE = "board_packs"
BOARD_PACK_CACHE_SECONDS = env.int("BOARD_PACK_CACHE_SECONDS", default=60 * 60 * 24 * 120)

# The cache holds the API's request counts: set CACHE_URL (e.g. redis://127.0.0.1:6379/2) so every
# web process counts together; the default is per process.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    "board_packs": {
        **env.cache_url("BOARD_PACK_CACHE_URL", default=f"filecache://{Path(MEDIA_ROOT).parent / 'pack-parts'}"),
        "OPTIONS": {"MAX_ENTRIES": env.int("BOARD_PACK_CACHE_ENTRIES", default=5000)},
    },
}
# Read-only REST API at /api/v1/ (api/): per-user tokens, the pages' selectors, throttled.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="1200/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasRole"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": API_THROTTLE_RATE, "anon": "60/hour"},
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ALMO service level agreements API",
    "DESCRIPTION": "Read-only: agreements, schedules, standards, quarterly results, departures, costs and notices.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.HasRole"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
}

DJANGO_TABLES2_TEMPLATE = "includes/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# Content Security Policy: our pages need no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SESSION_COOKIE_HTTPONLY = True
    # __Host- cookies: Secure, path /, no Domain, so a sibling sub-domain cannot set or read them
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # control characters in messages are escaped: no forged log lines (ASVS V16.4.1)
        "plain": {
            "class": "almo_sla.security.SafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "almo_sla.security": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
