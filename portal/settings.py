"""One settings object, read from the environment once and passed to `create_app`.

Nothing reads `os.environ` elsewhere, so tests build the app with their own settings.

Each setting is one field of `Settings`: its type and limits, its one default, and the
docstring under it (`Settings.variables()` lists them, as the README table does). The
environment variable is `PORTAL_` + the field's name in capitals (`load_demo_content` is
renamed to `PORTAL_DEMO_CONTENT`). An empty variable counts as unset. msgspec converts and
checks the values; a bad one stops start-up with one line naming the variable.

To add a setting: declare the field with its default and a docstring (limits as
`Annotated[int, Meta(ge=1)]`); a check across settings goes into `__post_init__`; add the
variable to the README table (a test insists).
"""

from __future__ import annotations

import ast
import inspect as pyinspect
import ipaddress
import os
import secrets
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta, inspect
from msgspec.structs import force_setattr

from feedback.learning import LearningConfig
from shared.config_file import plain_type
from shared.regional import Language
from tracking.callbacks.slots import SHIPPED_FILE as SHIPPED_CALLBACK_FILE
from tracking.classification import SHIPPED_FILE as SHIPPED_CLASSIFICATION_FILE

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEMO_FAQ_DIR = PACKAGE_ROOT / "faq" / "content"
#: Webhook retries: now, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.6 h in all).
DEFAULT_RETRY_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
ENV_PREFIX = "PORTAL_"
#: Learning's knobs as the domain declares them: the defaults of the PORTAL_LEARN_* settings.
_LEARNING = LearningConfig()

