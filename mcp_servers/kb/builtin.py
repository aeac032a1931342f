"""The built-in index: the default corpus searched in-process with BM25, for when no database is there.

``search_knowledge`` must answer in every environment, including a core-only install (no ``kb`` extra) and a machine
where ``healthgym kb build`` never ran. There it serves the default corpus (``default_corpus.default_passages``: the
passages every domain generates plus the calculator cards) from this index, built once per process on first use
(about 2 s for ~3,900 passages) and kept.

Scoring is Okapi BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and Beyond", Found.
Trends IR 3(4)) with the store's parameters (``k1`` 1.2, ``b`` 0.75) and real term counts; title words count twice,
as the store weights titles above text. Words are lower-cased, English stopwords dropped, and plurals folded by
Harman's S-stemmer (Harman 1991, "How effective is suffixing?", JASIS 42(1):7-15): enough to match "interactions" to
"interaction" without a stemming package. Dense search needs the store's vectors, so this index is lexical only.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from healthgym.mcp_servers.kb.errors import CorpusNotFoundError, QueryError
from healthgym.mcp_servers.kb.search import BM25_B, BM25_K1, clean_query
from healthgym.schemas import Passage

__all__ = ["BuiltinIndex", "builtin_index", "stem", "tokens"]

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOPWORDS = (
    "a about above after again against all am an and any are as at be because been before being below between both "
    "but by can could did do does doing down during each few for from further had has have having he her here hers "
    "herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on "
    "once only or other our ours ourselves out over own same she should so some such than that the their theirs them "
    "themselves then there these they this those through to too under until up very was we were what when where "
    "which while who whom why will with would you your yours yourself yourselves"
)
STOPWORDS = frozenset(_STOPWORDS.split())
"""Postgres's ``english`` stopword list (snowball), so both backends ignore the same words."""
SNIPPET_WORDS = 28


def stem(word: str) -> str:
    """Harman's S-stemmer: ``-ies`` -> ``-y``, ``-es`` -> ``-e``, ``-s`` -> ``''``, with its exceptions."""
    if len(word) > 3 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Searchable terms of ``text``, in order."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


@dataclass
class BuiltinIndex:
    """An in-memory BM25 index over one corpus's passages.

    Args:
        corpus: The corpus name the passages are served under (URIs ``kb://{corpus}/{id}``).
        passages: The passages; duplicates by id are kept once.
    """

    corpus: str
    passages: list[Passage]

    def __post_init__(self) -> None:
        self.passages = list({p.id: p for p in self.passages}.values())
        self._by_id = {p.id: i for i, p in enumerate(self.passages)}
        self._postings: dict[str, list[tuple[int, int]]] = {}
        lengths = np.zeros(len(self.passages), dtype=np.float64)
        for i, p in enumerate(self.passages):
            counts = Counter(tokens(p.text))
            for term in tokens(p.title):
                counts[term] += 2
            lengths[i] = sum(counts.values())
            for term, tf in counts.items():
                self._postings.setdefault(term, []).append((i, tf))
        self._norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(float(lengths.mean()) if len(lengths) else 1, 1))

    def search(
        self, query: str, *, k: int = 5, corpus: str | None = None, domains: Iterable[str] = ()
    ) -> list[Passage]:
        """The ``k`` best passages for ``query`` by BM25, with ``score`` and a ``snippet`` (query words in bold)."""
        text = clean_query(query)
        if not 1 <= k <= 100:
            raise ValueError(f"k must be in 1..100, got {k}")
        self._check_corpus(corpus)
        terms = [t for t in dict.fromkeys(tokens(text)) if t in self._postings]
        if not terms:
            return []
        n = len(self.passages)
        scores = np.zeros(n, dtype=np.float64)
        for term in terms:
            postings = self._postings[term]
            df = len(postings)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            rows = np.fromiter((i for i, _ in postings), dtype=np.int64, count=df)
            tf = np.fromiter((f for _, f in postings), dtype=np.float64, count=df)
            scores[rows] += idf * tf * (BM25_K1 + 1) / (tf + self._norm[rows])
        wanted = set(domains)
        if wanted:
            scores[[i for i, p in enumerate(self.passages) if not wanted & set(p.domains)]] = 0
        found = np.flatnonzero(scores > 0)
        best = found[np.lexsort((found, -scores[found]))][:k]
        return [
            self.passages[i].model_copy(
                update={"score": float(scores[i]), "snippet": snippet(self.passages[i].text, set(terms))}
            )
            for i in best
        ]

    def get(self, corpus: str, passage_id: str) -> Passage:
        """One passage by id; an unknown id raises ``KeyError`` naming it."""
        self._check_corpus(corpus)
        if passage_id not in self._by_id:
            raise KeyError(f"no passage {passage_id[:64]!r} in corpus {corpus!r}")
        return self.passages[self._by_id[passage_id]]

    def _check_corpus(self, corpus: str | None) -> None:
        if corpus not in (None, "", self.corpus):
            raise CorpusNotFoundError(
                f"unknown corpus {corpus[:80]!r}; available: {self.corpus} (the built-in default corpus; "
                "run `healthgym kb build` or `healthgym kb ingest` to search a database)"
            )


def snippet(text: str, terms: set[str]) -> str:
    """The ``SNIPPET_WORDS``-word window of ``text`` holding the most query terms, with those words in ``**bold**``."""
    words = text.split()
    hits = [any(t in terms for t in tokens(w)) for w in words]
    if len(words) <= SNIPPET_WORDS:
        start = 0
    else:
        window = np.convolve(np.asarray(hits, dtype=np.int64), np.ones(SNIPPET_WORDS, dtype=np.int64), "valid")
        start = int(np.argmax(window))
    shown = [f"**{w}**" if hit else w for w, hit in zip(words, hits, strict=True)][start : start + SNIPPET_WORDS]
    return ("… " if start else "") + " ".join(shown) + (" …" if start + SNIPPET_WORDS < len(words) else "")


_lock = threading.Lock()
_index: BuiltinIndex | None = None


def builtin_index() -> BuiltinIndex:
    """The default corpus's index, built on the first call in this process (thread-safe) and kept.

    Passages are chunked exactly as ``healthgym kb build`` chunks them (by the packaged MiniLM tokenizer when it is
    installed, else by words), so a passage has the same id whichever backend serves it.
    """
    global _index
    with _lock:
        if _index is None:
            from healthgym.mcp_servers.kb.chunking import Chunker
            from healthgym.mcp_servers.kb.default_corpus import DEFAULT_CORPUS, default_passages
            from healthgym.mcp_servers.kb.embedders import tokenizer_for

            chunker = Chunker(tokenizer_file=tokenizer_for(None))
            _index = BuiltinIndex(DEFAULT_CORPUS, list(default_passages(chunker)))
        return _index


def check_mode(mode: str) -> None:
    """The built-in index is lexical: ``dense`` is refused with what to do instead."""
    if mode == "dense":
        raise QueryError(
            "dense search needs the knowledge base's vectors: run `healthgym kb build` (with the `kb` and `embed` "
            "extras), or search with mode 'hybrid' or 'lexical' (answered by the built-in BM25 index)"
        )
