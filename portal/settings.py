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
