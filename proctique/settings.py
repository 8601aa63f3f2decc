"""Proctique settings, read from the environment through one django-environ object.

Development needs no variables at all (SQLite, SqliteHuey, local media, console email).
Production refuses to start without its secrets; see the README's configuration table.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ

from django.core.exceptions import ImproperlyConfigured

from proctique.db_cursors import PreparingCursor

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Local state of a development run: SQLite database, SqliteHuey queue, emails, collected static.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: export SECRET_KEY (or DEBUG=true for local development)."
        )
    SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105

# `make run` derives SITE_URL from its HOST and PORT, so links in emails, feeds, the sitemap and
# API payloads point at the server that is actually running.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=sorted({"localhost", "127.0.0.1", "[::1]", urlsplit(SITE_URL).hostname or "localhost"}),
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "proctique",
    "accounts",
    "showcase",
    "reviews",
    "tasks",
    "insights",
    "community",
    "follows",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.UsersAppConfig",  # wagtail.users with our user fields
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_storages",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our static files
    "corsheaders",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database or media storage that is down answers 503 (proctique.unavailable).
    "proctique.unavailable.ServiceUnavailableMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "proctique.middleware.PublicCacheMiddleware",
    # Below the response cache, so a cache hit is already compressed.
    "proctique.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "proctique.middleware.CacheControlMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "proctique.urls"
WSGI_APPLICATION = "proctique.wsgi.application"
ASGI_APPLICATION = "proctique.asgi.application"

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
                "proctique.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Server-side binding lets psycopg prepare a statement on its fifth use on a connection, so
# PostgreSQL plans each repeated statement once per connection instead of on every request:
# planning was half of the database's CPU on the API list and a third on the review POST
# (docs/scaling.md). Turn it off behind a pooler in transaction mode that cannot keep prepared
# statements (PgBouncer before 1.21, or without max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
POSTGRES_OPTIONS = (
    {"server_side_binding": True, "prepare_threshold": 5, "cursor_factory": PreparingCursor}
    if DATABASE_PREPARED_STATEMENTS
    else {}
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = POSTGRES_OPTIONS | DATABASES["default"].get("OPTIONS", {})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # runserver and the consumer (Wagtail's index tasks) write at the same time. WAL lets reads
    # go on beside a write; IMMEDIATE takes the write lock at BEGIN, where the busy timeout
    # applies, instead of failing outright when a reading transaction later tries to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas (docs/replicas.md): reads of requests that need not see their own recent
# writes go to one of them; writes, migrations, tasks and commands stay on the primary.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
REPLICA_CONNECT_TIMEOUT = env.int("REPLICA_CONNECT_TIMEOUT", default=2)
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=5.0)
DATABASE_REPLICAS = []
for _number, _url in enumerate(DATABASE_REPLICA_URLS):
    _replica = env.db_url_config(_url)
    if {DATABASES["default"]["ENGINE"], _replica["ENGINE"]} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS: primary and replicas are PostgreSQL.")
    _replica.update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        # The test runner points replicas at the test database instead of creating one.
        TEST={"MIRROR": "default"},
    )
    _replica["OPTIONS"] = POSTGRES_OPTIONS | _replica.get("OPTIONS", {})
    _replica["OPTIONS"].setdefault("connect_timeout", REPLICA_CONNECT_TIMEOUT)
    # A replica URL that reaches a writable server (say, a promoted one) still refuses writes.
    _replica["OPTIONS"].setdefault("options", "-c default_transaction_read_only=on")
    DATABASES[f"replica_{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica_{_number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["proctique.db_routing.ReplicaRouter"]
    # First, so every read of the request, including lazy ones in other middleware, is routed.
    MIDDLEWARE.insert(0, "proctique.db_pinning.ReplicaRoutingMiddleware")

# --- Cache and queue --------------------------------------------------------------
# One Redis for both by default; give each its own (CACHE_REDIS_URL, HUEY_REDIS_URL) so cache
# eviction can never drop queued work. Redis is never a point of failure: short socket
# timeouts and a breaker bound every wait (docs/reliability.md).
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default=REDIS_URL)
HUEY_REDIS_URL = env.str("HUEY_REDIS_URL", default=REDIS_URL)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
REDIS_BREAKER_SECONDS = env.float("REDIS_BREAKER_SECONDS", default=5.0)
HUEY_NAME = env.str("HUEY_NAME", default="proctique")
# Tests flip huey.immediate on the instance; the HUEY setting itself is read once at import.
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=False)
# Rate-limit counters (DRF throttles, allauth, review posting) keep counting in process memory
# while Redis is unreachable; other keys miss, and writes dropped then are deleted on recovery.
CACHE_LOCAL_FALLBACK_PREFIXES = ["throttle_", "allauth:rl:", "reviews:posts:"]


def _redis_cache(prefix: str, **extra) -> dict:
    return {
        "BACKEND": "proctique.cache_backend.OutageTolerantRedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": prefix,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
            "CONNECTION_POOL_CLASS": "proctique.redis_breaker.BreakerConnectionPool",
            "CONNECTION_POOL_KWARGS": {"breaker_seconds": REDIS_BREAKER_SECONDS},
            "LOCAL_FALLBACK_PREFIXES": CACHE_LOCAL_FALLBACK_PREFIXES,
        },
        **extra,
    }


if CACHE_REDIS_URL:
    CACHES = {
        "default": _redis_cache(HUEY_NAME),
        "renditions": _redis_cache(f"{HUEY_NAME}-renditions", TIMEOUT=60 * 60 * 24),
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
if HUEY_REDIS_URL:
    HUEY = {
        "huey_class": "proctique.huey_storage.BoundedRedisHuey",
        "name": HUEY_NAME,
        "url": HUEY_REDIS_URL,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "breaker_seconds": REDIS_BREAKER_SECONDS,
        "immediate": HUEY_IMMEDIATE,
        "results": False,
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "results": False,
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
    }

# Wagtail's own background work (search index, reference index, cache purge) on the same queue;
# the backend logs instead of raising when Redis is down after commit (tasks/backends.py).
TASKS = {
    "default": {
        "BACKEND": "tasks.backends.OutageTolerantHueyBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- Auth ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses accounts locked by failed sign-ins, on every route (accounts.lockout).
    "accounts.lockout.LockoutModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "accounts.reset_tokens.ResetTokenGenerator"  # noqa: S105
# Mandatory in production: no one is signed in before proving the address, so sign-up cannot
# tell whether an address has an account (docs/security.md). `make run` keeps it optional.
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# The per-account failed sign-in lockout, in the database (web, admin and API alike).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=300)
# Sign in with GitHub (accounts/github/): offered only when both are set. A GitHub login links
# to the account whose address is GitHub's verified primary one; it never creates or links an
# account from an unverified address. The app lives in settings, so no SocialApp row is needed.
GITHUB_CLIENT_ID = env.str("GITHUB_CLIENT_ID", default="")
GITHUB_CLIENT_SECRET = env.str("GITHUB_CLIENT_SECRET", default="")
if bool(GITHUB_CLIENT_ID) != bool(GITHUB_CLIENT_SECRET):
    raise ImproperlyConfigured("Set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or neither.")
GITHUB_WEB_ORIGIN = "https://github.com"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "github": {
        # Reads its URLs per request (GITHUB_URL, as allauth names it, for GitHub Enterprise).
        "provider_class": "accounts.github.provider.GitHubProvider",
        "SCOPE": ["user:email"],
        **(
            {"APP": {"client_id": GITHUB_CLIENT_ID, "secret": GITHUB_CLIENT_SECRET}}
            if GITHUB_CLIENT_ID
            else {}
        ),
    }
}
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # starting a sign-in is a POST with a CSRF token
SOCIALACCOUNT_STORE_TOKENS = False  # we never call GitHub on the user's behalf afterwards

# Behind a reverse proxy, name the header it sets; otherwise REMOTE_ADDR is the client.
TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="")
if TRUSTED_CLIENT_IP_HEADER:
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER

# --- API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "proctique.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "proctique.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "proctique.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("THROTTLE_AUTH", default="10/min"),
        "password_reset": env.str("THROTTLE_PASSWORD_RESET", default="5/hour"),
        "reviews": env.str("THROTTLE_REVIEWS", default="10/hour"),
        "uploads": env.str("THROTTLE_UPLOADS", default="30/hour"),
        "upvotes": env.str("THROTTLE_UPVOTES", default="60/hour"),
        # Every API call, besides the scoped limits above: per IP, or per signed-in user.
        "anon": env.str("THROTTLE_ANON", default="600/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default="")
if not JWT_SIGNING_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "JWT_SIGNING_KEY is not set: export a key separate from SECRET_KEY for API tokens."
        )
    JWT_SIGNING_KEY = "dev-only-insecure-jwt-key-change-me-0123456789abcdef"  # noqa: S105
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "AUDIENCE": env.str("JWT_AUDIENCE", default="proctique-api"),
    "ISSUER": env.str("JWT_ISSUER", default=SITE_URL),
    "CHECK_REVOKE_TOKEN": True,
    "REVOKE_TOKEN_CLAIM": "hash_password",
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Proctique API",
    "DESCRIPTION": "Browse, publish and review projects. Authenticate with a JWT bearer token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "PREPROCESSING_HOOKS": ["proctique.api.schema.exclude_wagtail_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "proctique.api.schema.disambiguate_blank_strings",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Several serializers have a "status" field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "reviews.models.Review.Status",
        "ReportStatusEnum": "reviews.models.Report.Status",
        "ReportReasonEnum": "reviews.models.Report.Reason",
        "ProjectStatusEnum": "showcase.api.serializers.ProjectStatus.CHOICES",
        "EmailKindEnum": "tasks.emails.kind_choices",
        "FollowTargetTypeEnum": "follows.models.TARGETS",
        # A report's target and a feed item's kind are the same pair of choices.
        "ReviewOrProjectEnum": ["review", "project"],
    },
    # The docs UI comes from our own static files (the pinned sidecar package), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

# Per-user review posting limit (abuse control), on top of the API throttles.
REVIEWS_POSTS_PER_HOUR = env.int("REVIEWS_POSTS_PER_HOUR", default=10)

# Browser/CDN lifetime of public responses (they carry validators for revalidation).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)
# Whole public responses for anonymous callers, keyed by the content version (0 turns it off).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# A project needs a cover, a category and a description before it can go live.
PROJECTS_REQUIRE_COMPLETE = env.bool("PROJECTS_REQUIRE_COMPLETE", default=True)

# --- Static and media --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {"BACKEND": "proctique.media_storage.LocalMediaStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_S3_URL_PROTOCOL = env.str("AWS_S3_URL_PROTOCOL", default="https:")
    # Wagtail never overwrites; unsigned URLs so cached pages never carry expiring links.
    AWS_S3_FILE_OVERWRITE = False
    AWS_QUERYSTRING_AUTH = False
    AWS_DEFAULT_ACL = env.str("AWS_DEFAULT_ACL", default="public-read")
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    STORAGES["default"] = {"BACKEND": "proctique.media_storage.BucketStorage"}
# Without a bucket, Django serves media/ itself (see docs/deploy.md for a proxy in front).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not AWS_STORAGE_BUCKET_NAME)

WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", default=40_000_000)
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp"}

# --- Email -------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Proctique <noreply@proctique.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env.str("EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# The email outbox (tasks app): retries with exponential backoff, a claim lease per delivery
# attempt, and the periodic sweep that re-enqueues events the queue lost. See docs/queue.md.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
EMAIL_RETRY_DELAY = env.float("EMAIL_RETRY_DELAY", default=30.0)
EMAIL_CLAIM_SECONDS = env.float("EMAIL_CLAIM_SECONDS", default=300.0)
OUTBOX_SWEEP_AGE = env.float("OUTBOX_SWEEP_AGE", default=60.0)
# Events one delivery claims and sends over one SMTP connection.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=50)
# Moderators get at most one email per this many minutes listing the reports filed since.
REPORT_DIGEST_MINUTES = env.int("REPORT_DIGEST_MINUTES", default=15)

# --- Wagtail -----------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Proctique"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "zip"]
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# The "Project moderation" workflow on the projects index (showcase.moderation); applied on
# every migrate and by seed_demo. Off: authors publish directly.
PROJECT_MODERATION = env.bool("PROJECT_MODERATION", default=True)
# Nothing on any page loads from another host: no Gravatar avatars (Wagtail shows initials) and
# no release check from the admin dashboard to releases.wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILFRONTENDCACHE = {}
if env.str("FRONTEND_CACHE_PURGE_URL", default=""):
    # Any HTTP cache that accepts PURGE (Varnish, Fastly-compatible proxies).
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env.str("FRONTEND_CACHE_PURGE_URL"),
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security ----------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_CLIENT_IP_HEADER else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview renders the page in a same-origin iframe, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Content-Security-Policy on every response: scripts only from this host and no inline scripts
# (the admin's URLs add 'unsafe-inline' for Wagtail's own, see proctique.urls); inline style
# attributes are allowed (Wagtail's admin and the rating bars set them). Images may come from
# the media host.
MEDIA_ORIGIN = (
    f"{AWS_S3_URL_PROTOCOL}//{AWS_S3_CUSTOM_DOMAIN}"
    if AWS_STORAGE_BUCKET_NAME and AWS_S3_CUSTOM_DOMAIN
    else (AWS_S3_ENDPOINT_URL or "https://*.amazonaws.com")
    if AWS_STORAGE_BUCKET_NAME
    else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The "Sign in with GitHub" form posts here and is answered with a redirect to GitHub:
        # browsers check that redirect against form-action too.
        "form-action": ["'self'", *([GITHUB_WEB_ORIGIN] if GITHUB_CLIENT_ID else [])],
    }
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
# Per-task lines of the queue (django_tasks, Huey, Wagtail's cache purge): a seed makes hundreds.
TASK_LOG_LEVEL = env.str("TASK_LOG_LEVEL", default="WARNING").upper()
# One handler, on the root logger: every record is printed once, in one format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        "without_traceback": {"()": "proctique.log_filters.WithoutTraceback"},
        "unavailable_without_traceback": {
            "()": "proctique.log_filters.UnavailableWithoutTraceback"
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's defaults give these their own handlers (a DEBUG-only console, runserver's
        # request lines) and level; replacing them here sends their records to root once.
        "django": {"handlers": [], "level": LOG_LEVEL},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["unavailable_without_traceback"]},
        # run_huey adds a handler of its own to a "huey" logger that has none.
        "huey": {"handlers": ["console"], "level": TASK_LOG_LEVEL, "propagate": False},
        # Huey already logs a failed task's traceback; django_tasks would print it a second time.
        "django_tasks": {"level": TASK_LOG_LEVEL, "filters": ["without_traceback"]},
        "wagtail.frontend_cache": {"level": TASK_LOG_LEVEL},
    },
}
