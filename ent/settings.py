"""One settings module, read from the environment (django-environ).

The defaults make `make demo` work on a bare machine: SQLite file, eager Celery tasks,
console e-mail. `DATABASE_URL` and `REDIS_URL` switch to the real services;
`DJANGO_ENV=production` demands a secret key and real hosts.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    DEBUG = env.bool("DEBUG", default=False)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-ent-paris-not-for-production")
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "schools",
    "annuaire",
    "vie_scolaire",
    "cahier_textes",
    "pedagogie",
    "communication",
    "ent",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ent.middleware.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "annuaire.middleware.TenantMiddleware",
]

ROOT_URLCONF = "ent.urls"
WSGI_APPLICATION = "ent.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # An app split into sub-domains keeps each one's templates beside its code
        # (vie_scolaire/attendance/templates/vie_scolaire/roll_call.html). APP_DIRS reads only
        # <app>/templates/, so our apps' <app>/<sub-domain>/templates/ folders are listed here, in a
        # fixed order; a template keeps its name "<app>/<page>.html" wherever it sits. (Third-party
        # apps have no folder in BASE_DIR, so they add nothing.)
        "DIRS": [
            BASE_DIR / "templates",
            *sorted(folder for app in INSTALLED_APPS for folder in (BASE_DIR / app).glob("*/templates")),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ent.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'ent.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica for heavy reads (schools.replica.heavy_reads); the tests mirror the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["schools.replica.ReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, grouping queries so that they hold on the keys of a distribution by school.
        _database["ENGINE"] = "schools.postgresql"
# PgBouncer in transaction mode (docs/scale-out.md): no server-side cursors, no prepared
# statements, and no school scope kept on a server connection that the next client would get: each
# transaction gets its own (schools.tenancy.scope_each_transaction).
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
DATABASE_SCOPE_IN_CONNECTION = DATABASE_POOLER != "pgbouncer-transaction"
if not DATABASE_SCOPE_IN_CONNECTION:
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": env.str("CACHE_PREFIX", default="ent"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ent-paris",
        }
    }

AUTH_USER_MODEL = "annuaire.User"
AUTHENTICATION_BACKENDS = [
    "annuaire.backends.EntBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row
GUARDIAN_RAISE_403 = False

# Argon2id first (annuaire.hashers: the sign-in rush of a Monday morning); PBKDF2 hashes
# still verify and are rewritten at the next sign-in.
PASSWORD_HASHERS = [
    "annuaire.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

# CNIL deliberation 2022-100: at least 12 characters, any Unicode, no composition rule,
# no forced rotation, common passwords refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "annuaire.password_policy.CommonPasswordVariantValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: identifier or e-mail, no self sign-up (accounts come from the directory).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "annuaire.adapters.AccountAdapter"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Behind the city's proxy, the client's address is the last one it adds to X-Forwarded-For:
# the sign-in limits below count per family, not per proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    # First-login activation form (annuaire.views.account), through allauth's rate limiter.
    "activate_account": "10/m/ip",
}
ACCOUNT_FORMS = {
    "login": "annuaire.forms.LoginForm",
    "reset_password": "annuaire.forms.ResetPasswordForm",
    "reset_password_from_key": "annuaire.forms.ResetPasswordKeyForm",
    "change_password": "annuaire.forms.ChangePasswordForm",
    "set_password": "annuaire.forms.SetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ENT Paris] "
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no e-mail to addresses the directory does not know
ACCOUNT_USERNAME_MIN_LENGTH = 2
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ENT Paris"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Where the rectorat drops its AAF exports; imported nightly, then moved to done/ or refused/.
AAF_DROP_DIR = env.path("AAF_DROP_DIR", default=str(BASE_DIR / "var" / "aaf-drop"))
# Parses of AAF files kept by content, so that a file received again is not parsed again
# (annuaire/aaf/parse_cache.py); empty: every file is parsed.
AAF_PARSE_CACHE_DIR = env.str("AAF_PARSE_CACHE_DIR", default=str(BASE_DIR / "var" / "aaf-parsed"))
# The ministry's LSU import schema (import-complet-strict.xsd, version 10.0): when set, each
# export is checked against it before the head downloads it.
LSU_XSD_PATH = env("LSU_XSD_PATH", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Static files are served by WhiteNoise, from the source folders outside production.
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A family's justification document (a doctor's note, scanned or photographed): larger files are refused.
ATTENDANCE_DOCUMENT_MAX_BYTES = env.int("ATTENDANCE_DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)
# A teacher's worksheet or slides joined to the homework book.
HOMEWORK_ATTACHMENT_MAX_BYTES = env.int("HOMEWORK_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# A file joined to a message (messaging): larger files are refused.
MESSAGE_ATTACHMENT_MAX_BYTES = env.int("MESSAGE_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# The portal's address as families reach it, for the links in e-mails and text messages.
ENT_BASE_URL = env.str("ENT_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Text messages (absence alerts): `communication.notifications.sms` names the interface; the console prints them.
SMS_BACKEND = env.str("SMS_BACKEND", default="communication.notifications.sms.ConsoleSmsBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ENT Paris <ne-pas-repondre@ent.paris.fr>")

# Celery: Redis as broker; without REDIS_URL every task runs eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "purge-expired-activation-codes": {
        "task": "annuaire.tasks.purge_expired_activation_codes",
        "schedule": crontab(hour=3, minute=15),
    },
    "import-aaf-drop-folder": {
        "task": "annuaire.tasks.import_aaf_drop_folder",
        "schedule": crontab(hour=2, minute=30),
    },
    # E-mails and SMS held by quiet hours (or left by a lost task), and announcements coming due.
    "deliver-waiting-notifications": {
        "task": "communication.tasks.deliver_waiting_notifications",
        "schedule": crontab(minute="*/5"),
    },
    # Roll-call absences whose families' notice a lost task left unsent (the task itself runs on time).
    "send-owed-absence-notices": {
        "task": "vie_scolaire.tasks.send_owed_absence_notices",
        "schedule": crontab(minute="*/5", hour="7-19"),
    },
    # Grades whose publication date has come, told to students and parents through the school day.
    "tell-published-grades": {
        "task": "vie_scolaire.tasks.tell_published_grades",
        "schedule": crontab(minute="*/30", hour="7-20"),
    },
    "fan-out-due-announcements": {
        "task": "communication.tasks.fan_out_due_announcements",
        "schedule": crontab(minute="*/5"),
    },
    # Digests leave in the morning, before school: every day, and on Mondays for the weekly one.
    "daily-notification-digest": {
        "task": "communication.tasks.send_digests",
        "schedule": crontab(hour=6, minute=30),
        "args": ("daily",),
    },
    "weekly-notification-digest": {
        "task": "communication.tasks.send_digests",
        "schedule": crontab(hour=6, minute=45, day_of_week=1),
        "args": ("weekly",),
    },
}
# How long Redis keeps a task a worker took but never acknowledged (a killed worker's) before giving
# it to another: tests shorten it; notifications do not wait for it (the five-minute sweep resends them).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often a worker looks for such messages (every interval x throttle seconds; kombu's defaults).
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
}

REST_FRAMEWORK = {
    # The token comes first: DRF takes the first class's WWW-Authenticate header, so an
    # unauthenticated call answers 401 (the session class alone would make it 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annuaire.api.auth.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="30/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "ENT Paris API",
    "DESCRIPTION": "API de l'Espace Numérique de Travail des collèges et lycées de Paris.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One name per choice set shared by several serializers.
    "ENUM_NAME_OVERRIDES": {
        "ProfileEnum": "annuaire.models.Profile",
        "AccountStateEnum": "annuaire.selectors.admin.AccountState",
        "SchoolKindEnum": "schools.models.School.Kind",
    },
}

# The queue limit in front of each web process (ent.overload): that many requests at once
# (gthread workers: the number of threads), that many more waiting at most OVERLOAD_MAX_WAIT
# seconds; past it, 503 with Retry-After. 0 turns the guard off.
OVERLOAD_MAX_ACTIVE = env.int("OVERLOAD_MAX_ACTIVE", default=8)
OVERLOAD_MAX_WAITING = env.int("OVERLOAD_MAX_WAITING", default=16)
OVERLOAD_MAX_WAIT = env.float("OVERLOAD_MAX_WAIT", default=2.0)
OVERLOAD_RETRY_AFTER = env.int("OVERLOAD_RETRY_AFTER", default=5)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Several web machines share sessions through the database (the default) or, lighter on the
# database at 8:00, through Redis: "django.contrib.sessions.backends.cache" (docs/scale-out.md).
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Where the charter and accessibility statement point families to.
ENT_SUPPORT_EMAIL = env.str("ENT_SUPPORT_EMAIL", default="assistance-ent@paris.fr")
ACTIVATION_CODE_TTL_DAYS = env.int("ACTIVATION_CODE_TTL_DAYS", default=90)
ADMIN_URL = env.str("ADMIN_URL", default="django-admin/")

# Guardian's own backend is not installed: annuaire.backends.EntBackend reads the
# delegations (guardian object permissions on School) together with roles and relationships.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
