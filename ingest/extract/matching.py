"""Leftmost-longest dictionary matching over a string.

A plain character trie: for the lexicons used here (a few thousand keys, short
clause texts) it is fast enough and keeps the "longest match wins" rule exact,
which a regex alternation would not guarantee.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

V = TypeVar("V")

# marks where a key ends; not a character, so no text (not even one holding "\0") can reach it
_END = object()


class Trie(Generic[V]):
    def __init__(self, items: Iterable[tuple[str, V]] = ()):
        self._root: dict = {}
        for key, value in items:
            self.add(key, value)

    def add(self, key: str, value: V) -> None:
        if not key:
            return
        node = self._root
        for ch in key:
            node = node.setdefault(ch, {})
        node[_END] = value

    def longest_at(self, text: str, start: int) -> tuple[int, V] | None:
        """The longest key starting at ``start``: (end, value), or None."""
        node = self._root
        best = None
        i = start
        while i < len(text):
            node = node.get(text[i])
            if node is None:
                break
            i += 1
            if _END in node:
                best = (i, node[_END])
        return best

    def find_all(self, text: str) -> list[tuple[int, int, V]]:
        """Non-overlapping matches, scanning left to right, longest at each position."""
        out = []
        i = 0
        while i < len(text):
            hit = self.longest_at(text, i)
            if hit is None:
                i += 1
                continue
            end, value = hit
            out.append((i, end, value))
            i = end
        return out
