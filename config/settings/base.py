"""Settings shared by every environment; everything that differs comes from the environment."""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "import_export",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "units",
    "plans",
    "targets",
    "notifications",
    "reports",
    "tasks",
    "authoring",
    "compliance",
    "exports",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.files.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.session_idle.SessionIdleMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.MfaRequiredMiddleware",
    "core.middleware.LastUserMarkerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default so the portal runs with nothing installed; DATABASE_URL switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Evidence files live outside static and are served only through views that check scope.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
PORTAL_EVIDENCE_MAX_BYTES = env.int("PORTAL_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
PORTAL_IMPORT_MAX_BYTES = env.int("PORTAL_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# A plan document uploaded to be read into candidate targets and tasks (.docx, .pdf with text, .txt).
PORTAL_PLAN_DOCUMENT_MAX_BYTES = env.int("PORTAL_PLAN_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file, not memory
# Uploaded archives (xlsx, docx, odt…) are judged by their zip directory before anything parses them.
PORTAL_ZIP_MAX_MEMBERS = env.int("PORTAL_ZIP_MAX_MEMBERS", default=1000)
PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES = env.int("PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
PORTAL_ZIP_MAX_RATIO = env.int("PORTAL_ZIP_MAX_RATIO", default=200)  # real sheets compress 10–50×; bombs 1000×+
PORTAL_IMPORT_MAX_ROWS = env.int("PORTAL_IMPORT_MAX_ROWS", default=50_000)  # bulk import: also ≤ units × indicators
# Any request body above this is refused from its Content-Length, unread: the larger upload cap plus a margin
# for the form's other fields. The reverse proxy's client_max_body_size (12m) sits just above it.
PORTAL_REQUEST_MAX_BYTES = env.int("PORTAL_REQUEST_MAX_BYTES", default=max(
    PORTAL_EVIDENCE_MAX_BYTES, PORTAL_IMPORT_MAX_BYTES, PORTAL_PLAN_DOCUMENT_MAX_BYTES) + 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A plan read from its document is accepted in one form of a dozen fields per candidate: a provincial plan with an
# appendix gives 100–300 candidates, far past Django's 1.000 fields. The body stays capped by the size above.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=20_000)

# Sign-in goes through allauth (the admin's login too, see config/urls.py) so rate limits and MFA apply everywhere.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Accounts are created by administrators: sign-in by username, no public sign-up, no e-mail round trips.
ACCOUNT_ADAPTER = "core.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# Counted in the cache below. The per-account limit (allauth, per username) is the guard against guessing.
# The per-address ones (core.login_limits, lock-free counters) only stop sweeps across many accounts, so they
# leave room for a whole provincial office behind one NAT address on deadline day: hundreds of clerks
# signing in within minutes, a few typos each. allauth's own per-address "login" limit is off: its counter
# takes a lock that a crowd at one address contends for, and the losers were answered 429.
ACCOUNT_RATE_LIMITS = {
    "login": "",
    "login_failed": env("PORTAL_LOGIN_FAILED_RATE_LIMIT", default="5/5m/key"),
}
PORTAL_LOGIN_ADDRESS_LIMITS = {
    "attempts": env("PORTAL_LOGIN_ATTEMPTS_PER_ADDRESS", default="1000/5m"),
    "failures": env("PORTAL_LOGIN_FAILURES_PER_ADDRESS", default="200/5m"),
}
# Behind the reverse proxy (deploy/nginx.conf) the client's address is the last X-Forwarded-For entry;
# production sets the count, elsewhere the header is ignored so it cannot be forged to dodge the limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cổng chuyển đổi số"
# Who must have an authenticator app: membership roles (units.Membership.Role) and "admin" for staff/superusers.
PORTAL_MFA_REQUIRED_ROLES = env.list("PORTAL_MFA_REQUIRED_ROLES", default=["reviewer", "admin"])

# Redis, when configured, is the cache (login rate limits need a shared one) and the Celery broker.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis down must not take pages down: the backend answers as a miss and logs; short timeouts keep it quick.
    CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the tasks run in-process, so `make run` works on its own.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A request that queues a job must not wait on a broker that is down: one quick try, then the job stays in the
# outbox (core.outbox) and is sent by the beat task or a worker starting. Workers keep retrying their connection.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5, "max_retries": 0}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Sending a task subscribes to its result in Redis; by default that retries for about 20 s before giving up.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
}
# The schedule lives in code, in local time: compliance at night, reminders in the morning.
CELERY_BEAT_SCHEDULE = {
    "compliance-nightly": {"task": "compliance.tasks.compute_nightly", "schedule": crontab(hour=1, minute=15)},
    "reminders-daily": {"task": "compliance.tasks.remind_daily", "schedule": crontab(hour=7, minute=0)},
    "task-reminders-daily": {"task": "tasks.tasks.remind_tasks_daily", "schedule": crontab(hour=7, minute=10)},
    "outbox-drain": {"task": "core.tasks.outbox_drain", "schedule": 60.0},
    "compliance-reap": {"task": "compliance.tasks.reap_dead_runs", "schedule": 120.0},
}
# A month's computation holds a lease it renews every quarter of this; one not renewed for this long is dead.
PORTAL_COMPLIANCE_LEASE_SECONDS = env.int("PORTAL_COMPLIANCE_LEASE_SECONDS", default=180)
# A queued computation of a month not started after this long is taken as lost: the next request queues another.
PORTAL_COMPLIANCE_QUEUE_STALE_SECONDS = env.int("PORTAL_COMPLIANCE_QUEUE_STALE_SECONDS", default=900)
PORTAL_REMIND_DAYS_BEFORE = env.int("PORTAL_REMIND_DAYS_BEFORE", default=3)
PORTAL_ESCALATE_DAYS_AFTER = env.int("PORTAL_ESCALATE_DAYS_AFTER", default=5)
# A task due within this many days and not reported done is at risk (Vàng); reminded once when it becomes so.
PORTAL_TASK_AT_RISK_DAYS = env.int("PORTAL_TASK_AT_RISK_DAYS", default=30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.permissions.MfaSatisfied",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PortalPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
}
# API tokens: created and revoked by each user on /accounts/tokens/, stored hashed, sent as "Authorization: Token …".
PORTAL_API_TOKEN_TTL_DAYS = env.int("PORTAL_API_TOKEN_TTL_DAYS", default=90)
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=PORTAL_API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    # A recognisable start lets secret scanners and people tell a leaked portal token from other strings.
    "TOKEN_PREFIX": "cds_",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng theo dõi chuyển đổi số - API",
    "DESCRIPTION": (
        "Đọc danh mục và phạm vi được giao: đơn vị, kế hoạch, nhiệm vụ, chỉ tiêu và mục tiêu. "
        "Nhập và duyệt báo cáo tháng: mở báo cáo, lưu số liệu, nộp, trả lại, duyệt, mở lại, xem thay đổi "
        "giữa hai lần nộp. Đọc kết quả đánh giá và tỷ lệ báo cáo đúng hạn theo tháng. "
        "Đọc và đánh dấu đã đọc các thông báo của chính mình (báo cáo được nộp, bị trả lại, được duyệt, "
        "nhắc hạn). "
        "Mỗi người chỉ thấy và thao tác trên các đơn vị thuộc phạm vi của mình. "
        "Xác thực bằng phiên đăng nhập hoặc token tạo tại /accounts/tokens/ "
        "(tiêu đề \"Authorization: Token …\"); tháng ghi theo dạng 2026-05."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every signed-in user may read what the API offers them; each endpoint still scopes what it answers.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated", "core.permissions.MfaSatisfied"],
    # Three models call their choices "Status"; the compliance statuses (also used as sub-statuses) get one name.
    "ENUM_NAME_OVERRIDES": {"ComplianceStatusEnum": "compliance.models.Status", "PlanKindEnum": "plans.models.PlanKind",
                            "UnitKindEnum": "units.models.UnitKind", "CandidateKindEnum": "authoring.reading.KINDS"},
}

# Signed out after 8 idle hours: core.session_idle restarts the session's age as people work, so a clerk
# at work never is.
SESSION_COOKIE_AGE = env.int("PORTAL_SESSION_IDLE_SECONDS", default=8 * 60 * 60)
# A refused form (expired session, stale token) answers a Vietnamese page that says the typed figures are kept.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Enforced everywhere, tests included, so a page that needs an inline script or style fails before production.
# Scripts and styles come only from static files; the MFA set-up page shows its QR code as a data: image.
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
    },
}
# The API docs under that policy: Swagger UI from the installed sidecar rather than a CDN, its start-up script
# served as a file (config/urls.py uses the split view).
SPECTACULAR_SETTINGS |= {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="cong-cds@localhost")
# The portal's address as people reach it, for the links in notification e-mails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://localhost:8000")

# Where the five seed plans' source documents are read from when present beside the project.
SEED_SOURCES_DIR = env.path("PORTAL_SEED_SOURCES_DIR", default=BASE_DIR / "plans" / "seeds" / "sources")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