#: How the text of a variable becomes a value, where plain conversion is not enough.
LOWER = Meta(extra={"text": str.lower})
UPPER = Meta(extra={"text": str.upper})
LIST = Meta(extra={"text": lambda text: [part.strip() for part in text.split(",") if part.strip()]})
SECRET = Meta(extra={"secret": True})  # taken as written: surrounding spaces are kept
_BOOLEAN_WORDS = {"yes": "true", "on": "true", "no": "false", "off": "false"}


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Runtime configuration; every field maps to one `PORTAL_*` environment variable."""

    data_dir: Path = Path("data")
    """SQLite database, search indexes, attachments."""
    database_url: str = ""
    """`sqlite://path` or `postgres://user:pass@host:5432/db`. Unset:
    `sqlite://$PORTAL_DATA_DIR/portal.sqlite3`."""
    secret_key: Annotated[str, SECRET] = ""
    """Signs cookies and tokens, at least 32 characters. Unset: generated into the data
    directory, which PORTAL_ENV=production refuses."""
    base_url: str = "http://127.0.0.1:8000"
    """Public address, used for links in emails and webhooks."""
    env: Annotated[Literal["development", "production"], LOWER] = "development"
    """`production` requires PORTAL_SECRET_KEY."""
    default_language: Annotated[Language, LOWER] = "de"
    """Language of the pages when the browser states no preference."""
    load_demo_content: bool = msgspec.field(default=True, name="demo_content")
    """Load the FAQ from PORTAL_FAQ_CONTENT_DIR into an empty database on start."""
    faq_content_dir: Path = DEMO_FAQ_DIR
    """Markdown articles loaded on first start (default: the shipped demo FAQ)."""
    company_name: str = "Lindenhof Living"
    """Shown in the header and page titles."""
    search_rate_limit: Annotated[int, Meta(ge=1)] = 120
    """FAQ search API requests per minute and client."""
    secure_cookies: bool | None = None
    """`Secure` flag on cookies. Unset: on when PORTAL_BASE_URL is https."""
    log_level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], UPPER] = "INFO"
    """Python logging level."""
    shutdown_grace_seconds: Annotated[int, Meta(ge=0)] = 5
    """On SIGTERM, seconds `portal serve` waits for open requests before closing them: a
    status page's live connection never ends on its own, and its browser reconnects."""
    worker_in_process: bool = True
    """Deliver webhooks from each portal process; turn off when `portal worker` runs as a
    separate process."""
    webhook_retry_schedule: Annotated[tuple[Annotated[float, Meta(ge=0)], ...], LIST] = (
        DEFAULT_RETRY_SCHEDULE
    )
    """Seconds before each retry, comma-separated (about 27 h in all); an event is
    dead-lettered once every retry has failed."""
    webhook_timeout: Annotated[float, Meta(ge=0.1)] = 10.0
    """Seconds a receiver has to answer one delivery."""
    webhook_lease_seconds: Annotated[float, Meta(ge=1.0)] = 60.0
    """How long a claimed event stays with its worker; a crashed worker's events are retried
    after this. Must exceed PORTAL_WEBHOOK_TIMEOUT."""
    webhook_poll_seconds: Annotated[float, Meta(ge=0.01)] = 0.25
    """How often an idle worker looks for due events (seconds)."""
    classification_file: Path = SHIPPED_CLASSIFICATION_FILE
    """Request types, form fields, routing, opening hours and SLA targets of cases (default:
    the shipped `tracking/classification.yaml`); checked at start-up."""
    reopen_days: Annotated[int, Meta(ge=0)] = 14
    """Days after its resolution in which a customer may reopen a case."""
    case_rate_limit: Annotated[int, Meta(ge=1)] = 20
    """New cases per hour and client, through the form and the API."""
    smtp_host: str = ""
    """Mail server for customer emails; unset keeps mails queued in the database."""
    smtp_port: Annotated[int, Meta(ge=1)] = 25
    """Port of the mail server."""
    smtp_from: str = "Lindenhof Living <service@lindenhof-living.example>"
    """Sender of customer emails."""
    smtp_username: str = ""
    """Login at the mail server, if it wants one (with PORTAL_SMTP_PASSWORD)."""
    smtp_password: Annotated[str, SECRET] = ""
    """Password for PORTAL_SMTP_USERNAME."""
    smtp_starttls: bool = False
    """Switch to TLS with STARTTLS before logging in."""
    callback_file: Path = SHIPPED_CALLBACK_FILE
    """Opening hours, slot length, capacity and lead times of callbacks (default: the shipped
    `tracking/callbacks/callbacks.yaml`); checked at start-up."""
    sla_watch_seconds: Annotated[float, Meta(ge=0.1)] = 60.0
    """How often each process looks for cases whose SLA light has turned amber, to send
    `case.sla_warning` (each case is warned once per target)."""
    attachment_dir: Path | None = None
    """Customers' files; with several machines a directory every machine mounts. Unset:
    `$PORTAL_DATA_DIR/attachments`."""
    trusted_proxies: Annotated[tuple[str, ...], LIST] = ()
    """Reverse proxies (IP addresses or networks, comma-separated) whose X-Forwarded-For /
    X-Forwarded-Proto headers are believed, so rate limits see the real client. Unset: the
    headers are ignored."""
    redis_url: str = ""
    """Sessions and rate-limit counters in Redis (`redis://host:6379/0`), for portal processes
    on several machines. Unset: files in PORTAL_DATA_DIR, shared by one machine's processes."""
    redis_namespace: str = "portal"
    """Key prefix in Redis, so several portals can share one server."""
    oauth_issuer: str = ""
    """Also accept access tokens of this external identity provider (its `iss`), verified with
    the keys at PORTAL_OAUTH_JWKS_URL. Portal clients keep working."""
    oauth_jwks_url: str = ""
    """The provider's JSON Web Key Set (required with PORTAL_OAUTH_ISSUER)."""
    oauth_audience: str = ""
    """The `aud` the provider puts into tokens for the portal. Unset: PORTAL_BASE_URL +
    `/api/v1/backoffice`."""
    admin_token: Annotated[str, SECRET] = ""
    """Sign-in token for the report page `/reports`, at least 32 characters. Unset: only
    back-office clients with `reports:read`."""
    case_session_days: Annotated[int, Meta(ge=1)] = 30
    """How long a browser may see the cases it filed or opened (session cookie
    `portal_case`, renewed while used); a draft of the case form in it is kept for a day."""
    report_session_hours: Annotated[int, Meta(ge=1)] = 8
    """How long a sign-in to the report pages lasts (session cookie `portal_reports`)."""

    min_free_mb: Annotated[int, Meta(ge=0)] = 100
    """Free space the data and attachment directories need; below it the portal does not
    start and `/healthz` answers 503, before the disk is full mid-request."""
    learn_min_sessions: Annotated[int, Meta(ge=1)] = _LEARNING.min_sessions
    """Distinct sessions (day and visitor bucket) in which a query must have led to an article
    before the search learns it as a phrasing of that article."""
    learn_half_life_days: Annotated[float, Meta(gt=0)] = _LEARNING.half_life_days
    """Age at which a search outcome counts half as much for learning."""
    learn_max_phrases: Annotated[int, Meta(ge=0)] = _LEARNING.max_phrases
    """Learned phrasings per article at most."""
    learn_refresh_seconds: Annotated[float, Meta(ge=1.0)] = 600.0
    """How often each process re-reads the outcomes and re-indexes what was learned."""

    faq_semantic: bool = False
    """Also search the FAQ by meaning (multilingual sentence embeddings, the optional
    `semantic` extra): finds paraphrases that share no word with the article, shown as
    "low" (not an answer; the page offers the case form). Articles are embedded by a
    background thread (0.3-0.7 s of CPU each, kept in the index directory and shared by the
    processes, so a restart reuses them); until then the search is lexical. Off by default:
    a search costs 10-30 ms of CPU more (p99 117 ms at 10,000 articles, against a budget of
    25 ms); see bench/README.md."""

    def __post_init__(self) -> None:
        """Derived defaults and the checks that involve more than one value."""
        data_dir = self.data_dir.expanduser().resolve()
        force_setattr(self, "data_dir", data_dir)
        force_setattr(self, "faq_content_dir", self.faq_content_dir.expanduser())
        force_setattr(self, "classification_file", self.classification_file.expanduser())
        force_setattr(self, "callback_file", self.callback_file.expanduser())
        if self.attachment_dir is not None:
            force_setattr(self, "attachment_dir", self.attachment_dir.expanduser().resolve())
        database_url = self.database_url or f"sqlite://{data_dir / 'portal.sqlite3'}"
        if urlsplit(database_url).scheme not in ("sqlite", "postgres", "postgresql", "asyncpg"):
            raise SettingsError(
                "PORTAL_DATABASE_URL must start with sqlite:// or postgres:// "
                f"(got {database_url.split(':', 1)[0]!r})"
            )
        force_setattr(self, "database_url", database_url)
        base_url = self.base_url.rstrip("/")
        if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
            raise SettingsError("PORTAL_BASE_URL must be an absolute http(s) URL")
        force_setattr(self, "base_url", base_url)
        if self.secure_cookies is None:
            force_setattr(self, "secure_cookies", base_url.startswith("https:"))
        if not self.secret_key:
            if self.env == "production":
                raise SettingsError("PORTAL_SECRET_KEY is required when PORTAL_ENV=production")
            force_setattr(self, "secret_key", _local_secret(data_dir))
        elif len(self.secret_key) < 32:
            raise SettingsError("PORTAL_SECRET_KEY must be at least 32 characters long")
        if self.webhook_lease_seconds <= self.webhook_timeout:
            raise SettingsError("PORTAL_WEBHOOK_LEASE_SECONDS must exceed PORTAL_WEBHOOK_TIMEOUT")
        for part in self.trusted_proxies:
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise SettingsError(
                    f"PORTAL_TRUSTED_PROXIES: {part!r} is not an IP address or network"
                ) from None
        if self.redis_url and urlsplit(self.redis_url).scheme not in ("redis", "rediss", "unix"):
            raise SettingsError("PORTAL_REDIS_URL must start with redis://, rediss:// or unix://")
        if self.oauth_issuer and urlsplit(self.oauth_jwks_url).scheme not in ("http", "https"):
            raise SettingsError(
                "PORTAL_OAUTH_JWKS_URL must be an http(s) URL when PORTAL_OAUTH_ISSUER is set"
            )
        if self.oauth_jwks_url and not self.oauth_issuer:
            raise SettingsError("PORTAL_OAUTH_ISSUER must be set with PORTAL_OAUTH_JWKS_URL")
        if self.admin_token and len(self.admin_token) < 32:
            raise SettingsError("PORTAL_ADMIN_TOKEN must be at least 32 characters long")
        _check_sender(self.smtp_from)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate all settings; raise SettingsError naming the first bad variable."""
        env = os.environ if environ is None else environ
        given: dict[str, Any] = {}
        for field in inspect.type_info(cls).fields:
            meta = _meta(field.type)
            text = env.get(ENV_PREFIX + field.encode_name.upper()) or ""
            if not meta.get("secret"):
                text = text.strip()
            if not text:
                continue
            if isinstance(plain_type(field.type), inspect.BoolType):
                text = _BOOLEAN_WORDS.get(text.lower(), text)
            given[field.encode_name] = meta.get("text", str)(text)
        try:
            return msgspec.convert(given, cls, strict=False, dec_hook=_path)
        except msgspec.ValidationError as exc:
            raise SettingsError(_explain(exc, env)) from None

    @classmethod
    def variables(cls) -> Iterator[tuple[str, Any, str]]:
        """(environment variable, default, docstring) of every setting, in order."""
        docs = _attribute_docstrings(cls)
        for field in inspect.type_info(cls).fields:
            yield ENV_PREFIX + field.encode_name.upper(), field.default, docs.get(field.name, "")


def _attribute_docstrings(cls: type) -> dict[str, str]:
    """The string written under each field, as Sphinx reads attribute docstrings."""
    body = ast.parse(textwrap.dedent(pyinspect.getsource(cls))).body[0].body
    return {
        node.target.id: " ".join(ast.literal_eval(following.value).split())
        for node, following in zip(body, body[1:], strict=False)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
    }


def _check_sender(sender: str) -> None:
    """A sender a mail server accepts: `Name <address>` or a bare address, checked at start."""
    from email.utils import parseaddr

    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(parseaddr(sender)[1], check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        raise SettingsError(
            "PORTAL_SMTP_FROM must be an address such as Service <service@example.com> "
            f"(got {sender!r})"
        ) from None


def _path(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError


def _meta(kind: inspect.Type) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    while isinstance(kind, inspect.Metadata):
        extra = {**(kind.extra or {}), **extra}
        kind = kind.type
    return extra


def _expected(kind: inspect.Type) -> str:
    kind = plain_type(kind)
    if isinstance(kind, inspect.VarTupleType):
        return _expected(kind.item_type).replace("a number", "numbers") + ", comma-separated"
    least = f" of at least {kind.ge:g}" if getattr(kind, "ge", None) is not None else ""
    if isinstance(kind, inspect.BoolType):
        return "true or false"
    if isinstance(kind, inspect.LiteralType):
        return "one of " + ", ".join(str(value) for value in kind.values)
    if isinstance(kind, inspect.IntType):
        return "a whole number" + least
    if isinstance(kind, inspect.FloatType):
        return "a number" + least
    return "valid"


def _explain(exc: msgspec.ValidationError, env: Mapping[str, str]) -> str:
    """One line naming the variable: msgspec says `... - at `$.field``."""
    problem, at, where = str(exc).rpartition(" - at `")
    if not at:  # raised by __post_init__, which names its variables itself
        return str(exc)
    name = where.removeprefix("$.").split("[")[0].split("`")[0]
    field = next(f for f in inspect.type_info(Settings).fields if f.encode_name == name)
    variable = ENV_PREFIX + name.upper()
    return f"{variable} must be {_expected(field.type)} (got {env.get(variable, '')!r})"


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
