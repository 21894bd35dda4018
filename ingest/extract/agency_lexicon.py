"""The agency lexicon: canonical agency names and how documents abbreviate them.

Provincial departments are stored once, as templates, and resolved against the
issuing region: 省能源局 in a 山西省 document is 山西省能源局, 自治区能源局 in a
广西壮族自治区 document is 广西壮族自治区能源局.  A region written out in the
name (山西省发改委) wins over the document's region.  With no region known, a
bare 省能源局 resolves to the generic 省能源局 rather than to a guess.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ingest.extract.matching import Trie


@dataclass(frozen=True)
class Region:
    name: str    # 山西省
    short: str   # 山西
    level: str   # 省 / 自治区 / 市


@dataclass
class AgencyEntry:
    name: str                 # canonical name
    aliases: list[str]        # other ways the name is written
    kind: str                 # government / department / company / ... (see agencies.toml)
    region: str               # 山西省 / 广西壮族自治区 / 全国 / "" when generic
    parent: str | None = None


@dataclass
class Template:
    name: str                                          # "{region}能源局"
    aliases: list[str] = field(default_factory=list)   # combined with a region prefix
    literal: list[str] = field(default_factory=list)   # matched as written
    kind: str = "department"
    parent: str | None = None

    def instance(self, region: Region | None, prefix: str = "") -> AgencyEntry:
        """The entry for one region, or the generic entry (``prefix`` 省/自治区/市)."""
        if region is None:
            name = self.name.replace("{region}", prefix)
            parent = self.parent.replace("{region}", prefix) if self.parent else None
            return AgencyEntry(name, [], self.kind, "", parent)
        names = {"{region}": region.name, "{short}": region.short}
        fill = lambda s: _fill(s, names)  # noqa: E731
        aliases = [region.level + a for a in self.aliases]
        aliases += [region.name + a for a in self.aliases]
        aliases += [fill(a) for a in self.literal]
        name = fill(self.name)
        aliases = [a for a in dict.fromkeys(aliases) if a != name]
        return AgencyEntry(name, aliases, self.kind, region.name,
                           fill(self.parent) if self.parent else None)


def _fill(pattern: str, names: dict[str, str]) -> str:
    for k, v in names.items():
        pattern = pattern.replace(k, v)
    return pattern


# What a lexicon key leads to: an explicit entry, or a template with the
# region it was written with (None: generic) and the bare prefix used.
_Hit = tuple[AgencyEntry | Template, Region | None, str]


class AgencyLexicon:
    def __init__(self, agencies: list[AgencyEntry], templates: list[Template],
                 regions: list[Region], home_regions: list[str]):
        self.agencies = agencies
        self.templates = templates
        self.regions = regions
        self.home_regions = home_regions
        self._by_region = {r.name: r for r in regions}
        self._tries: dict[str, Trie[_Hit]] = {}

    # ------------------------------------------------------------ listing
    @cached_property
    def entries(self) -> list[AgencyEntry]:
        """Named agencies plus the templates instantiated for the home regions."""
        out = list(self.agencies)
        for rname in self.home_regions:
            region = self._by_region.get(rname)
            if region:
                out += [t.instance(region) for t in self.templates]
        return out

    def entry(self, canonical: str) -> AgencyEntry | None:
        """The entry behind a canonical name returned by :meth:`resolve`."""
        for e in self.agencies:
            if e.name == canonical:
                return e
        for t in self.templates:
            for region in self.regions:
                inst = t.instance(region)
                if inst.name == canonical:
                    return inst
            for prefix in ("省", "自治区", "市", ""):
                inst = t.instance(None, prefix)
                if inst.name == canonical:
                    return inst
        return None

    def region(self, name: str) -> Region | None:
        return self._by_region.get(name)

    @property
    def region_prefixes(self) -> list[str]:
        """Every way a region is written before an agency name."""
        return [p for r in self.regions for p in (r.name, r.short)]

    # ------------------------------------------------------------ matching
    def trie(self, region: str) -> Trie[_Hit]:
        """All names and aliases as they can be written in a document of ``region``."""
        if region not in self._tries:
            self._tries[region] = self._build_trie(self._by_region.get(region))
        return self._tries[region]

    def _build_trie(self, home: Region | None) -> Trie[_Hit]:
        trie: Trie[_Hit] = Trie()
        # Region-independent spellings first; later adds of the same key win,
        # so the document's own region overrides below.
        for t in self.templates:
            for r in self.regions:
                for a in t.aliases:
                    trie.add(r.name + a, (t, r, ""))
                    trie.add(r.short + a, (t, r, ""))
                trie.add(_fill(t.name, {"{region}": r.name, "{short}": r.short}), (t, r, ""))
            if home is None:
                for level in ("省", "自治区"):
                    for a in t.aliases:
                        trie.add(level + a, (t, None, level))
                for a in t.literal:
                    if "{" not in a:
                        trie.add(a, (t, None, ""))
            else:
                for a in t.aliases:
                    trie.add(home.level + a, (t, home, ""))
                for a in t.literal:
                    trie.add(_fill(a, {"{region}": home.name, "{short}": home.short}),
                             (t, home, ""))
        for e in self.agencies:
            for key in (e.name, *e.aliases):
                trie.add(key, (e, None, ""))
        return trie

    def lookup(self, as_written: str, region: str) -> AgencyEntry | None:
        """The entry for an exact name or alias, resolved against ``region``."""
        hit = self.trie(region).longest_at(as_written, 0)
        if hit is None or hit[0] != len(as_written):
            return None
        target, reg, prefix = hit[1]
        if isinstance(target, AgencyEntry):
            return target
        return target.instance(reg, prefix)

    def resolve(self, as_written: str, region: str = "") -> str | None:
        """Canonical name for ``as_written`` in a document of ``region``, or None."""
        entry = self.lookup(as_written.strip(), region)
        return entry.name if entry else None


def load_agency_file(path: Path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def build_agency_lexicon(data: dict, extra: dict | None = None) -> AgencyLexicon:
    """Merge the shipped data with a user file (same ``name`` replaces)."""
    def merged(key: str, ident: str) -> list[dict]:
        out = {d[ident]: d for d in data.get(key, [])}
        for d in (extra or {}).get(key, []):
            out[d[ident]] = d
        return list(out.values())

    agencies = [AgencyEntry(d["name"], list(d.get("aliases", [])), d.get("kind", "department"),
                            d.get("region", ""), d.get("parent"))
                for d in merged("agency", "name")]
    templates = [Template(d["name"], list(d.get("aliases", [])), list(d.get("literal", [])),
                          d.get("kind", "department"), d.get("parent"))
                 for d in merged("template", "name")]
    regions = [Region(d["name"], d["short"], d["level"]) for d in merged("region", "name")]
    home = list(dict.fromkeys(data.get("home_regions", []) + (extra or {}).get("home_regions", [])))
    return AgencyLexicon(agencies, templates, regions, home)
