"""Measure the code's shape: lines per package, the largest modules and functions, import cycles.

    python bench/architecture.py [ROOT] [--json]

Import cycles are read from the source with :mod:`ast` (nothing is imported):
every ``import`` between the project's own modules counts, at the top of a
file or inside a function (a deferred import still ties two modules
together).  A cycle is reported as a strongly connected group of modules;
``cycles`` counts the groups (``elementary_cycles`` the
distinct loops in them), ``module_cycles`` the groups among top-level
imports only (the ones Python itself would trip over).
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

PACKAGES = ("records", "ingest", "graph", "search", "rules", "app", "bench", "tests")
# The stages from the bottom up: a package may import those before it, never those after it.
LAYERS = ("records", "ingest", "graph", "search", "rules", "app")


def _modules(root: Path) -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that ``name`` is or is inside of."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, known: dict[str, Path]) -> tuple[set[str], set[str]]:
    """(all imported project modules, the ones imported at module level)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    every, top = set(), set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        for name in names:
            target = _resolve(name, known)
            if target and target != module and not module.startswith(target + "."):
                every.add(target)
                if id(node) in top_level:
                    top.add(target)
    return every, top


def _graph(edges: dict[str, set[str]]):
    import networkx as nx

    g = nx.DiGraph()
    for a, targets in edges.items():
        g.add_edges_from((a, b) for b in targets if b != a)
    return g


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    import networkx as nx

    return sorted(sorted(c) for c in nx.strongly_connected_components(_graph(edges)) if len(c) > 1)


def _package_edges(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, targets in edges.items():
        out.setdefault(a.split(".")[0], set()).update(b.split(".")[0] for b in targets)
    return out


def _upward(edges: dict[str, set[str]]) -> list[str]:
    """``a -> b`` for every import of a later stage by an earlier one (:data:`LAYERS`)."""
    rank = {p: i for i, p in enumerate(LAYERS)}
    out = []
    for a, targets in sorted(edges.items()):
        for b in sorted(targets):
            pa, pb = a.split(".")[0], b.split(".")[0]
            if pa in rank and pb in rank and rank[pb] > rank[pa]:
                out.append(f"{a} -> {b}")
    return out


def _functions(path: Path, module: str) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append((node.end_lineno - node.lineno + 1, f"{module}:{node.name}"))
    return out


def measure(root: Path) -> dict:
    known = _modules(root)
    lines = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in known.items()}
    per_package: dict[str, int] = {}
    for m, n in lines.items():
        top = m.split(".")[0]
        key = ".".join(m.split(".")[:2]) if top == "app" and m.count(".") >= 1 and (known[m].parent.name != "app") else top
        per_package[key] = per_package.get(key, 0) + n
    code = {m: p for m, p in known.items() if not m.startswith(("tests", "bench"))}
    edges, top_edges = {}, {}
    for m, p in code.items():
        edges[m], top_edges[m] = _imports(m, p, code)
    functions = sorted((f for m, p in code.items() for f in _functions(p, m)), reverse=True)
    cycles = _cycles(edges)
    import networkx as nx

    elementary = sum(1 for _ in nx.simple_cycles(_graph(edges)))
    return {
        "lines_per_package": dict(sorted(per_package.items())),
        "largest_modules": sorted(((n, m) for m, n in lines.items() if m in code), reverse=True)[:8],
        "largest_functions": functions[:8],
        "cycles": len(cycles),
        "module_cycles": len(_cycles(top_edges)),
        "elementary_cycles": elementary,
        "cycle_groups": cycles,
        "package_cycles": _cycles(_package_edges(edges)),
        "upward_imports": _upward(edges),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.root.resolve())
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print("lines per package:")
    for package, n in result["lines_per_package"].items():
        print(f"  {package:<16}{n:>6}")
    print("largest modules:", ", ".join(f"{m} {n}" for n, m in result["largest_modules"]))
    print("largest functions:", ", ".join(f"{f} {n}" for n, f in result["largest_functions"]))
    print(f"import cycles: {result['cycles']} groups, {result['elementary_cycles']} elementary cycles"
          f" (top-level imports only: {result['module_cycles']} groups)")
    for group in result["cycle_groups"]:
        print("  " + " ⇄ ".join(group))
    print("package cycles:", "; ".join(" ⇄ ".join(g) for g in result["package_cycles"]) or "none")
    print(f"imports of a later stage ({' < '.join(LAYERS)}):", ", ".join(result["upward_imports"]) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
