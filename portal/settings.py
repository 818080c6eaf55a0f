"""One settings object, read from the environment once and passed to `create_app`.

Nothing reads `os.environ` elsewhere, so tests build the app with their own settings.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEMO_FAQ_DIR = PACKAGE_ROOT / "faq" / "content"
#: Webhook retries: now, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.6 h in all).
DEFAULT_RETRY_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Runtime configuration; every field maps to one `PORTAL_*` environment variable."""

    data_dir: Path
    """PORTAL_DATA_DIR: database (SQLite), search index, attachments. Default `./data`."""
    database_url: str
    """PORTAL_DATABASE_URL: `sqlite:///path` or `postgres://user@host:port/db`."""
    secret_key: str
    """PORTAL_SECRET_KEY: signs cookies and tokens; at least 32 characters. Generated into
    the data directory when unset, unless PORTAL_ENV=production."""
    base_url: str = "http://127.0.0.1:8000"
    """PORTAL_BASE_URL: public address, used for links in emails and webhooks."""
    env: str = "development"
    """PORTAL_ENV: `development` or `production` (production requires PORTAL_SECRET_KEY)."""
    default_language: str = "de"
    """PORTAL_DEFAULT_LANGUAGE: `de` or `en`, used when the browser states no preference."""
    load_demo_content: bool = True
    """PORTAL_DEMO_CONTENT: load the shipped demo FAQ into an empty database on start."""
    faq_content_dir: Path = DEMO_FAQ_DIR
    """PORTAL_FAQ_CONTENT_DIR: the FAQ loaded on first start (default: the shipped demo FAQ)."""
    company_name: str = "Lindenhof Living"
    """PORTAL_COMPANY_NAME: shown in the header and page titles."""
    search_rate_limit: int = 120
    """PORTAL_SEARCH_RATE_LIMIT: FAQ search API requests per minute and client."""
    secure_cookies: bool = False
    """PORTAL_SECURE_COOKIES: mark cookies `Secure` (on behind HTTPS). Default: on when
    PORTAL_BASE_URL is https."""
    log_level: str = "INFO"
    """PORTAL_LOG_LEVEL: Python logging level name."""
    worker_in_process: bool = True
    """PORTAL_WORKER_IN_PROCESS: run the webhook delivery worker inside each portal process.
    Turn off when `portal worker` runs as a separate process."""
    webhook_retry_schedule: tuple[float, ...] = DEFAULT_RETRY_SCHEDULE
    """PORTAL_WEBHOOK_RETRY_SCHEDULE: seconds before each retry, comma-separated (default
    about 27 h in all); an event is dead-lettered once every retry has failed."""
    webhook_timeout: float = 10.0
    """PORTAL_WEBHOOK_TIMEOUT: seconds a receiver has to answer one delivery."""
    webhook_lease_seconds: float = 60.0
    """PORTAL_WEBHOOK_LEASE_SECONDS: how long a claimed event stays with its worker; a crashed
    worker's events are retried after this. Must exceed PORTAL_WEBHOOK_TIMEOUT."""
    webhook_poll_seconds: float = 0.25
    """PORTAL_WEBHOOK_POLL_SECONDS: how often an idle worker looks for due events."""

    classification_file: Path = PACKAGE_ROOT / "tracking" / "classification.yaml"
    """PORTAL_CLASSIFICATION_FILE: request types, form fields, routing and SLA targets of cases
    (default: the shipped `tracking/classification.yaml`); checked at start-up."""
    reopen_days: int = 14
    """PORTAL_REOPEN_DAYS: how many days after its resolution a customer may reopen a case."""
    case_rate_limit: int = 20
    """PORTAL_CASE_RATE_LIMIT: new cases per hour and client, through the form and the API."""
    smtp_host: str = ""
    """PORTAL_SMTP_HOST: mail server for customer emails; unset keeps mails queued in the
    database until it is set."""
    smtp_port: int = 25
    """PORTAL_SMTP_PORT: port of the mail server."""
    smtp_from: str = "Lindenhof Living <service@lindenhof-living.example>"
    """PORTAL_SMTP_FROM: sender of customer emails."""
    smtp_username: str = ""
    """PORTAL_SMTP_USERNAME: login at the mail server, if it wants one (with PORTAL_SMTP_PASSWORD)."""
    smtp_password: str = ""
    """PORTAL_SMTP_PASSWORD: password for PORTAL_SMTP_USERNAME."""
    smtp_starttls: bool = False
    """PORTAL_SMTP_STARTTLS: switch to TLS with STARTTLS before logging in."""
    callback_file: Path = PACKAGE_ROOT / "tracking" / "callbacks" / "callbacks.yaml"
    """PORTAL_CALLBACK_FILE: opening hours, slot length, capacity and lead times of callbacks
    (default: the shipped `tracking/callbacks/callbacks.yaml`); checked at start-up."""

    sla_watch_seconds: float = 60.0
    """PORTAL_SLA_WATCH_SECONDS: how often each process looks for cases whose SLA light has
    turned amber, to send `case.sla_warning` (each case is warned once per target)."""
    attachment_dir: Path | None = None
    """PORTAL_ATTACHMENT_DIR: where customers' files are stored (default
    `$PORTAL_DATA_DIR/attachments`). With several machines, a directory every machine mounts."""
    trusted_proxies: tuple[str, ...] = ()
    """PORTAL_TRUSTED_PROXIES: addresses or networks (comma-separated) of reverse proxies whose
    X-Forwarded-For / X-Forwarded-Proto headers are believed, so that rate limits see the real
    client. Unset: the headers are ignored."""
    redis_url: str = ""
    """PORTAL_REDIS_URL: keep sessions and rate-limit counters in Redis (`redis://host:6379/0`),
    for portal processes on several machines. Unset: files in PORTAL_DATA_DIR, shared by the
    processes of one machine."""
    redis_namespace: str = "portal"
    """PORTAL_REDIS_NAMESPACE: key prefix in Redis, so several portals can share one server."""
    oauth_issuer: str = ""
    """PORTAL_OAUTH_ISSUER: also accept access tokens of this external identity provider
    (its `iss`), verified with the keys at PORTAL_OAUTH_JWKS_URL. Portal clients keep working."""
    oauth_jwks_url: str = ""
    """PORTAL_OAUTH_JWKS_URL: the provider's JSON Web Key Set (required with PORTAL_OAUTH_ISSUER)."""
    oauth_audience: str = ""
    """PORTAL_OAUTH_AUDIENCE: the `aud` the provider puts into tokens for the portal (default:
    PORTAL_BASE_URL + `/api/v1/backoffice`)."""
    admin_token: str = ""
    """PORTAL_ADMIN_TOKEN: lets a service manager sign in to the report page (`/reports`) with
    this token, at least 32 characters. Unset: only back-office clients with `reports:read`."""
    min_free_mb: int = 100
    """PORTAL_MIN_FREE_MB: free space the data and attachment directories need; below it the
    portal does not start and `/healthz` answers 503, before the disk is full mid-request."""

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate all settings; raise SettingsError naming the first bad variable."""
        env = dict(os.environ if environ is None else environ)
        mode = _choice(env, "PORTAL_ENV", "development", ("development", "production"))
        data_dir = Path(env.get("PORTAL_DATA_DIR") or "data").expanduser().resolve()
        database_url = env.get("PORTAL_DATABASE_URL") or f"sqlite://{data_dir / 'portal.sqlite3'}"
        if urlsplit(database_url).scheme not in ("sqlite", "postgres", "postgresql", "asyncpg"):
            raise SettingsError(
                "PORTAL_DATABASE_URL must start with sqlite:// or postgres:// "
                f"(got {database_url.split(':', 1)[0]!r})"
            )
        base_url = (env.get("PORTAL_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
        if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
            raise SettingsError("PORTAL_BASE_URL must be an absolute http(s) URL")
        secret = env.get("PORTAL_SECRET_KEY") or ""
        if not secret:
            if mode == "production":
                raise SettingsError("PORTAL_SECRET_KEY is required when PORTAL_ENV=production")
            secret = _local_secret(data_dir)
        elif len(secret) < 32:
            raise SettingsError("PORTAL_SECRET_KEY must be at least 32 characters long")
        content_dir = Path(env.get("PORTAL_FAQ_CONTENT_DIR") or DEMO_FAQ_DIR).expanduser()
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=secret,
            base_url=base_url,
            env=mode,
            default_language=_choice(env, "PORTAL_DEFAULT_LANGUAGE", "de", ("de", "en")),
            load_demo_content=_bool(env, "PORTAL_DEMO_CONTENT", True),
            faq_content_dir=content_dir,
            company_name=env.get("PORTAL_COMPANY_NAME") or "Lindenhof Living",
            search_rate_limit=_int(env, "PORTAL_SEARCH_RATE_LIMIT", 120, minimum=1),
            secure_cookies=_bool(env, "PORTAL_SECURE_COOKIES", base_url.startswith("https:")),
            log_level=_choice(
                env, "PORTAL_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"), upper=True
            ),
            **_webhook_settings(env),
            **_case_settings(env),
            **_oauth_settings(env),
            redis_url=_redis_url(env),
            trusted_proxies=_networks(env, "PORTAL_TRUSTED_PROXIES"),
            attachment_dir=Path(env["PORTAL_ATTACHMENT_DIR"]).expanduser().resolve()
            if env.get("PORTAL_ATTACHMENT_DIR")
            else None,
            redis_namespace=(env.get("PORTAL_REDIS_NAMESPACE") or "portal").strip(),
            admin_token=_admin_token(env),
            min_free_mb=_int(env, "PORTAL_MIN_FREE_MB", 100, minimum=0),
        )


def _choice(env, name: str, default: str, allowed: tuple[str, ...], upper: bool = False) -> str:
    value = env.get(name) or default
    value = value.upper() if upper else value.lower()
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def _bool(env, name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false (got {raw!r})")


def _int(env, name: str, default: int, minimum: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number (got {raw!r})") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum} (got {value})")
    return value


def _float(env, name: str, default: float, minimum: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds (got {raw!r})") from None
    if not value >= minimum:
        raise SettingsError(f"{name} must be at least {minimum} (got {raw})")
    return value


def _webhook_settings(env) -> dict:
    schedule = DEFAULT_RETRY_SCHEDULE
    raw = (env.get("PORTAL_WEBHOOK_RETRY_SCHEDULE") or "").strip()
    if raw:
        try:
            schedule = tuple(float(part) for part in raw.split(",") if part.strip())
        except ValueError:
            raise SettingsError(
                f"PORTAL_WEBHOOK_RETRY_SCHEDULE must be seconds, comma-separated (got {raw!r})"
            ) from None
        if any(not delay >= 0 for delay in schedule):
            raise SettingsError("PORTAL_WEBHOOK_RETRY_SCHEDULE must not contain negative delays")
    timeout = _float(env, "PORTAL_WEBHOOK_TIMEOUT", 10.0, minimum=0.1)
    lease = _float(env, "PORTAL_WEBHOOK_LEASE_SECONDS", 60.0, minimum=1.0)
    if lease <= timeout:
        raise SettingsError("PORTAL_WEBHOOK_LEASE_SECONDS must exceed PORTAL_WEBHOOK_TIMEOUT")
    return {
        "worker_in_process": _bool(env, "PORTAL_WORKER_IN_PROCESS", True),
        "webhook_retry_schedule": schedule,
        "webhook_timeout": timeout,
        "webhook_lease_seconds": lease,
        "webhook_poll_seconds": _float(env, "PORTAL_WEBHOOK_POLL_SECONDS", 0.25, minimum=0.01),
        "sla_watch_seconds": _float(env, "PORTAL_SLA_WATCH_SECONDS", 60.0, minimum=0.1),
    }


def _case_settings(env) -> dict:
    classification = env.get("PORTAL_CLASSIFICATION_FILE")
    callbacks = env.get("PORTAL_CALLBACK_FILE")
    return {
        **({"classification_file": Path(classification).expanduser()} if classification else {}),
        **({"callback_file": Path(callbacks).expanduser()} if callbacks else {}),
        "case_rate_limit": _int(env, "PORTAL_CASE_RATE_LIMIT", 20, minimum=1),
        "reopen_days": _int(env, "PORTAL_REOPEN_DAYS", 14, minimum=0),
        "smtp_host": (env.get("PORTAL_SMTP_HOST") or "").strip(),
        "smtp_port": _int(env, "PORTAL_SMTP_PORT", 25, minimum=1),
        "smtp_from": env.get("PORTAL_SMTP_FROM") or Settings.smtp_from,
        "smtp_username": env.get("PORTAL_SMTP_USERNAME") or "",
        "smtp_password": env.get("PORTAL_SMTP_PASSWORD") or "",
        "smtp_starttls": _bool(env, "PORTAL_SMTP_STARTTLS", False),
    }


def _networks(env, name: str) -> tuple[str, ...]:
    import ipaddress

    parts = tuple(p.strip() for p in (env.get(name) or "").split(",") if p.strip())
    for part in parts:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise SettingsError(f"{name}: {part!r} is not an IP address or network") from None
    return parts


def _redis_url(env) -> str:
    url = (env.get("PORTAL_REDIS_URL") or "").strip()
    if url and urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise SettingsError("PORTAL_REDIS_URL must start with redis://, rediss:// or unix://")
    return url


def _oauth_settings(env) -> dict:
    issuer = (env.get("PORTAL_OAUTH_ISSUER") or "").strip()
    jwks = (env.get("PORTAL_OAUTH_JWKS_URL") or "").strip()
    if issuer and urlsplit(jwks).scheme not in ("http", "https"):
        raise SettingsError(
            "PORTAL_OAUTH_JWKS_URL must be an http(s) URL when PORTAL_OAUTH_ISSUER is set"
        )
    if jwks and not issuer:
        raise SettingsError("PORTAL_OAUTH_ISSUER must be set with PORTAL_OAUTH_JWKS_URL")
    return {
        "oauth_issuer": issuer,
        "oauth_jwks_url": jwks,
        "oauth_audience": (env.get("PORTAL_OAUTH_AUDIENCE") or "").strip(),
    }


def _admin_token(env) -> str:
    token = (env.get("PORTAL_ADMIN_TOKEN") or "").strip()
    if token and len(token) < 32:
        raise SettingsError("PORTAL_ADMIN_TOKEN must be at least 32 characters long")
    return token


def _local_secret(data_dir: Path) -> str:
    """Development convenience: keep one generated key in the data directory."""
    path = data_dir / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key
    except OSError as exc:
        raise SettingsError(
            f"PORTAL_DATA_DIR {data_dir} is not writable ({exc.strerror})"
        ) from None
