"""What a search returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    lang: str
    title: str
    category: str
    snippet: str  # HTML-safe: escaped text, matched terms in <mark>...</mark>
    score: float  # higher is better; comparable within one result list
    #: "high": the answer; "medium": maybe; "low": not an answer (see faq.search.confidence)
    confidence: str = "medium"


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    did_you_mean: str | None

    @property
    def answered(self) -> bool:
        """Whether any hit is at least a likely answer; otherwise the search is a knowledge gap."""
        return any(hit.confidence != "low" for hit in self.hits)
