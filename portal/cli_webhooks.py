"""`portal webhooks ...` and `portal worker`: back-office subscriptions and delivery."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

from portal.cli_db import run_db
from portal.settings import Settings


def add_parsers(commands) -> None:
    hooks = commands.add_parser("webhooks", help="manage back-office webhook subscriptions")
    sub = hooks.add_subparsers(dest="webhooks_command", required=True)
    add = sub.add_parser("add", help="subscribe URL; prints the id and the secret once")
    add.add_argument("url")
    add.add_argument("--events", nargs="*", default=[], help="event types (default: all)")
    add.add_argument("--json", action="store_true", help='print {"id", "url", "secret"}')
    lst = sub.add_parser("list", help="list subscriptions")
    lst.add_argument("--json", action="store_true")
    for name, text in (
        ("rotate", "add a new secret; old and new both sign until --finish"),
        ("rotate-secret", "same as rotate"),
    ):
        rot = sub.add_parser(name, help=text)
        rot.add_argument("id", type=int)
        rot.add_argument("--finish", action="store_true", help="drop all but the newest secret")
        rot.add_argument("--json", action="store_true")
    for name, text in (
        ("remove", "delete a subscription and its queued events"),
        ("enable", "re-enable a subscription (e.g. after a 410)"),
        ("disable", "stop sending to a subscription; events wait"),
    ):
        sub.add_parser(name, help=text).add_argument("id", type=int)
    dlv = sub.add_parser("deliveries", help="recent outbox rows, newest first")
    dlv.add_argument("--failed", action="store_true", help="only dead or retrying rows")
    dlv.add_argument("--limit", type=int, default=50)
    rep = sub.add_parser("replay", help="send an event again, by its msg_ webhook id")
    rep.add_argument("event_id")

    commands.add_parser("worker", help="run the webhook delivery worker (until SIGTERM)")

    clients = commands.add_parser("clients", help="manage back-office API clients (OAuth2)")
    csub = clients.add_subparsers(dest="clients_command", required=True)
    create = csub.add_parser("create", help="create a client; prints its id and secret once")
    create.add_argument("name")
    create.add_argument("--scopes", nargs="*", default=["cases:read"])
    create.add_argument(
        "--json", action="store_true", help='print {"client_id", "client_secret", "scopes"}'
    )


def webhooks(settings: Settings, args: argparse.Namespace) -> int:
    from webhooks import subscriptions

    async def work() -> int:
        command = args.webhooks_command
        try:
            if command == "add":
                subscription, secret = await subscriptions.add_subscription(args.url, args.events)
                _print_one(
                    args,
                    {"id": subscription.id, "url": subscription.url, "secret": secret},
                    "subscription {id} for {url}\nsecret (shown once): {secret}",
                )
            elif command == "list":
                rows = [
                    {
                        "id": s.id,
                        "url": s.url,
                        "events": s.event_types,
                        "active": s.active,
                        "secrets": len(s.secrets),
                        "disabled_reason": s.disabled_reason,
                    }
                    for s in await subscriptions.list_subscriptions()
                ]
                if args.json:
                    print(json.dumps(rows))
                for row in rows if not args.json else ():
                    state = "active" if row["active"] else f"disabled ({row['disabled_reason']})"
                    events = ",".join(row["events"]) or "all events"
                    print(
                        f"{row['id']}\t{row['url']}\t{events}\t{state}\t{row['secrets']} secret(s)"
                    )
            elif command in ("rotate", "rotate-secret"):
                subscription, secret = await subscriptions.rotate_secret(
                    args.id, finish=args.finish
                )
                text = (
                    "subscription {id}: now signing with the newest secret only"
                    if args.finish
                    else "subscription {id}: new secret (both sign until --finish): {secret}"
                )
                _print_one(
                    args, {"id": subscription.id, "url": subscription.url, "secret": secret}, text
                )
            elif command == "remove":
                await subscriptions.remove_subscription(args.id)
                print(f"subscription {args.id} removed")
            elif command in ("enable", "disable"):
                await subscriptions.set_active(args.id, command == "enable")
                print(f"subscription {args.id} {command}d")
            elif command == "deliveries":
                for row in await subscriptions.deliveries(failed=args.failed, limit=args.limit):
                    print(
                        f"{row.webhook_id}\t{row.subscription_id}\t{row.event_type}\t{row.status}\t"
                        f"attempts={row.attempts}\t{row.last_error or row.last_status or ''}"
                    )
            elif command == "replay":
                count = await subscriptions.replay(args.event_id)
                if not count:
                    print(f"portal: no event {args.event_id}", file=sys.stderr)
                    return 1
                print(f"queued {args.event_id} again for {count} subscription(s)")
        except subscriptions.SubscriptionError as exc:
            print(f"portal: {exc}", file=sys.stderr)
            return 1
        return 0

    return run_db(settings, work)


def _print_one(args: argparse.Namespace, obj: dict, text: str) -> None:
    print(json.dumps(obj) if args.json else text.format(**obj))


def worker(settings: Settings, args: argparse.Namespace) -> int:
    """Deliver until SIGTERM or SIGINT, finishing the requests in flight."""
    from webhooks.worker import DeliveryWorker

    async def work() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        print("webhook worker running", flush=True)
        await DeliveryWorker.from_settings(settings).run(stop)
        return 0

    return run_db(settings, work)


def clients(settings: Settings, args: argparse.Namespace) -> int:
    from tracking.backoffice.oauth import OAuthError, create_client

    async def work() -> int:
        try:
            client, secret = await create_client(args.name, args.scopes)
        except OAuthError as exc:
            print(f"portal: {exc.description}", file=sys.stderr)
            return 1
        obj = {"client_id": client.client_id, "client_secret": secret, "scopes": client.scopes}
        _print_one(
            args,
            obj,
            "client {client_id}\nsecret (shown once): {client_secret}\nscopes: "
            + " ".join(client.scopes),
        )
        return 0

    return run_db(settings, work)
