"""`Refused(code, **params)`: the one way a domain service says no to a request.

A service names the reason (`code`) and what its message needs (`params`); it never words it.
The web layer turns the code into the customer's sentence in one catalogue
(`portal/refusals.py`) and the API puts the code in its problem document. Subclasses only
group the codes of one use case (`topic`) so the same code may read differently there.
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Nothing was changed, for a reason the caller can show; `code` names it."""

    #: the use case whose codes these are: the catalogue's first key
    topic = ""
    #: the reason when none is given
    code = "invalid"

    def __init__(self, code: str | None = None, /, *, detail: str = "", **params: Any) -> None:
        super().__init__(detail or type(self).__doc__ or code or self.code)
        if code:
            self.code = code
        self.params = params
