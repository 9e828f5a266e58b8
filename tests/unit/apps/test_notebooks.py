"""Every app notebook runs top to bottom, and is committed clean (no outputs, no counts)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[3] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_runs(notebook: Path, tmp_path: Path, execute_notebook) -> None:
    execute_notebook(notebook, tmp_path / "data")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_is_committed_clean(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    stored = [
        index + 1
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not stored, (
        f"{notebook.name}: cells {stored} hold outputs or execution counts; clear them"
        " (e.g. `jupyter nbconvert --clear-output --inplace`) before committing"
    )
    assert "widgets" not in nb.metadata, f"{notebook.name}: saved widget state in metadata"

