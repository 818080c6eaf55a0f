"""The `portal` command: serve, database migrations and FAQ content management."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from portal import cli_webhooks
from portal.cli_db import run_db, where
from portal.services import search_tuning
from portal.settings import Settings, SettingsError
from tracking.callbacks.slots import CallbackConfigError, load_slot_config
from tracking.classification import ClassificationError, load_classification


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description="Customer self-service portal")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web portal (applies migrations on start)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=1, help="processes (more than 1 needs PostgreSQL)"
    )
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* headers from 127.0.0.1 (see PORTAL_TRUSTED_PROXIES)",
    )

    commands.add_parser("migrate", help="apply pending database migrations and exit")

    faq = commands.add_parser("faq", help="manage FAQ content").add_subparsers(
        dest="faq_command", required=True
    )
    imp = faq.add_parser("import", help="upsert every <id>.<lang>.md file of DIR")
    imp.add_argument("directory", type=Path)
    imp.add_argument("--prune", action="store_true", help="remove articles not in DIR")
    faq.add_parser("reindex", help="rebuild the search index of every portal process")

    cli_webhooks.add_parsers(commands)

    demo = commands.add_parser(
        "demo-backoffice", help="a tiny back office: webhooks in, replies out through the API"
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8100)
    demo.add_argument("--portal-url", help="the running portal (default: PORTAL_BASE_URL)")

    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        load_classification(settings.classification_file)  # a broken file stops here, in one line
        load_slot_config(settings.callback_file)
        search_tuning(settings)  # semantic search without its package
    except (SettingsError, ClassificationError, CallbackConfigError) as exc:
        print(f"portal: configuration error: {exc}", file=sys.stderr)
        return 2
    handler = {
        "serve": _serve,
        "migrate": _migrate,
        "faq": _faq,
        "webhooks": cli_webhooks.webhooks,
        "worker": cli_webhooks.worker,
        "clients": cli_webhooks.clients,
        "demo-backoffice": _demo_backoffice,
    }[args.command]
    try:
        return handler(settings, args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"portal: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers > 1 and settings.database_url.startswith("sqlite"):
        # SQLite lets one process write at a time; under load the others fail with
        # "database is locked", so several processes are a PostgreSQL setup
        print(
            "portal: several workers need PostgreSQL (PORTAL_DATABASE_URL=postgres://...); "
            "SQLite serves one process",
            file=sys.stderr,
        )
        return 2
    if _preflight(settings) != 0 or _migrate(settings, args) != 0:  # once, before any worker
        return 1
    uvicorn.run(
        "portal.asgi:create",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=bool(settings.trusted_proxies) or args.proxy_headers,
        forwarded_allow_ips=",".join(settings.trusted_proxies) or "127.0.0.1",
        log_level=settings.log_level.lower(),
        server_header=False,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
    return 0


def _preflight(settings: Settings) -> int:
    """What would stop the portal from serving is refused here, in one line, within seconds
    (a process that hangs instead is never restarted by its supervisor)."""
    from portal import health
    from portal.ratelimits import RateLimits

    paths = health.directories(settings)
    for name, result in health.check_directories(settings).items():
        if result != health.OK:
            print(f"portal: {name} {paths[name]}: {result}", file=sys.stderr)
            return 1
    redis = asyncio.run(health.check_redis(settings, RateLimits(settings)))
    if redis not in (health.OK, "not configured"):
        print(f"portal: Redis unreachable ({where(settings.redis_url)})", file=sys.stderr)
        return 1
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        if args.command == "migrate":
            print("database is up to date")
        return 0

    return run_db(settings, work)


def _faq(settings: Settings, args: argparse.Namespace) -> int:
    import tempfile

    from faq.importer import parse_directory
    from faq.search import FaqSearch
    from faq.service import FaqService

    async def work() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            service = FaqService(FaqSearch(Path(tmp)))
            try:
                if args.faq_command == "reindex":
                    # each portal keeps its own index: marking every article changed makes
                    # all running processes re-index it, and new ones build from the database
                    touched = await service.touch_all()
                    print(
                        f"reindexed {touched} articles (running portals pick them up within seconds)"
                    )
                    return 0
                if not args.directory.is_dir():
                    print(f"portal: {args.directory} is not a directory", file=sys.stderr)
                    return 2
                parsed = parse_directory(args.directory)
                for path, reason in parsed.errors:
                    print(f"skipped {path.name}: {reason}", file=sys.stderr)
                report = await service.import_docs(
                    parsed.docs, prune=args.prune, keep=parsed.present_keys()
                )
                print(
                    f"imported {len(parsed.docs)} files: {report.created} created, "
                    f"{report.updated} updated, {report.unchanged} unchanged, "
                    f"{report.removed} removed, {len(parsed.errors)} skipped"
                )
                return 1 if parsed.errors else 0
            finally:
                service.search_index.close()

    return run_db(settings, work)


def _demo_backoffice(settings: Settings, args: argparse.Namespace) -> int:
    """Subscribe and create an API client in the portal's database, serve, clean up on exit."""
    import uvicorn

    from portal.demo_backoffice import DemoBackoffice, create_demo_app
    from tracking.backoffice.models import ApiClient
    from tracking.backoffice.oauth import create_client
    from webhooks import subscriptions

    made: dict = {}

    async def setup() -> int:
        url = f"http://{args.host}:{args.port}/webhook"
        made["subscription"], secret = await subscriptions.add_subscription(url)
        made["client"], client_secret = await create_client(
            "demo back office", ["cases:read", "cases:write"]
        )
        made["demo"] = DemoBackoffice(
            portal_url=args.portal_url or settings.base_url,
            client_id=made["client"].client_id,
            client_secret=client_secret,
            webhook_secrets=[secret],
        )
        return 0

    async def teardown() -> int:
        await subscriptions.remove_subscription(made["subscription"].id)
        await ApiClient.filter(id=made["client"].id).update(active=False)
        return 0

    if run_db(settings, setup) != 0:
        return 1
    print(
        f"demo back office on http://{args.host}:{args.port}/ (portal: {made['demo'].portal_url})"
    )
    try:
        uvicorn.run(
            create_demo_app(made["demo"], settings),
            host=args.host,
            port=args.port,
            log_level="warning",
        )
    finally:
        run_db(settings, teardown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
