"""Questions a service part answers again for the same arguments, without working them out again.

A data version never changes under a loaded service, so the same question has
the same answer: a page that shows a table and offers it as CSV and Excel asks
the graph once per question rather than once per use, and the project page checks
a profile once however many views of the result it shows.  The last :data:`KEEP`
answers of each method are kept; each caller gets its own copy.
"""
from __future__ import annotations

import copy
import functools
import json
import threading
from typing import Any, Callable

KEEP = 16


def remember(key: Callable[..., Any], copy_answer: Callable[[Any], Any] = copy.deepcopy):
    """Decorate a method so that ``key(self, *args, **kwargs)`` (hashable) finds an earlier answer."""

    def decorate(method):
        name = f"_remembered_{method.__name__}"
        lock = threading.Lock()

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            found = key(self, *args, **kwargs)
            with lock:
                answers = self.__dict__.setdefault(name, {})
                answer = answers.get(found)
            if answer is None:
                answer = method(self, *args, **kwargs)
                with lock:
                    if len(answers) >= KEEP:
                        answers.pop(next(iter(answers)))
                    answers[found] = answer
            return copy_answer(answer)

        return wrapper

    return decorate


def _arguments(_self, *args, **kwargs) -> tuple:
    return args, tuple(sorted(kwargs.items()))


def _rows_copy(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


# A table query: keyed by its (hashable) arguments; each caller may change its own row dicts.
remember_rows = remember(_arguments, _rows_copy)


def profile_key(_self, profile, cap: int | None = None) -> str:
    """A project profile as read (a dict or a JSON file's content), with the cap: the same project, the same key."""
    from rules.profile import load_profile

    parsed = load_profile(profile)
    return json.dumps([parsed.values, parsed.extra, cap], sort_keys=True, ensure_ascii=False, default=str)
