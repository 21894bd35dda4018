"""The code's shape holds: no import cycles, and no stage imports a later one (bench/architecture.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _measure():
    spec = importlib.util.spec_from_file_location("architecture", ROOT / "bench" / "architecture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure(ROOT)


def test_no_import_cycles_and_no_stage_imports_a_later_one():
    shape = _measure()
    assert shape["cycle_groups"] == []
    assert shape["package_cycles"] == []
    assert shape["upward_imports"] == []
