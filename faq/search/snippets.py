"""The snippet under a result: the passage of the body that covers most of the
query's concept weight, HTML-escaped, matched words in ``<mark>``."""

from __future__ import annotations

import functools
import html
import re
from array import array

from faq import text

_SENTENCE_START_RE = re.compile(r"(?:^|(?<=[.!?:;])\s+)(?=\S)")


class _BodyIndex:
    """Where each index term occurs in a body text: token offsets, the token positions per
    term, the forms of the tokens that have several (hyphenated words), sentence starts.
    So marking a query's words looks up its terms instead of visiting every word of the
    body; flat arrays, so the cache adds little work for the garbage collector."""

    __slots__ = ("starts", "ends", "positions", "several", "sentences")

    def __init__(self, body: str, lang: str) -> None:
        self.starts, self.ends = starts, ends = array("i"), array("i")
        positions: dict[str, array] = {}
        self.several: dict[int, tuple[str, ...]] = {}
        #: per token as written: its forms if several, and the keys it is found by; a body
        #: repeats its words, and working out a token's forms cost more than the rest
        keys_of: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...]]] = {}
        for i, (start, end, token) in enumerate(text.tokenize_spans(body)):
            starts.append(start)
            ends.append(end)
            found_keys = keys_of.get(token)
            if found_keys is None:
                forms = tuple(text.word_forms(token, lang))
                if len(forms) > 1:  # such a token is found by its forms joined too
                    found_keys = forms, tuple(dict.fromkeys([" ".join(forms), *forms]))
                else:
                    found_keys = None, forms
                keys_of[token] = found_keys
            several, keys = found_keys
            if several is not None:
                self.several[i] = several
            for key in keys:
                found = positions.get(key)
                if found is None:
                    found = positions[key] = array("i")
                found.append(i)
        self.positions = positions
        self.sentences = array(
            "i", (m.start() for m in _SENTENCE_START_RE.finditer(body))
        ) or array("i", [0])


@functools.lru_cache(maxsize=2048)
def _snippet_index(body: str, lang: str) -> _BodyIndex:
    return _BodyIndex(body, lang)


def _marks(body: str, lang: str, term_to_concept: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, concept) of each body word that matches a query concept, in text order:
    a word's concept is that of its forms joined, else that of its first form that has one."""
    if not term_to_concept:
        return []
    index = _snippet_index(body, lang)
    get, several = term_to_concept.get, index.several
    concepts: dict[int, int] = {}  # token position -> concept
    pending: set[int] = set()  # tokens with several forms: decided below
    for term, concept in term_to_concept.items():
        for i in index.positions.get(term, ()):
            if i in several:
                pending.add(i)
            else:  # its one form is this term
                concepts[i] = concept
    for i in pending:
        forms = several[i]
        concept = get(" ".join(forms))
        if concept is None:
            concept = next((get(f) for f in forms if get(f) is not None), None)
        if concept is not None:
            concepts[i] = concept
    starts, ends = index.starts, index.ends
    return [(starts[i], ends[i], concepts[i]) for i in sorted(concepts)]


def _window(body: str, lang: str, marks, weights: list[float], width: int) -> tuple[int, int]:
    """The sentence start whose window covers the most concept weight, and its end."""
    if len(body) <= width:
        return 0, len(body)
    sentences = _snippet_index(body, lang).sentences
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


def make_snippet(
    body: str, lang: str, term_to_concept: dict[str, int], weights: list[float], width: int = 200
) -> str:
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
