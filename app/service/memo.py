"""Table queries a service part answers again for the same arguments, without asking the graph again.

A data version never changes under a loaded service, so the same question has
the same rows: a page that shows a table and offers it as CSV and Excel asks
the graph once per question rather than once per use.  The last :data:`KEEP`
answers of each method are kept; each caller gets its own row dicts.
"""
from __future__ import annotations

import functools
import threading

KEEP = 16


def remember_rows(method):
    name = f"_remembered_{method.__name__}"
    lock = threading.Lock()

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        with lock:
            answers = self.__dict__.setdefault(name, {})
            rows = answers.get(key)
        if rows is None:
            rows = method(self, *args, **kwargs)
            with lock:
                if len(answers) >= KEEP:
                    answers.pop(next(iter(answers)))
                answers[key] = rows
        return [dict(r) for r in rows]

    return wrapper
