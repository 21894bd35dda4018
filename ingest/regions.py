"""China's provinces, prefectures and counties: names and short names → jurisdiction.

The table is data the project ships (``ingest/data/regions.tsv``, GB/T 2260
codes, see ``scripts/make_regions.py``); users add rows (a development zone, a
renamed district) in TSV files of the same columns named by the environment
variable ``POLICYKG_REGIONS`` (paths separated by ``os.pathsep``).

    >>> table = default_table()
    >>> table.resolve("温岭市").path
    '浙江省台州市温岭市'
    >>> table.leading("温岭市人民政府办公室").region.path
    '浙江省台州市温岭市'
    >>> table.resolve("市市场监管局") is None
    True

Names that several units share (朝阳区, 鼓楼区) resolve only within a
context (``within=`` the document's region, or a parent named before them).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.errors import IngestError

NATIONAL = "全国"
TABLE = Path(__file__).parent / "data" / "regions.tsv"
LEVELS = ("province", "prefecture", "county")
_COLUMNS = ["adcode", "name", "level", "parent", "aliases"]


@dataclass(frozen=True)
class Region:
    adcode: str
    name: str                   # 温岭市
    level: str                  # province / prefecture / county (or a user's own level)
    parent: str                 # the parent's adcode, "" for a province
    aliases: tuple[str, ...]    # short names: 温岭
    path: str                   # the full jurisdiction: 浙江省台州市温岭市
    names: tuple[str, ...]      # the path as names, outermost first


@dataclass(frozen=True)
class RegionMatch:
    region: Region
    end: int        # index in the text just past the last region name read


class RegionTable:
    def __init__(self, rows: list[dict[str, str]]) -> None:
        raw = {r["adcode"]: r for r in rows}
        self._by_code: dict[str, Region] = {}
        for code in raw:
            self._build(code, raw, [])
        self._by_name: dict[str, list[Region]] = {}
        self._by_alias: dict[str, list[Region]] = {}
        for region in self._by_code.values():
            self._by_name.setdefault(region.name, []).append(region)
            for alias in region.aliases:
                self._by_alias.setdefault(alias, []).append(region)
        self._longest = max((len(k) for k in [*self._by_name, *self._by_alias]), default=0)
        self._first_chars = {k[0] for k in [*self._by_name, *self._by_alias]}   # a quick no at most places

    def _build(self, code: str, raw: dict[str, dict[str, str]], seen: list[str]) -> Region:
        if code in self._by_code:
            return self._by_code[code]
        row = raw[code]
        parent_code = row.get("parent", "")
        if parent_code and (parent_code not in raw or parent_code in seen):
            raise IngestError(row.get("_source", TABLE), f"region {code} {row['name']}: parent {parent_code} is unknown or circular")
        parent = self._build(parent_code, raw, [*seen, code]) if parent_code else None
        names = (*(parent.names if parent else ()), row["name"])
        aliases = tuple(a for a in row.get("aliases", "").split(",") if a)
        region = Region(code, row["name"], row["level"], parent_code, aliases, "".join(names), names)
        self._by_code[code] = region
        return region

    # -- look-ups --------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_code)

    def by_code(self, adcode: str) -> Region | None:
        return self._by_code.get(adcode)

    def by_path(self, path: str) -> Region | None:
        """The region whose full path is ``path`` (浙江省台州市温岭市)."""
        match = self.leading(path)
        return match.region if match and match.end == len(path) else None

    def lookup(self, name: str) -> list[Region]:
        """Every region with this full name or, failing that, this short name."""
        return list(self._by_name.get(name) or self._by_alias.get(name, []))

    def is_short_name(self, name: str) -> bool:
        """Whether ``name`` is only a short name (温岭), no region's full name."""
        return name not in self._by_name and name in self._by_alias

    def ancestors(self, region: Region) -> list[Region]:
        """The enclosing regions, outermost first (not ``region`` itself)."""
        out = []
        while region.parent:
            region = self._by_code[region.parent]
            out.insert(0, region)
        return out

    def contains(self, outer: Region, inner: Region) -> bool:
        """Is ``inner`` ``outer`` or inside it?"""
        return inner == outer or outer in self.ancestors(inner)

    def resolve(self, name: str, within: Region | None = None) -> Region | None:
        """The one region ``name`` means, inside ``within`` when given; None when unknown or ambiguous."""
        candidates = self.lookup(name)
        if within is not None:
            inside = [r for r in candidates if self.contains(within, r)]
            candidates = inside or candidates
        return candidates[0] if len(candidates) == 1 else None

    def leading(self, text: str, within: Region | None = None, aliases: bool = True) -> RegionMatch | None:
        """The region named at the start of ``text``, reading a chain (浙江省台州市温岭市…).

        Each name in the chain must lie inside the previous one.  A short name
        (温岭) counts only when ``aliases`` is true; an ambiguous first name
        resolves inside ``within`` or not at all.
        """
        current: Region | None = None
        pos = 0
        while True:
            step = self._next_in_chain(text, pos, current, within, aliases)
            if step is None:
                break
            current, pos = step
        return RegionMatch(current, pos) if current else None

    def _next_in_chain(self, text: str, pos: int, current: Region | None, within: Region | None,
                       aliases: bool) -> tuple[Region, int] | None:
        if pos >= len(text) or text[pos] not in self._first_chars:
            return None
        for length in range(min(self._longest, len(text) - pos), 1, -1):
            piece = text[pos:pos + length]
            for index in (self._by_name, self._by_alias) if aliases else (self._by_name,):
                candidates = index.get(piece)
                if not candidates:
                    continue
                if current is not None:
                    candidates = [r for r in candidates if r != current and self.contains(current, r)]
                elif within is not None and len(candidates) > 1:
                    candidates = [r for r in candidates if self.contains(within, r)] or candidates
                if len(candidates) == 1:
                    return candidates[0], pos + length
        return None

    def mentions(self, text: str, aliases: bool = False) -> list[tuple[Region, int, int]]:
        """Every unambiguous region name in ``text`` as ``(region, start, end)``, longest first at each place."""
        out = []
        pos = 0
        while pos < len(text):
            match = self.leading(text[pos:], aliases=aliases)
            if match is None:
                pos += 1
                continue
            out.append((match.region, pos, pos + match.end))
            pos += match.end
        return out


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of one regions TSV file (``#`` lines are comments; the first other line names the columns)."""
    try:
        lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    except OSError as err:
        raise IngestError(path, f"cannot read the regions table: {err}") from err
    header = lines[0].split("\t") if lines else []
    if header[:3] != _COLUMNS[:3]:
        raise IngestError(path, f"a regions table starts with the columns {' '.join(_COLUMNS)} (tab-separated)")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) < 3 or not cells[0] or not cells[1]:
            raise IngestError(path, f"row {n}: needs at least adcode, name and level")
        rows.append({**dict(zip(header, cells)), "_source": str(path)})
    return rows


@lru_cache(maxsize=4)
def _load(extra: str) -> RegionTable:
    rows = read_rows(TABLE)
    for name in filter(None, extra.split(os.pathsep)):
        rows.extend(read_rows(Path(name)))
    return RegionTable(rows)


def default_table() -> RegionTable:
    """The shipped table plus the user's rows named by ``POLICYKG_REGIONS``."""
    return _load(os.environ.get("POLICYKG_REGIONS", ""))
