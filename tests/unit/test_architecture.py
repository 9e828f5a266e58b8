"""The package's shape: layers that import only downward, a light front door, one home per fact.

``docs/architecture.md`` describes the layers; ``.importlinter`` states the rule these tests
hold the code to.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import widgets

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "widgets"
HEAVY = ("ipywidgets", "pandas", "matplotlib", "sqlalchemy")
LAYERS = ("core", "store", "controls", "exercises", "programme", "facilitation", "rooms", "research", "apps", "server", "commands")


def test_every_layer_imports_only_the_layers_below_it() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_module_imports_itself_round_a_cycle() -> None:
    """Imports under ``TYPE_CHECKING`` aside, the module graph has no cycle at all."""
    import grimp

    graph = grimp.build_graph("widgets", exclude_type_checking_imports=True)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    # A module's package imports (``widgets.x`` -> ``widgets.x.y``) and the lazy front door
    # are not cycles of code that runs at import time.
    edges["widgets"] = set()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert cycles == []


def test_each_layer_says_its_job_in_one_line() -> None:
    for layer in LAYERS:
        doc = (PACKAGE / layer / "__init__.py").read_text(encoding="utf-8").split('"""')[1]
        assert doc.strip() and len(doc.strip().splitlines()[0]) <= 140, layer


def test_import_widgets_loads_none_of_the_heavy_libraries() -> None:
    script = f"import sys, widgets; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves_and_is_listed() -> None:
    assert widgets.__all__ == sorted(widgets.__all__)
    for name in widgets.__all__:
        assert getattr(widgets, name) is not None, name
    with pytest.raises(AttributeError):
        widgets.NoSuchWidget  # noqa: B018
    for name in ("ScaleForm", "StepNavigator", "DefusionExercise", "MindfulnessTimer", "ValuesCardSort",
                 "GoalCard", "MoodCheckIn", "MoodChart", "PageContext", "Store"):
        assert name in widgets.__all__


def test_the_readme_jupyterlab_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using the widgets in JupyterLab", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    assert "from widgets import" in code
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README


def test_every_notebook_is_one_line_that_starts_its_app() -> None:
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if path.stem == "research-examples":
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "".join(cells[0]["source"])
        assert len(cells) == 1 and source == f'from widgets.apps import page\n\npage("{path.stem}")', path.name


def _source_files() -> list[Path]:
    kinds = {".py", ".css", ".js", ".j2", ".html", ".yaml", ".ipynb", ".md", ".toml"}
    roots = [PACKAGE, ROOT / "share", ROOT / "content", ROOT / "notebooks", ROOT / "tests", ROOT / "docs", ROOT / "benchmarks"]
    return [
        p for root in roots for p in root.rglob("*")
        if p.suffix in kinds and p.is_file() and "node_modules" not in p.parts
        and "examples" not in p.parts  # generated printouts embed the palette
    ]


def test_the_accent_colour_lives_only_in_the_palette() -> None:
    accent = "#" + "23595a"
    found = sorted(str(p.relative_to(ROOT)) for p in _source_files() if accent in p.read_text(encoding="utf-8", errors="ignore"))
    assert found == ["share/jupyter/voila/templates/within/static/palette.css"]


def test_one_store_fixture_and_one_code_alphabet() -> None:
    fixture = "def " + "store("
    fixtures = [p for p in (ROOT / "tests").rglob("*.py") if fixture in p.read_text(encoding="utf-8")]
    assert [p.relative_to(ROOT).as_posix() for p in fixtures] == ["tests/conftest.py"]
    alphabet = "23456789" + "ABCDEFGHJKMNPQRSTWXYZ"
    homes = [p for p in PACKAGE.rglob("*.py") if alphabet in p.read_text(encoding="utf-8")]
    assert [p.relative_to(ROOT).as_posix() for p in homes] == ["widgets/core/codes.py"]


def test_private_store_methods_stay_inside_the_store() -> None:
    outside = [
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "store" not in p.relative_to(PACKAGE).parts[:1]
        and re.search(r"\._(writing|reading|engine|reader)\b", p.read_text(encoding="utf-8"))
    ]
    assert outside == []


@pytest.mark.parametrize(("old", "new"), [("paths", "core.paths"), ("settings", "core.settings"), ("voila_config", "server.voila_config")])
def test_old_module_paths_still_work_for_one_release(old: str, new: str) -> None:
    import importlib

    sys.modules.pop(f"widgets.{old}", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(f"widgets.{old}")
    assert module is importlib.import_module(f"widgets.{new}")
    assert any(issubclass(w.category, DeprecationWarning) and f"widgets.{new}" in str(w.message) for w in caught)
