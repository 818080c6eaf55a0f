"""Rows noted on the request path and written later in one insert (`RowBatch`).

The search log and the search outcomes are written this way: one insert per search cost a
fifth of the search API's throughput. A process writes its batch every second and at
shutdown; a failed write keeps the rows for the next try, and a batch that has grown to
`limit` (the database away for long) drops new rows with a warning rather than memory.

A row may be noted with a key that decides at writing time whether it is written at all
(`admit`): a search without answer counts once per client and day in the knowledge-gap
report, and asking the shared counters once per batch rather than once per request was
half the cost of such a search.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Hashable
from datetime import UTC, datetime
from typing import Generic, TypeVar

from tortoise.models import Model

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)
K = TypeVar("K", bound=Hashable)

#: Given the distinct keys of a batch, the keys whose rows are to be written.
Admit = Callable[[list[K]], Awaitable[set[K]]]


class RowBatch(Generic[M]):
    """Unsaved rows of one model with a `created_at` field, in the order noted."""

    def __init__(self, model: type[M], limit: int, full_warning: str) -> None:
        self.model, self.limit, self.full_warning = model, limit, full_warning
        self._rows: list[tuple[M, Hashable | None]] = []

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, row: M, key: Hashable | None = None) -> None:
        """Note `row`, stamped now: when it happened, not when the batch is written. A row
        with a `key` is written only if `write`'s `admit` (if any) lets its key through, once
        per key."""
        if len(self._rows) >= self.limit:
            log.warning(self.full_warning)
            return
        row.created_at = datetime.now(UTC)
        self._rows.append((row, key))

    async def write(self, admit: Admit | None = None) -> int:
        """Insert the rows noted so far; on failure they are kept, ahead of newer ones.

        `admit` is asked once for all keys of the batch; rows it admitted and that could not
        be inserted are kept as admitted (they are not asked about again)."""
        noted, self._rows = self._rows, []
        try:
            rows = await _admitted(noted, admit)
        except BaseException:
            self._rows[:0] = noted
            raise
        if rows:
            try:
                await self.model.bulk_create([row for row, _ in rows])
            except BaseException:
                self._rows[:0] = rows
                raise
        return len(rows)


async def _admitted(noted: list[tuple[M, Hashable | None]], admit: Admit | None) -> list:
    """The rows without a key, and the first row of each key `admit` lets through (keyless)."""
    keys = list(dict.fromkeys(key for _, key in noted if key is not None))
    if not keys or admit is None:
        return noted
    through = await admit(keys)
    rows = []
    for row, key in noted:
        if key is None:
            rows.append((row, None))
        elif key in through:
            through.discard(key)
            rows.append((row, None))
    return rows
