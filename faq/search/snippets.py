"""The snippet under a result: the passage of the body that covers most of the
query's concept weight, HTML-escaped, matched words in ``<mark>``."""

from __future__ import annotations

import functools
import html
import re
from array import array

from faq import text

_SENTENCE_START_RE = re.compile(r"(?:^|(?<=[.!?:;])\s+)(?=\S)")


@functools.lru_cache(maxsize=2048)
def _snippet_index(body: str, lang: str) -> tuple[array, array, tuple[str, ...], array]:
    """Token offsets, their index terms (space-joined) and sentence starts of a body
    text; flat arrays and strings, so the cache adds little work for the garbage
    collector."""
    spans = text.tokenize_spans(body)
    starts = array("i", (a for a, _, _ in spans))
    ends = array("i", (b for _, b, _ in spans))
    forms = tuple(" ".join(text.word_forms(token, lang)) for _, _, token in spans)
    sentences = array("i", (m.start() for m in _SENTENCE_START_RE.finditer(body))) or array("i", [0])
    return starts, ends, forms, sentences


def _marks(body: str, lang: str, term_to_concept: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, concept) of each body word that matches a query concept."""
    token_starts, token_ends, token_forms, _ = _snippet_index(body, lang)
    marks: list[tuple[int, int, int]] = []
    if not term_to_concept:
        return marks
    get = term_to_concept.get
    for i, forms in enumerate(token_forms):
        concept = get(forms)
        if concept is None and " " in forms:
            concept = next((get(f) for f in forms.split(" ") if get(f) is not None), None)
        if concept is not None:
            marks.append((token_starts[i], token_ends[i], concept))
    return marks


def _window(body: str, lang: str, marks, weights: list[float], width: int) -> tuple[int, int]:
    """The sentence start whose window covers the most concept weight, and its end."""
    if len(body) <= width:
        return 0, len(body)
    sentences = _snippet_index(body, lang)[3]
    best = (-1.0, 0)
    for start in sentences:
        if start > len(body) - 40:
            break
        got: set[int] = set()
        n = 0
        for mark_start, mark_end, concept in marks:
            if start <= mark_start and mark_end <= start + width:
                got.add(concept)
                n += 1
        score = sum(weights[c] for c in got) + 0.01 * n - 0.0001 * start
        if score > best[0]:
            best = (score, start)
    lo = best[1]
    hi = min(len(body), lo + width)
    if hi < len(body):
        cut = body.rfind(" ", lo + width // 2, hi)
        if cut > 0:
            hi = cut
    return lo, hi


def make_snippet(body: str, lang: str, term_to_concept: dict[str, int], weights: list[float],
                 width: int = 200) -> str:
    marks = _marks(body, lang, term_to_concept)
    lo, hi = _window(body, lang, marks, weights, width)
    out: list[str] = []
    if lo > 0:
        out.append("… ")
    pos = lo
    for mark_start, mark_end, _ in marks:
        if mark_start < lo or mark_end > hi:
            continue
        out.append(html.escape(body[pos:mark_start], quote=True))
        out.append("<mark>" + html.escape(body[mark_start:mark_end], quote=True) + "</mark>")
        pos = mark_end
    out.append(html.escape(body[pos:hi], quote=True))
    if hi < len(body):
        out.append(" …")
    return "".join(out).strip()
