"""Tokens for Chinese policy text: jieba with our user dictionary, ingest's
normalisation, stop words, and numbers that survive as tokens.

    "到2025年，新能源装机占比达到50%（晋能源规发〔2024〕195号）"
    → 2025 年 新能源 能源 装机 占比 达到 50 50% 晋 能源 规发 〔2024〕195号

* Text is folded with :func:`ingest.normalize.normalize_query` (full-width
  digits and letters to ASCII, Chinese punctuation) and lower-cased, so a
  query and a clause are tokenised alike (clause texts went through the same
  clean-up in ingest, so :meth:`Tokenizer.fold` only lower-cases them).
* Document numbers (``〔2024〕195号``), numbers (``1.2``, ``2025``) and
  percentages (``50%``, also emitted as ``50``) and Latin words (``ccus``,
  ``kwh``) are cut out first; jieba only sees the Chinese text between them.
* jieba is a private :class:`jieba.Tokenizer` (never the global one) with a
  user dictionary of every agency name and alias, industry label and synonym,
  domain term and synonym-group term, so 绿电直连 or 省统计局 stay words.  In
  "search" mode the dictionary words inside a long word are emitted too
  (源网荷储一体化 → 源网荷储 一体 一体化 源网荷储一体化), which lets a query
  match part of a term.
* The tokenizer is built once per process (:func:`get_tokenizer`); its
  :attr:`Tokenizer.userdict_hash` goes into every index manifest.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable
from functools import lru_cache

from ingest.patterns import YEAR_SERIAL

# Bump when the rules below change: indexes built with other rules are refused.
RULES_VERSION = 2
FRAGMENT_SHARE = 0.5  # query weight shared by the fragments of one long word (see Tokenizer._parts)

_SPECIAL = re.compile(
    rf"(?P<docno>{YEAR_SERIAL})"
    r"|(?P<num>\d+(?:\.\d+)?)(?P<pct>%)?"
    r"|(?P<latin>[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)"
)
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002fa1f]")


def _user_words() -> list[str]:
    """Words from the agency lexicon, industry scheme, domain terms and synonyms."""
    from search import resources

    words = list(resources.domain_terms())
    words += resources.agency_words(resources.agency_lexicon())
    syn = resources.synonyms()
    words += syn.terms
    for group in syn.groups:
        words += group
    return words


class Tokenizer:
    """jieba plus our rules; see the module docstring."""

    def __init__(self, user_words: Iterable[str] = (), stopwords: Iterable[str] = (), subwords: bool = True):
        import jieba

        from ingest.normalize import normalize_query

        self._normalize_query = normalize_query
        words = sorted({w for w in (self.normalize(u) for u in user_words) if len(w) >= 2 and _HAN.search(w)})
        self.user_words = words
        self.stopwords = frozenset(self.normalize(s) for s in stopwords)
        self.subwords = subwords
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._parts_cache: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {}
        for w in words:
            # Words made only of shorter user words would be split by jieba's
            # frequencies; add_word without a frequency keeps each whole.
            self._jieba.add_word(w)
        self.jieba_version = jieba.__version__
        digest = hashlib.sha256()
        digest.update(f"rules={RULES_VERSION};subwords={subwords}\n".encode())
        digest.update("\n".join(words).encode("utf-8"))
        digest.update(b"\n--stop--\n")
        digest.update("\n".join(sorted(self.stopwords)).encode("utf-8"))
        self.userdict_hash = digest.hexdigest()[:16]

    def is_common_word(self, word: str) -> bool:
        """Whether jieba's dictionary counts ``word`` as a common word of the language: at least
        :data:`COMMON_FREQUENCY` in its counts (about 12,000 of its 349,000 words) and tagged as
        no proper name (ns/nr/nz/nt).  资源, 合作, 互助 are; 温岭, 平湖 and the rarer 门头沟 are not."""
        freq, tag = _dictionary_tags().get(word, (0, ""))
        return freq >= COMMON_FREQUENCY and tag[:2] not in _PROPER_NAME_TAGS

    def normalize(self, text: str, lower: bool = True) -> str:
        """Free text (a query, a lexicon entry) folded as ingest folds documents."""
        text = _THOUSANDS.sub("", self._normalize_query(text))
        return text.lower() if lower else text

    def fold(self, text: str) -> str:
        """Text ingest already cleaned (clause texts, headings): only case and
        thousands separators left to fold, at a fraction of :meth:`normalize`'s cost."""
        return _THOUSANDS.sub("", text).lower()

    def _parts(self, w: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """Sub-words of a long word and their query weights (cached per word).

        A sub-word is any dictionary word inside ``w`` (jieba's search mode
        only looks at 2- and 3-grams, so 源网荷储 in 源网荷储一体化 would be
        missed).  The *components* of ``w`` - the best jieba split of ``w``
        once ``w`` itself is left out - are words in their own right
        (燃煤自备电厂 = 燃煤 + 自备电厂) and weigh 1 in a query; the other
        sub-words are fragments (二氧, 氧化, 化碳 of 二氧化碳) and share
        :data:`FRAGMENT_SHARE`, so a long word does not outweigh the rest.
        """
        hit = self._parts_cache.get(w)
        if hit is not None:
            return hit
        freq, n = self._jieba.FREQ, len(w)
        subs = tuple(dict.fromkeys(
            s for i in range(n - 1) for j in range(i + 2, min(n, i + 8) + 1)
            if j - i < n and freq.get(s := w[i:j]) and s not in self.stopwords
        ))
        dag = self._jieba.get_DAG(w)
        dag[0] = [e for e in dag[0] if e != n - 1] or [0]
        route: dict = {}
        self._jieba.calc(w, dag, route)
        components, x = set(), 0
        while x < n:
            y = route[x][1] + 1
            components.add(w[x:y])
            x = y
        fragments = sum(1 for s in subs if s not in components)
        weights = tuple(1.0 if s in components else FRAGMENT_SHARE / fragments for s in subs)
        if len(self._parts_cache) < 500_000:
            self._parts_cache[w] = (subs, weights)
        return subs, weights

    def _chinese(self, text: str, out: list[str], weights: list[float] | None) -> None:
        for w in self._jieba.cut(text, HMM=False):
            if w in self.stopwords or not _HAN.search(w):
                continue
            if self.subwords and len(w) > 2:
                subs, sub_weights = self._parts(w)
                out.extend(subs)
                if weights is not None:
                    weights.extend(sub_weights)
            out.append(w)
            if weights is not None:
                weights.append(1.0)

    def _tokens(self, text: str, normalized: bool, weights: list[float] | None) -> list[str]:
        text = text if normalized else self.normalize(text)
        out: list[str] = []
        pos = 0
        for m in _SPECIAL.finditer(text):
            if m.start() > pos:
                self._chinese(text[pos:m.start()], out, weights)
            pos = m.end()
            if m["docno"]:
                out.append(f"〔{m['year']}〕{m['serial']}号")
            elif m["num"]:
                out.append(m["num"])
                if m["pct"]:
                    out.append(m["num"] + "%")
            elif m["latin"] not in self.stopwords:
                out.append(m["latin"])
            if weights is not None:
                weights.extend([1.0] * (len(out) - len(weights)))
        if pos < len(text):
            self._chinese(text[pos:], out, weights)
        return out

    def tokens(self, text: str, normalized: bool = False) -> list[str]:
        """Index and query tokens of ``text``, in order, stop words dropped."""
        return self._tokens(text, normalized, None)

    def query_tokens(self, text: str, normalized: bool = False) -> tuple[list[str], dict[str, float]]:
        """A query's tokens, and each token's weight: 1 for each word and component
        word, the fragments of a long word sharing :data:`FRAGMENT_SHARE` (see :meth:`_parts`)."""
        weights: list[float] = []
        tokens = self._tokens(text, normalized, weights)
        out: dict[str, float] = {}
        for t, w in zip(tokens, weights):
            out[t] = out.get(t, 0.0) + w
        return tokens, out

    def words(self, text: str) -> list[str]:
        """Plain segmentation of already normalised text (no sub-words, nothing dropped)."""
        return self._jieba.lcut(text, HMM=False)


@lru_cache(maxsize=1)
def get_tokenizer() -> Tokenizer:
    """The process-wide tokenizer with the shipped vocabularies (built on first use)."""
    from search.resources import stopwords

    return Tokenizer(_user_words(), stopwords())


COMMON_FREQUENCY = 500
_PROPER_NAME_TAGS = frozenset({"ns", "nr", "nz", "nt"})     # place, person, other proper name, organisation


@lru_cache(maxsize=1)
def _dictionary_tags() -> dict[str, tuple[int, str]]:
    """Frequency and part-of-speech tag of each word of jieba's main dictionary (read once, about 0.3 s)."""
    import jieba

    tags = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = (int(parts[1]), parts[2])
    return tags
