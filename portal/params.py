"""Parameter types shared by controllers."""

from __future__ import annotations

from typing import Annotated

from litestar.params import HeaderParameter, PathParameter

#: A database row id in a path: PostgreSQL's integer columns end at 2**31 - 1, and a larger
#: number must be "not found", not a database error.
RowId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]

#: The `Idempotency-Key` header of the JSON API's writes.
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=200,
        description="Retry with the same key to get the first answer back, changing nothing again",
    ),
]
