"""Settings for Atvida Social, read from the environment.

With no environment at all the application runs on the embedded default: DEBUG on, SQLite
under var/, Celery tasks queued in files under var/celery/ for the worker that `make run`
starts, e-mail to the console, media on local disk.
Every variable is documented in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README.md, 'Configuration')."
        )
    SECRET_KEY = "django-insecure-local-development-key-only-for-debug-use"  # noqa: S105


def _credential_keys() -> list[str]:
    """Fernet keys for secrets at rest, newest first; a local key file only under DEBUG."""
    keys = env_list("CREDENTIAL_KEYS")
    if keys:
        return keys
    if not DEBUG:
        raise ImproperlyConfigured(
            "CREDENTIAL_KEYS must be set when DEBUG is off (see README.md, 'Configuration')."
        )
    key_file = VAR_DIR / "credential.key"
    if not key_file.exists():
        from cryptography.fernet import Fernet

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(Fernet.generate_key().decode())
    return [key_file.read_text().strip()]


CREDENTIAL_KEYS = _credential_keys()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The municipality this installation serves; nothing else is specific to Åtvidaberg.
MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Åtvidabergs kommun")
MUNICIPALITY_EMAIL_DOMAINS = [
    domain.lower() for domain in env_list("MUNICIPALITY_EMAIL_DOMAINS", "atvidaberg.se")
]

# The address people reach the application at, for links in e-mail.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Where citizens report accessibility problems (lag 2018:1937).
ACCESSIBILITY_EMAIL = os.environ.get(
    "ACCESSIBILITY_EMAIL", f"kommunen@{MUNICIPALITY_EMAIL_DOMAINS[0]}"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_celery_beat",
    "atvida_social.organisation",
    "atvida_social.outbox",
    "atvida_social.scheduling",
    "channels",
    "activityplans",
    "moderation",
    "archiving",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "atvida_social.organisation.middleware.PrivatePagesNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "atvida_social.organisation.middleware.RejectNulCharactersMiddleware",
    "atvida_social.organisation.middleware.AuditContextMiddleware",
    # Axes last, as its documentation asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "atvida_social.urls"
WSGI_APPLICATION = "atvida_social.wsgi.application"

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
                "atvida_social.context_processors.municipality",
                "atvida_social.context_processors.staff_menu",
                "archiving.context_processors.archive",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: one SQLite file under var/, created on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker `make run` starts write to one file: each transaction
    # takes the write lock when it begins (rather than failing at once when a read turns into
    # a write) and waits up to 20 s for it; readers do not wait for a writer (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
# With REDIS_URL every web process shares one cache, so a newly published register version
# is served by all of them at once; without it, a per-process memory cache (the embedded
# default), whose short-lived entries each process forgets on its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "atvida",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Login brute-force protection: a username and address pair is locked after five failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False


def _trusted_proxy_count() -> int:
    value = os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or "0"
    if not value.isdigit():
        raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number, 0 or more.")
    return int(value)


# How many reverse proxies in front of gunicorn append to X-Forwarded-For. 0: clients connect
# directly and the header, which any client can write, is ignored. One function reads it for
# the audit log and for the lockout, so both always see the same address.
TRUSTED_PROXY_COUNT = _trusted_proxy_count()
AXES_CLIENT_IP_CALLABLE = "atvida_social.organisation.audit.client_ip"

# Staff sessions end after a working day without activity, or when the browser closes.
try:
    SESSION_IDLE_HOURS = float(os.environ.get("SESSION_IDLE_HOURS", "") or "8")
except ValueError:
    SESSION_IDLE_HOURS = 0
if not SESSION_IDLE_HOURS > 0:
    raise ImproperlyConfigured("SESSION_IDLE_HOURS must be a number of hours above 0.")
SESSION_COOKIE_AGE = int(SESSION_IDLE_HOURS * 3600)
SESSION_SAVE_EVERY_REQUEST = True  # each request restarts the idle clock
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"Sociala medier <noreply@{MUNICIPALITY_EMAIL_DOMAINS[0]}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mailed with Informationsenheten when the scheduler stops (comma-separated addresses).
ADMINS = [
    (address, address)
    for address in (part.strip() for part in os.environ.get("ADMINS", "").split(","))
    if address
]
# A mail server that does not answer must not hold a request (the stale-scheduler mail is sent
# from /healthz) or a worker for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Moderation: how long Informationsenheten can read a text removed for a breach before the
# nightly job purges it (Gallring: unlawful content is culled at once, kept only as evidence).
REMOVED_TEXT_RETENTION_DAYS = int(os.environ.get("REMOVED_TEXT_RETENTION_DAYS", "30"))
# Culling (gallring) of trivial items: "tidigast efter tre månader", counted in calendar
# months; a value under three is refused at start-up (archiving/culling/checks.py). With
# review on, the nightly job only proposes and Informationsenheten approves each batch.
CULLING_AGE_MONTHS = int(os.environ.get("CULLING_AGE_MONTHS", "3"))
CULLING_REQUIRES_REVIEW = env_bool("CULLING_REQUIRES_REVIEW", True)
# The working hours that response times count (Rimliga svarstider), in TIME_ZONE.
MODERATION_WORKING_HOURS = os.environ.get("MODERATION_WORKING_HOURS", "08:00-17:00")
# Regular-expression rules read at most this many characters of a text (RE2, linear time); one
# that could not read all of a longer text flags it for a person (moderation/matching/).
MODERATION_REGEX_TEXT_LIMIT = int(os.environ.get("MODERATION_REGEX_TEXT_LIMIT", "20000"))
# The ingest API: the largest body accepted, and requests per token per window (seconds).
INGEST_MAX_BODY_BYTES = int(os.environ.get("INGEST_MAX_BODY_BYTES", str(8 * 1024 * 1024)))
INGEST_RATE_LIMIT = int(os.environ.get("INGEST_RATE_LIMIT", "120"))
INGEST_RATE_WINDOW = int(os.environ.get("INGEST_RATE_WINDOW", "60"))
# Citizens' reports (/sociala-medier/anmal): attempts per address per window (seconds).
CITIZEN_REPORT_RATE_LIMIT = int(os.environ.get("CITIZEN_REPORT_RATE_LIMIT", "10"))
CITIZEN_REPORT_RATE_WINDOW = int(os.environ.get("CITIZEN_REPORT_RATE_WINDOW", "3600"))
# Named in the report form's privacy notice (GDPR art. 13): the controller and its contact.
PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER", f"Kommunstyrelsen, {MUNICIPALITY_NAME}")
PRIVACY_CONTACT_EMAIL = os.environ.get(
    "PRIVACY_CONTACT_EMAIL", f"dataskyddsombud@{MUNICIPALITY_EMAIL_DOMAINS[0]}"
)

# The platforms' APIs (moderation/platforms/): each connector calls only its platform's base
# URL, set here and never in the interface. PLATFORM_SIMULATOR_URL points every platform at
# the demo simulator instead (`make run` starts it); a production configuration refuses it
# (moderation/checks.py).
PLATFORM_SIMULATOR_URL = os.environ.get("PLATFORM_SIMULATOR_URL", "").rstrip("/")
# A demo installation with DEBUG off must say so explicitly to use the simulator.
PLATFORM_SIMULATOR_ALLOWED = env_bool("PLATFORM_SIMULATOR_ALLOWED", False)
# Seconds between the demo platform's comments from citizens; 0 turns them off.
PLATFORM_SIMULATOR_TRICKLE_SECONDS = float(
    os.environ.get("PLATFORM_SIMULATOR_TRICKLE_SECONDS", "8")
)
PLATFORM_BASE_URLS = {
    "facebook": "https://graph.facebook.com/v21.0/",
    "instagram": "https://graph.facebook.com/v21.0/",
    "x": "https://api.x.com/2/",
    "youtube": "https://www.googleapis.com/youtube/v3/",
    # Google's token endpoint, a host of its own: the YouTube connector's second client.
    "youtube_oauth": "https://oauth2.googleapis.com/",
    # A blog's own address is the connection's account id; this is its REST API's root.
    "wordpress": "https://public-api.wordpress.com/wp/v2/",
}
if PLATFORM_SIMULATOR_URL:
    PLATFORM_BASE_URLS = {name: f"{PLATFORM_SIMULATOR_URL}/{name}/" for name in PLATFORM_BASE_URLS}
# How often a connected channel is pulled within its plan's monitoring hours (hourly outside
# them; never more often than every 5 minutes).
PLATFORM_PULL_MINUTES = int(os.environ.get("PLATFORM_PULL_MINUTES", "15"))
# Tests answer every platform call from the simulator in-process (settings_test.py).
PLATFORM_SIMULATOR_IN_PROCESS = False
# The quota units a day that the YouTube Data API grants the Google Cloud project (10 000
# unless Google granted more); the connector stops before using them up.
YOUTUBE_DAILY_QUOTA = int(os.environ.get("YOUTUBE_DAILY_QUOTA", "10000"))

# Archiving: the most items, and characters of text, in one part of a snapshot; each part is
# one PDF/A rendered by its own task (the measurements: archiving/services/snapshots/plan.py).
ARCHIVE_VOLUME_ITEMS = int(os.environ.get("ARCHIVE_VOLUME_ITEMS", "1000"))
ARCHIVE_VOLUME_CHARS = int(os.environ.get("ARCHIVE_VOLUME_CHARS", "400000"))

# Celery. With CELERY_BROKER_URL (redis://...) the broker is Redis. Without it, the embedded
# default: a broker that is only files under var/celery/, so that `make run` can start a worker
# with the scheduler beside the web server and nothing else needs installing. Tasks queued while
# no worker runs wait there for the next one. `memory://` runs every task in-process instead.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or "filesystem://localhost/"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# With acks_late, a task whose worker process dies (killed, out of memory) goes back to the
# queue instead of being acknowledged as failed; tasks are idempotent, so a second run is safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A lost broker connection gives unacknowledged messages back to the broker: stop what runs
# rather than finish it while another worker starts it again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker or beat that loses Redis keeps trying to reconnect for as long as it takes (Celery's
# default gives up after 100 attempts and the process exits); systemd restarts it besides
# (Restart=always). Read only by workers and beat: a web request never waits on it.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = TIME_ZONE
# Default time limits for every task, in seconds (enforced by the prefork pool): the soft one
# raises SoftTimeLimitExceeded in the task so that it can clean up, the hard one kills the
# process. A rendered volume of a snapshot takes well under a minute; a task that needs more
# sets its own limits (and must stay within the visibility timeout below: check scheduling.E001).
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# The longest delay a retry may wait: Celery's default retry_backoff_max, up to which tasks with
# retry_backoff=True double their delay.
TASK_RETRY_DELAY_LIMIT = 600
# Redis hands an unacknowledged message to another worker after the visibility timeout. With
# acks_late a message stays unacknowledged while its task runs, and a retry waits in a worker
# as an unacknowledged message until its countdown ends; the timeout must outlast both, or a
# task runs twice: 360 s (hard limit) + 600 s (longest retry delay) = 960 s < 1800 s.
QUEUE_VISIBILITY_TIMEOUT = 1800
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": QUEUE_VISIBILITY_TIMEOUT}
# Work accepted and then lost (a killed worker, a broker restarted without its data) is found
# by the reconcilers that run every minute (atvida_social/outbox, archiving): an outbox message
# sent and not completed within its task's hard limit + TASK_RETRY_DELAY_LIMIT + this margin
# (seconds) is handed over again, at most OUTBOX_MAX_REDELIVERIES times, then given up and
# shown to Informationsenheten.
OUTBOX_COMPLETION_MARGIN = int(os.environ.get("OUTBOX_COMPLETION_MARGIN", "300"))
OUTBOX_MAX_REDELIVERIES = int(os.environ.get("OUTBOX_MAX_REDELIVERIES", "3"))
# A snapshot run with no progress for this many seconds (longer than a part's hard time limit,
# 960 s) has its missing steps handed over again, SNAPSHOT_MAX_HANDOVERS times, then fails.
SNAPSHOT_STALL_AFTER = int(os.environ.get("SNAPSHOT_STALL_AFTER", "1800"))
SNAPSHOT_MAX_HANDOVERS = int(os.environ.get("SNAPSHOT_MAX_HANDOVERS", "3"))
# /healthz answers 503 when no scheduled job has run for this many seconds, or when the oldest
# outbox message not yet handed to the broker is older than this many seconds.
SCHEDULER_STALE_AFTER = int(os.environ.get("SCHEDULER_STALE_AFTER", "600"))
OUTBOX_STUCK_AFTER = int(os.environ.get("OUTBOX_STUCK_AFTER", "600"))
CELERY_BROKER_TRANSPORT = None
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_DIR = VAR_DIR / "celery"
    for _folder in ("queue", "control", "results"):
        (CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
    # kombu's file-system transport, writing each message whole before a worker can see it.
    CELERY_BROKER_TRANSPORT = "atvida_social.scheduling.transport:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_DIR / "queue"),
        "data_folder_out": str(CELERY_DIR / "queue"),
        "control_folder": str(CELERY_DIR / "control"),
    }
    CELERY_RESULT_BACKEND = CELERY_RESULT_BACKEND or f"file://{CELERY_DIR / 'results'}"
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_RESULT_BACKEND = CELERY_RESULT_BACKEND or CELERY_BROKER_URL
    # A worker asks its queues in the order of its --queues, always: the first queue with a
    # message wins (kombu's default takes turns). With `--queues platform,celery` a hiding
    # waiting on the platform queue goes before a backlog of pulls.
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"queue_order_strategy": "priority"}
CELERY_RESULT_BACKEND = CELERY_RESULT_BACKEND or None
# The application reads no task results: a task stores none unless its caller asks for it
# (apply_async(ignore_result=False)). Publishing a task that keeps its result first subscribes
# to the result backend, and with Redis down the backend's default retry policy (20 attempts)
# held each enqueueing request for about 20 s before the broker was even asked; the relay then
# took the backend's error for a failed task and went on to the next one.
CELERY_TASK_IGNORE_RESULT = True
# A result asked for explicitly gives up quickly as well when Redis is down.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
}
# Installations sharing one Redis keep their keys apart with a prefix of their own
# (CELERY_KEY_PREFIX, e.g. "atvida:"); the test processes and the workers they start do too.
CELERY_KEY_PREFIX = os.environ.get("CELERY_KEY_PREFIX", "")
if CELERY_KEY_PREFIX and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"global_keyprefix": CELERY_KEY_PREFIX}
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS |= {"global_keyprefix": CELERY_KEY_PREFIX}
# Rendering (WeasyPrint) runs on a queue of its own, served by workers started with
# --max-tasks-per-child so that the memory a large document leaves behind is given back.
# Decisions carried out on the platforms (a rule's hiding of a personnummer: "ska omedelbart
# tas bort") have a queue of their own too, which every general worker serves first
# (`--queues platform,celery`), so that they never wait behind the pulls.
PLATFORM_QUEUE = "platform"
CELERY_TASK_ROUTES = {
    "archiving.tasks.render_*": {"queue": "rendering"},
    "moderation.tasks.carry_out_platform_action": {"queue": PLATFORM_QUEUE},
}
# The schedule lives in the database (django-celery-beat), seeded by the migrations of
# atvida_social/scheduling and edited by Informationsenheten in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Security headers. The Content-Security-Policy allows no inline script or style;
# Bootstrap draws its form icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        # Only behind a proxy that sets X-Forwarded-Proto itself.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # A worker's log shows each task received, run and scheduled (how to watch a job
        # happen); tasks run in-process would fill the web server's log with the same lines.
        "celery": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        # An httpx request line holds the URL, and a platform may take its token in the query.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
