"""Running a notebook top to bottom as Voilà would, for the notebook tests."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from support.processes import NOTEBOOKS_DIR, ROOT

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookError(AssertionError):
    """A notebook cell raised while the notebook ran top to bottom."""


def execute_notebook(path: Path, data_dir: Path, timeout: int = 120) -> Any:
    """Run a notebook top to bottom as Voilà would, in ``notebooks/``; return the result.

    The kernel (python3) sees the checkout's ``widgets`` and ``WITHIN_DATA_DIR=data_dir``.
    Raises :class:`NotebookError` naming the failing cell and its error.
    """
    __tracebackhide__ = True
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=timeout,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    env = {
        **os.environ,
        "WITHIN_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("WITHIN_DATABASE_URL", None)
    try:
        client.execute(env=env)
    except CellExecutionError as error:
        failed = next(
            (
                index
                for index, cell in enumerate(notebook.cells)
                if any(out.get("output_type") == "error" for out in cell.get("outputs", []))
            ),
            None,
        )
        where = f"cell {failed + 1} of {len(notebook.cells)}" if failed is not None else "a cell"
        raise NotebookError(f"{path.name}: {where} failed:\n{_ANSI.sub('', str(error))}") from None
    return notebook


