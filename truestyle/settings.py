"""TrueStyle settings, read from the environment.

Every variable has a safe embedded default so that `make run` works on a bare
machine; production sets them explicitly (see README, "Configuration").
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TRUESTYLE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("TRUESTYLE_LOCAL", False):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (or set TRUESTYLE_LOCAL=1).")
    # Local runs and tests only: never used where DEBUG is off in production.
    SECRET_KEY = "local-only-insecure-key-7b0c4d1e9f2a4c3b8e5d6f7a8b9c0d1e"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Contrib apps that live on MongoDB use AppConfigs with ObjectId keys.
    "truestyle.core.mongo_apps.MongoAuthConfig",
    "truestyle.core.mongo_apps.MongoContentTypesConfig",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_mongodb_backend",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI from PyPI, not a CDN
    "django_htmx",
    "django_filters",
    "truestyle.core",
    "truestyle.accounts",
    "truestyle.catalog",
    "truestyle.shopping",
    "truestyle.promotions",
    "truestyle.orders",
    "truestyle.payments",
    "truestyle.returns",
    "truestyle.reviews",
    "truestyle.analytics",
    "truestyle.backups",
    "truestyle.cms",
    # PostgreSQL apps (see truestyle.core.db_router.SQL_APPS).
    "truestyle.auditlog",
    "truestyle.contact",
    # Front doors.
    "storefront",
    "adminpanel",
    "api",
]

MIGRATION_MODULES = {
    "auth": "truestyle.core.mongo_migrations.auth",
    "contenttypes": "truestyle.core.mongo_migrations.contenttypes",
}

MIDDLEWARE = [
    "truestyle.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from gunicorn, compressed and cached (no proxy needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # /api/ only: refuses "$"-operator and dotted keys before any API view (api/middleware.py).
    "api.middleware.ApiInputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A MongoDB that cannot be reached answers 503 with Retry-After (truestyle/core/database_outage.py).
    "truestyle.core.database_outage.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "truestyle.urls"
WSGI_APPLICATION = "truestyle.wsgi.application"
ASGI_APPLICATION = "truestyle.asgi.application"

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
                "truestyle.core.context_processors.store",
                "truestyle.cms.context_processors.footer",
            ],
        },
    },
]

# --- Databases --------------------------------------------------------------
# `default` (SQL) holds only the audit log and contact messages; `mongodb`
# holds every business app, users included. See ARCHITECTURE.md.
EMBEDDED_MONGO_HOST = os.environ.get("EMBEDDED_MONGO_HOST", "127.0.0.1")
EMBEDDED_MONGO_PORT = int(os.environ.get("EMBEDDED_MONGO_PORT", "27117"))
EMBEDDED_MONGO_REPLICA_SET = "truestyle"
EMBEDDED_MONGO_DATA_DIR = Path(os.environ.get("EMBEDDED_MONGO_DATA_DIR", VAR_DIR / "mongo"))
MONGODB_URI = os.environ.get("MONGODB_URI") or (
    f"mongodb://{EMBEDDED_MONGO_HOST}:{EMBEDDED_MONGO_PORT}/"
    f"?replicaSet={EMBEDDED_MONGO_REPLICA_SET}&serverSelectionTimeoutMS=5000"
)
MONGODB_NAME = os.environ.get("MONGODB_NAME", "truestyle")
# How long a request waits for a reachable MongoDB before it answers 503 (pymongo's own default is
# 30 s). Passed as an option, which takes precedence over the same option in MONGODB_URI.
MONGODB_SERVER_SELECTION_TIMEOUT_MS = int(os.environ.get("MONGODB_SERVER_SELECTION_TIMEOUT_MS", "5000"))

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": (
        dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        if DATABASE_URL
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "truestyle.sqlite3"}
    ),
    "mongodb": {
        "ENGINE": "django_mongodb_backend",
        "HOST": MONGODB_URI,
        "NAME": MONGODB_NAME,
        "OPTIONS": {"connectTimeoutMS": 5000, "socketTimeoutMS": 30000,
                    "serverSelectionTimeoutMS": MONGODB_SERVER_SELECTION_TIMEOUT_MS},
    },
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A hung PostgreSQL must not hang a request forever.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 3
DATABASE_ROUTERS = ["truestyle.core.db_router.StoreRouter"]
# The SQL side keeps integer keys; Mongo apps declare ObjectIdAutoField.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "storefront:sign-in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Browser sessions in MongoDB that know their user (sessions page, sign out everywhere).
SESSION_ENGINE = "truestyle.accounts.session_store"
SESSION_COOKIE_AGE = 14 * 24 * 3600
AUTHENTICATION_BACKENDS = ["truestyle.accounts.permissions.CachedPermissionBackend"]

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=30),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY") or SECRET_KEY,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": False,
}

# --- Cache and Celery --------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "truestyle"),
            "OPTIONS": {
                # Short timeouts: a Redis outage makes reads miss, not hang.
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
                # After a network failure every cache call misses at once for this long, so a hung
                # Redis costs a request one timeout, not one per cache call (truestyle/core/cache_client.py).
                "CLIENT_CLASS": "truestyle.core.cache_client.SkipAfterFailureClient",
                "SKIP_AFTER_FAILURE_SECONDS": 5.0,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
# Without Redis the local run executes tasks inline: nothing to start.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "truestyle")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2}
CELERY_BEAT_SCHEDULE = {
    "flush-request-log-spool": {"task": "truestyle.auditlog.tasks.request_log_flush_spool", "schedule": 60.0},
    # Hourly: a price cut reaches opted-in wishlists the same day; each drop is emailed once.
    "wishlist-price-drop-notify": {"task": "truestyle.shopping.tasks.wishlist_price_drop_notify", "schedule": 3600.0},
}
CELERY_TIMEZONE = "Asia/Kolkata"

# --- Storage ------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "truestyle.core.storage.GridFSStorage", "OPTIONS": {"database_alias": "mongodb", "bucket_name": "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `make` (npm ci); never a CDN.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # Drag-to-reorder of product images on the staff pages (Sortable.min.js sits at the package root).
    ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs"),
    # Charts of the staff dashboard.
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/files/"
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", 8 * 1024 * 1024))
IMAGE_UPLOAD_MAX_PIXELS = int(os.environ.get("IMAGE_UPLOAD_MAX_PIXELS", 40_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email -------------------------------------------------------------------
# With EMAIL_HOST set, mail goes out over SMTP; otherwise it is printed to the
# console (local runs). The test suite swaps in Django's in-memory mailbox.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TrueStyle <store@truestyle.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "en-in"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
STORE_CURRENCY = "INR"

# --- REST API -------------------------------------------------------------------
# Requests per minute: generous for a phone, tight enough that one runaway client cannot crowd out the rest.
API_THROTTLE_RATES = {"anon": os.environ.get("API_THROTTLE_ANON", "300/min"),
                      "user": os.environ.get("API_THROTTLE_USER", "1200/min")}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.StoreJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Documents every operation's error responses from its view (api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "api.schema.StoreAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # Fair use per user or address (api/throttling.py); rates in API_THROTTLE_RATES.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.StoreAnonThrottle", "api.throttling.StoreUserThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StorePagination",
    "PAGE_SIZE": 24,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TrueStyle API",
    "DESCRIPTION": "The TrueStyle store's REST API for the mobile app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Request log ---------------------------------------------------------------
# Entries that cannot reach PostgreSQL wait here and are written later.
REQUEST_LOG_SPOOL_DIR = Path(os.environ.get("REQUEST_LOG_SPOOL_DIR", VAR_DIR / "request-log-spool"))
REQUEST_LOG_EXCLUDE_PREFIXES = ("/static/", "/healthz")
# Addresses or CIDR ranges of proxies whose X-Forwarded-For is believed.
REQUEST_LOG_TRUSTED_PROXIES = env_list("REQUEST_LOG_TRUSTED_PROXIES", "")

# --- Health --------------------------------------------------------------------
HEALTH_CHECK_TIMEOUT = float(os.environ.get("HEALTH_CHECK_TIMEOUT", "1.5"))

# --- Security ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

STORE_NAME = "TrueStyle"

# --- Orders, payments and invoices ----------------------------------------------
# Shipping fees in INR; standard shipping is free from ORDER_FREE_SHIPPING_FROM (items subtotal).
ORDER_SHIPPING_FEES = {"standard": "79.00", "express": "149.00"}
ORDER_FREE_SHIPPING_FROM = "999.00"
# Cash on delivery: PIN codes starting with one of these digits, except the listed ones, and only
# for order totals below ORDER_COD_MAX_TOTAL.
ORDER_COD_PIN_PREFIXES = tuple(env_list("ORDER_COD_PIN_PREFIXES", "1,2,3,4,5,6,7,8"))
ORDER_COD_EXCLUDED_PINS = frozenset(env_list("ORDER_COD_EXCLUDED_PINS", "744101,737101,194101"))
ORDER_COD_MAX_TOTAL = "10000.00"
# Unpaid online (UPI, card) orders are cancelled after this many seconds, returning stock and coupon.
ORDER_PAYMENT_TIMEOUT = int(os.environ.get("ORDER_PAYMENT_TIMEOUT", str(30 * 60)))
# Product views, bag and wishlist adds and purchases are counted in memory and written in one batch
# this often (a view costs no database write); 0 writes each at once.
TRENDING_ACTIVITY_FLUSH_SECONDS = float(os.environ.get("TRENDING_ACTIVITY_FLUSH_SECONDS", "5"))
# "Trending now" follows shoppers within a quarter of an hour.
CELERY_BEAT_SCHEDULE["trending-recompute"] = {"task": "truestyle.analytics.tasks.trending_recompute_task",
                                              "schedule": 900.0}
# Contact replies whose email task was lost (broker away) go out within a few minutes.
CELERY_BEAT_SCHEDULE["contact-replies-send-queued"] = {"task": "truestyle.contact.tasks.contact_replies_send_queued",
                                                       "schedule": 300.0}
CELERY_BEAT_SCHEDULE["orders-expire-unpaid"] = {"task": "truestyle.orders.tasks.orders_expire_unpaid", "schedule": 60.0}
# Order mails whose task was lost (broker or worker away) go out within a few minutes.
CELERY_BEAT_SCHEDULE["orders-send-queued-emails"] = {"task": "truestyle.orders.tasks.orders_send_queued_emails",
                                                     "schedule": 300.0}
# The sandbox provider approves payments with a click, so it exists only where that is harmless:
# local runs and tests, or where explicitly switched on (a staging site).
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", DEBUG or env_bool("TRUESTYLE_LOCAL", False))
# Payment gateways by name: adding a provider is one class and one line here.
PAYMENT_GATEWAYS = {"sandbox": "truestyle.payments.gateways.sandbox.SandboxGateway"} if PAYMENT_SANDBOX_ENABLED else {}
PAYMENT_DEFAULT_GATEWAY = os.environ.get("PAYMENT_DEFAULT_GATEWAY", "sandbox")
# The sandbox "provider" and the store share this HMAC key; by default derived from SECRET_KEY
# (one-way, so knowing it reveals nothing of SECRET_KEY).
PAYMENT_SANDBOX_SECRET = os.environ.get(
    "PAYMENT_SANDBOX_SECRET", hashlib.sha256(f"payment-sandbox:{SECRET_KEY}".encode()).hexdigest())
# Callbacks older than this (by their timestamp) are refused as stale.
PAYMENT_CALLBACK_MAX_AGE = int(os.environ.get("PAYMENT_CALLBACK_MAX_AGE", str(24 * 3600)))
# Invoices: the seller as printed on every tax invoice.
INVOICE_SELLER = {
    "name": os.environ.get("INVOICE_SELLER_NAME", "TrueStyle Retail Pvt Ltd"),
    "gstin": os.environ.get("INVOICE_SELLER_GSTIN", "29ABCDE1234F1Z5"),
    "address": os.environ.get("INVOICE_SELLER_ADDRESS", "12 MG Road, Bengaluru, Karnataka 560001"),
}
INVOICE_PREFIX = "TS"
