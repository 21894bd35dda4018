"""Messages for users without the server's layout in them.

Errors and reports name a file by its place in the corpus or the data folder
(``plan.txt``, ``uploads/x.docx``), never by the server's absolute paths (its
hidden version folders, the installed package); tracebacks go to the log.
"""
from __future__ import annotations

import re
from pathlib import Path

# An absolute path of at least two parts; not the path of a URL (http://host/a/b).
_ABSOLUTE = re.compile(r"(?<![\w.:/])/(?:[^\s/'\"<>]+/)+([^\s/'\"<>]+)")


def hide_paths(text: str, known: dict[Path | str, str] | None = None) -> str:
    """``text`` with each ``known`` folder shown as its given name, and any other absolute path as its last part."""
    for root, shown in sorted((known or {}).items(), key=lambda kv: -len(str(kv[0]))):
        root = str(root).rstrip("/")
        text = text.replace(root + "/", shown + "/" if shown else "").replace(root, shown or ".")
    return _ABSOLUTE.sub(lambda m: m.group(1), text)
