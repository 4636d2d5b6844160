"""One settings module for every environment, driven by environment variables.

With no DATABASE_URL the portal runs on the embedded defaults: SQLite under var/,
Celery tasks run eagerly and mail goes to the console. Deployments set DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF

from mentorship import queues
from mentorship.media_storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# The embedded SQLite database, uploads and pending imports; the smoke run points it at
# a temporary directory so it never touches the developer's var/.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

EMBEDDED = not env.str("DATABASE_URL", default="")

DEBUG = env.bool("DEBUG", default=EMBEDDED)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="embedded-dev-only-key-change-me-" + "x" * 32 if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "mentorship",
    "roadmaps",
    "registry",
    "monitoring",
    "monitoring.indicators",
    "mentorship.notifications",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "axes",
    "csp",
]

# What each app adds to `manage.py load_demo`, in this order, after the core has built the
# organisation tree and the users: dotted paths to functions taking the demo data
# (fixtures/demo.json). The core names its apps only here, never by import.
DEMO_LOADERS = [
    "registry.demo.load_programmes",  # the standard forms, the schools' programmes
    "registry.demo.load_partners",  # partner organisations (thank-you letters)
    "roadmaps.demo.load_roadmaps_demo",  # the municipal roadmap, last cycle's imported one
    "monitoring.indicators.demo.load_contingents",  # the indicators' denominators
    "registry.demo.load_matching_people",  # people to match at school No. 40
    "monitoring.demo.load_monitoring_demo",  # a campaign, pairs invited, one answer
    "registry.demo.load_school_demo",  # a gymnasium with a year of working pairs
    "registry.demo.load_mentor_school_demo",  # courses of mentors, councils (issue 16)
    "registry.demo.load_competitions_demo",  # «Лучший наставник», judged and published
]

MIDDLEWARE = [
    # First: the request id, one log line and the metrics of every request, however it
    # ends (mentorship/observability.py).
    "mentorship.observability.ObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write that collides with another (a double click): a message and 409, not a 500.
    "mentorship.conflicts.ConflictMiddleware",
    # Ends sessions idle too long or older than a working day (mentorship/sessions.py).
    "mentorship.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Resolves /o/<slug>/ once per request and activates the tenant scope.
    "mentorship.tenancy.middleware.TenantMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"

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
                "mentorship.context_processors.navigation",
                "mentorship.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if EMBEDDED else 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode serves requests in threads: a transaction takes SQLite's write
    # lock when it begins (IMMEDIATE), so a second writer waits up to `timeout` seconds
    # for it instead of failing at once with "database is locked" (a 500) when both try
    # to upgrade a read lock (schemathesis with two workers found five).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mentorship.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = None  # show "you have logged out" with a way back in

# django-axes: lock a username from one address, not a whole address: behind a
# school's NAT one attacker must not lock out every colleague.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Django's login form posts the e-mail as "username"; axes would look for "email".
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per e-mail however it is typed (case, spaces): one login, one counter.
AXES_USERNAME_CALLABLE = "mentorship.accounts.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address for lockouts and the rate limit: one resolver, mentorship/http.py.
# PROXY_COUNT: how many reverse proxies of ours stand in front of the portal (0: it faces
# clients directly and CLIENT_IP_HEADER is ignored, since anyone can send it).
TRUSTED_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="HTTP_X_FORWARDED_FOR")
AXES_CLIENT_IP_CALLABLE = "mentorship.http.client_ip"

# Password-reset letters per e-mail and per client address within the window (seconds).
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
PASSWORD_RESET_PER_IP = env.int("PASSWORD_RESET_PER_IP", default=10)
PASSWORD_RESET_THROTTLE_WINDOW = 3600
RATELIMIT_NAMESPACE = env.str("RATELIMIT_NAMESPACE", default="")
# Staff invitations: letters one person may send an hour (a municipality's bulk start of
# a few hundred schools fits), letters per invitation an hour, and the link's lifetime.
INVITATIONS_PER_HOUR = env.int("INVITATIONS_PER_HOUR", default=500)
INVITATION_SENDS_PER_HOUR = env.int("INVITATION_SENDS_PER_HOUR", default=3)
INVITATION_TTL_DAYS = 7

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the pinned npm package the Makefile installs; never a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded scans, generated documents and pending imports: under MEDIA_ROOT, or in an
# S3-compatible bucket when MEDIA_STORAGE_URL is set (mentorship/media_storage.py), so
# that every web node and worker sees the same files. Credentials: AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY.
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
STORAGES = {
    "default": media_storage(MEDIA_STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collected files (embedded runs, tests) whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=False)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Mail: console unless EMAIL_URL says otherwise (smtp://user:pass@host:587?tls=True).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Портал наставничества <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds a mail server may keep a connection silent: without it a hung server holds a
# reminder run until the task's hard time limit. A run starts a letter only when this
# much of its lease is left (mentorship/notifications/ledger.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Where links in e-mails point: the portal as its users reach it, without a trailing slash.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

# HTTPS hardening: on whenever the portal is not in debug mode, unless HTTPS=0
# (the test suite and plain-HTTP local runs).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Probes inside the deployment's network (the containers' healthchecks, Prometheus) speak
# plain HTTP to a node directly: answer them instead of redirecting to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# A staff session lasts a working day and ends after an idle spell (seconds).
SESSION_MAX_AGE = env.int("SESSION_MAX_AGE", default=10 * 3600)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 3600)
SESSION_TOUCH_INTERVAL = 300
# The cookie itself does not outlive the working day (Django's default is 14 days).
SESSION_COOKIE_AGE = SESSION_MAX_AGE
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own static files only. No inline scripts and
# no on…= handlers (behaviours live in static/js, declared by data attributes), no inline
# styles either: the few style="" sizes became classes in static/css/portal.css and htmx's
# indicator <style> is switched off (base.html). Images may be data: URIs (Bootstrap's
# icons in its CSS are). The API docs at /api/docs/ relax style-src for Swagger UI's own
# <style> only (mentorship/urls.py). The server-drawn charts are inline SVG: markup, not
# styles, so they need nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# Celery: Redis broker from REDIS_URL; without it every task runs eagerly in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL

# A large tree's whole indicator pages (a region's dashboard and roll-up) are kept in a
# cache shared by every process (Redis when there is one): 5 minutes for the current
# year, 6 hours for a closed one, and dropped at once when a pair, a member, a
# participant, an answer or an input changes (monitoring/indicators/selectors/cache.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "indicators": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "indicators",
        }
    ),
}
INDICATORS_CACHE_MIN_SCHOOLS = env.int("INDICATORS_CACHE_MIN_SCHOOLS", default=200)
INDICATORS_CACHE_LIVE_SECONDS = env.int("INDICATORS_CACHE_LIVE_SECONDS", default=300)
INDICATORS_CACHE_CLOSED_SECONDS = env.int("INDICATORS_CACHE_CLOSED_SECONDS", default=6 * 3600)
# The per-school, per-year counts stored in the database (SchoolYearCounts) are marked
# stale when a school's people, pairs or answers change; as a safety net against a write
# that slipped past every hook, a row is also recomputed once it is older than this many
# seconds: a closed year after 24 hours, the current (and next) year after 10 minutes.
INDICATORS_STORED_MAX_AGE = env.int("INDICATORS_STORED_MAX_AGE", default=24 * 3600)
INDICATORS_STORED_MAX_AGE_CURRENT = env.int("INDICATORS_STORED_MAX_AGE_CURRENT", default=600)
# Memory for one indicators aggregate (PostgreSQL's work_mem, for that transaction only).
INDICATORS_WORK_MEM = env.str("INDICATORS_WORK_MEM", default="128MB")
CELERY_TASK_EAGER_PROPAGATES = True
# What happens when a worker dies, and why these numbers go together:
# - `acks_late`: a task's message is acknowledged only when the task ends, so a worker
#   killed mid-task (SIGKILL, OOM, a lost machine) leaves it unacknowledged in Redis;
#   `reject_on_worker_lost` requeues it at once when only a pool process died.
# - Redis has no real acknowledgements: an unacknowledged message is handed out again
#   once the broker's *visibility timeout* has passed since it was taken. The library
#   default is an hour (a PDF whose worker died stayed «Формируется…» for 60 minutes);
#   ours is 30 minutes, and it must stay longer than anything a live worker may hold a
#   message for, or Redis hands a running task to a second worker:
#       visibility timeout  >  longest retry countdown + longest hard time limit
#       hard time limit     >  soft time limit (the task's own clean-up gets the gap)
#   TASK_RETRY_BACKOFF_MAX caps the countdowns of retries for that reason.
#   mentorship.celery.check_time_limits() checks every registered task against this.
# - Prefetch 1: a worker reserves one message at a time, so a killed worker strands one
#   task, not a batch.
# - Leases below the broker: a reminder run's delivery claims last as long as the task
#   may (REMINDER_LEASE_SECONDS = the reminder tasks' hard limit), so the redelivered
#   message, after the visibility timeout, finds them expired and sends the rest; a
#   document stuck «rendering» past its task's hard limit is queued again by the
#   documents' sweep every few minutes (mentorship/documents/services.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
BROKER_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT", default=30 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
TASK_RETRY_BACKOFF_MAX = 10 * 60
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# The morning scans (reminders): the scan takes seconds, the rest is the mail server.
LONG_TASK_SOFT_TIME_LIMIT = 600
LONG_TASK_TIME_LIMIT = 660
# A document's render: a 500-row table takes ~3 s, so the soft limit means a runaway.
DOCUMENT_RENDER_SOFT_TIME_LIMIT = 120
DOCUMENT_RENDER_TIME_LIMIT = 150
# Imports, depersonalisation, aggregates over a region.
HEAVY_TASK_SOFT_TIME_LIMIT = 900
HEAVY_TASK_TIME_LIMIT = 960
# Queues by kind of work (mentorship/queues.py): mail and reminders, documents, heavy
# work; each has its own worker, so a batch of report PDFs never delays the morning's
# letters. Per queue, (soft, hard) limits: a task without its own limits gets its
# queue's (mentorship.celery.QueueTimeLimits), a task's own limits stay within them, and
# every hard limit plus the longest retry countdown stays below the visibility timeout
# above (mentorship.celery.check_time_limits checks both at worker start and in tests).
# QUEUE_PREFIX keeps the queues of several portals (or test runs) apart on one Redis.
QUEUE_PREFIX = env.str("QUEUE_PREFIX", default="")
CELERY_TASK_DEFAULT_QUEUE = QUEUE_PREFIX + queues.DEFAULT_QUEUE
CELERY_TASK_ROUTES = queues.routes(QUEUE_PREFIX)
QUEUE_TIME_LIMITS = {
    queues.MAIL: (LONG_TASK_SOFT_TIME_LIMIT, LONG_TASK_TIME_LIMIT),
    queues.DOCUMENTS: (DOCUMENT_RENDER_SOFT_TIME_LIMIT, DOCUMENT_RENDER_TIME_LIMIT),
    queues.HEAVY: (HEAVY_TASK_SOFT_TIME_LIMIT, HEAVY_TASK_TIME_LIMIT),
}
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", default=LONG_TASK_TIME_LIMIT)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Synced into django-celery-beat's DatabaseScheduler at beat start. Crontab hours are in
# CELERY_TIMEZONE (= TIME_ZONE, Europe/Moscow by default).
CELERY_BEAT_SCHEDULE: dict = {
    "roadmaps-deadline-reminders": {
        "task": "roadmaps.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Campaigns that ended yesterday: linked roadmap activities tick (monitoring/services/ended.py).
    "monitoring-announce-ended-campaigns": {
        "task": "monitoring.announce_ended_campaigns",
        "schedule": crontab(hour=6, minute=30),
    },
    "monitoring-campaign-reminders": {
        "task": "monitoring.send_campaign_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
    # Renders whose worker died: queued again (mentorship/documents/services.py).
    "documents-requeue-stuck": {
        "task": "mentorship.documents.requeue_stuck",
        "schedule": 120.0,
    },
    # Deadlines of the mentors' councils' decisions, on the same ledger as the roadmaps'.
    "registry-council-decision-reminders": {
        "task": "registry.send_decision_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    # Questionnaires waiting for those monitoring did not mail (monitoring/services/waiting.py).
    "monitoring-waiting-letters": {
        "task": "monitoring.send_waiting_letters",
        "schedule": crontab(hour=10, minute=15),
    },
    # The day before a planned pair meeting, its people get a reminder (registry/tasks.py).
    "registry-meeting-reminders": {
        "task": "registry.send_meeting_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "registry-depersonalize-due": {
        "task": "registry.depersonalize_due",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Days personal data are kept after a consent is withdrawn (152-ФЗ art. 21: 30 days).
CONSENT_RETENTION_DAYS = env.int("CONSENT_RETENTION_DAYS", default=30)
# The public questionnaire page /q/<token>/: requests per minute per IP address, then
# 429 (monitoring/views/public.py; 0 switches the limit off, the load test raises it).
MONITORING_PUBLIC_RATE_LIMIT = env.int("MONITORING_PUBLIC_RATE_LIMIT", default=120)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "mentorship.api.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "mentorship.pagination.Pagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API портала наставничества",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose fields share a name (status, kind, role) across the apps: each
    # gets a name of its own in the schema instead of a hash.
    "ENUM_NAME_OVERRIDES": {
        "EffectiveStatusEnum": "roadmaps.models.activities.ActivityStatus",
        "ActivityStatusEnum": "roadmaps.models.activities.STORED_STATUSES",
        "CourseStatusEnum": "registry.models.school.CourseStatus",
        "PracticeStatusEnum": "monitoring.models.practices.PracticeStatus",
        "MeetingKindEnum": "registry.models.pairs.MeetingKind",
        "CompetitionKindEnum": "registry.models.competitions.CompetitionKind",
        "CouncilRoleEnum": "registry.models.council.CouncilRole",
    },
}

# Logs: plain text by default; LOG_FORMAT=json writes one JSON object per line (time,
# level, logger, message, request id, and each request's line with its status, duration,
# user id and organisation: mentorship/observability.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "expected_refusals": {"()": "mentorship.errors.ExpectedRefusalFilter"},
        "request_id": {"()": "mentorship.observability.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "mentorship.observability.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["expected_refusals", "request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler on "django" (DEBUG only) printed every request
        # warning a second time, with the traceback our filter removes: the root's
        # handler above is the only one.
        "django": {"handlers": [], "level": "INFO"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # One line per request: in the JSON logs; the text logs leave it to the server's.
        "mentorship.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}
# /metrics (Prometheus): off (404) unless set; scrapers send "Authorization: Bearer …".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
