"""Word boundaries for dictionary matching: a label must not cut a word in two.

化工 is an industry in 发展化工产业 but not in 深化工业 (深化 / 工业),
一体化工程 or 优化工作.  A private jieba tokenizer (never the global one, so
search's tokenizer is unaffected) segments the text with its own dictionary; a match whose edge falls inside a word that only partly overlaps it is
not a mention.  jieba is imported on first use; without it every match stands.
"""
from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=4)
def _tokenizer(words: tuple[str, ...]):
    try:
        import jieba
    except ImportError:                  # the check is a refinement, not a requirement
        return None
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    # The labels are not added as user words: forcing them in makes jieba cut
    # 标化工地 as 标/化工/地.  Its own dictionary decides where words end.
    del words
    return tok


def word_spans(text: str, words: tuple[str, ...] = ()) -> list[tuple[int, int]] | None:
    """``(start, end)`` of each word of ``text``; None when jieba is not installed."""
    tok = _tokenizer(words)
    if tok is None:
        return None
    return [(s, e) for _, s, e in tok.tokenize(text)]


def cuts_a_word(spans: list[tuple[int, int]] | None, start: int, end: int,
                text: str = "", labels: frozenset[str] = frozenset()) -> bool:
    """Does ``[start, end)`` split a word that it does not wholly hold or lie within?

    A word that is itself one of ``labels`` does not count: two overlapping
    labels (新能源汽车 / 汽车产业) are settled by longest match, not here.
    """
    if not spans:
        return False
    for s, e in spans:
        if e <= start or s >= end or (text and text[s:e] in labels):
            continue
        inside = start <= s and e <= end
        holds = s <= start and end <= e
        if not inside and not holds:
            return True
    return False
