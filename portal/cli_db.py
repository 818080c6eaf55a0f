"""The database for command-line commands: opened within seconds or refused in one line."""

from __future__ import annotations

import asyncio
import os
import sys

from portal.settings import Settings

#: Connecting and migrating take a second or two; far longer means it hangs.
OPEN_SECONDS = 30.0


def run_db(settings: Settings, work) -> int:
    """Open the database, run `work()`, close it; a database that does not answer or refuses
    ends the command with one line on stderr and exit status 1."""
    from portal.db import close_database, open_database

    place = where(settings.database_url)

    async def runner() -> int:
        try:
            await asyncio.wait_for(open_database(settings), OPEN_SECONDS)
        except TimeoutError:
            print(
                f"portal: database did not answer in {OPEN_SECONDS:.0f} s ({place})",
                file=sys.stderr,
            )
            sys.stderr.flush()
            os._exit(1)  # a driver thread may still wait on it and would keep the process alive
        except (OSError, ConnectionError) as exc:
            print(f"portal: database unreachable ({place}): {exc}", file=sys.stderr)
            return 1
        except Exception as exc:  # driver-specific errors: authentication, unknown database
            print(f"portal: database error ({place}): {exc}", file=sys.stderr)
            return 1
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(runner())


def where(url: str) -> str:
    """A database or Redis URL without its password, for error messages."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"
