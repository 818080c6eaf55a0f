"""Parameter types shared by controllers."""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter

#: A database row id in a path: PostgreSQL's integer columns end at 2**31 - 1, and a larger
#: number must be "not found", not a database error.
RowId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]
