"""FAQ search: a Whoosh index plus a query pipeline tuned for how customers write.

Stages, one module each:

* :mod:`.index`: what is indexed per article. One index per language
  (``faq<V>_de``, ``faq<V>_en``), so vocabulary, IDF and spelling never mix. Text is
  normalised by :mod:`faq.text` (tokenise, fold umlauts and ue/ae/oe, light stemming)
  and stored as ready-made terms, plus surface words (fuzzy matching), German nouns
  keyed for compound parts, display spellings for did-you-mean, and term counts.
* :mod:`.lexicon`: what the index knows about a word (frequency, noun, fuzzy
  correction via rapidfuzz) and the synonym rules (``faq/synonyms.<lang>.txt``).
* :mod:`.expansion`: one word -> weighted index terms (stem, synonyms, near
  inflections, compounds containing it, splits of unknown compounds).
* :mod:`.analyzer`: user input never reaches Whoosh's query parser. The query is
  tokenised, stopwords and question/filler words dropped, and each remaining word
  becomes a *concept* with weighted terms; concepts are weighted by IDF, unknown
  words keep a high weight (they are what the FAQ does not cover), less so in long
  pasted messages.
* :mod:`.ranking`: candidates straight from the postings of the heaviest concepts,
  ranked by IDF-weighted concept coverage, title/tag coverage and BM25F; a top hit
  must cover enough of the query's concept weight, hits well below the best dropped;
  without any hit the weakest concept is dropped and the query tried again.
* :mod:`.confidence`: per hit ``high`` (the answer), ``medium`` (maybe) or ``low``.
* :mod:`.semantic`: optional, off by default: article and query embeddings (the
  ``semantic`` extra) fused with the lexical hits when the best one is not "high".
* :mod:`.language`: general-language data (word frequencies, thesaurus; ``data/``).
* :mod:`.snippets`: the best-covering passage with matched words marked.
* :mod:`.engine`: :class:`FaqSearch`, which puts the stages together.
"""

from faq.search.engine import FaqSearch
from faq.search.index import SCHEMA_VERSION
from faq.search.results import Hit, SearchResult
from faq.search.tuning import TUNING, Tuning

__all__ = ["FaqSearch", "Hit", "SCHEMA_VERSION", "SearchResult", "TUNING", "Tuning"]
