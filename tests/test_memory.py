"""Every notebook runs top to bottom in a fresh kernel within the per-notebook memory budget.

Public Binder gives each user 1-2 GB; the budget is 300 MB of peak kernel memory per
notebook, so that a student can keep a few notebooks open. The measured figures go to
artifacts/memory.md, the source of the table in docs/zero_install.md.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
ARTIFACTS = ROOT / "artifacts"
BUDGET_MB = 300
CELL_TIMEOUT_S = 300
# VmHWM is the kernel process's own peak resident memory in kB. (ru_maxrss is not: Linux
# carries it across exec, so a kernel started from a large test process reports the
# parent's size.)
PEAK_CELL = (
    "print(next(int(line.split()[1]) for line in open('/proc/self/status') "
    "if line.startswith('VmHWM')))"
)

_peaks = []


@pytest.fixture(scope="module", autouse=True)
def memory_table():
    """Write every measured notebook's peak kernel memory to artifacts/memory.md."""
    yield
    if not _peaks:
        return
    lines = [
        "| notebook | peak kernel memory (MB) |",
        "| --- | --- |",
        *(f"| {name} | {mb:.0f} |" for name, mb in _peaks),
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "memory.md").write_text(
        "Peak resident memory of a fresh kernel after running the notebook top to bottom "
        f"(VmHWM; budget {BUDGET_MB} MB)\n\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )


def peak_kernel_mb(path):
    """Run a copy of the notebook plus the peak-memory cell; the kernel's peak in MB."""
    nb = copy.deepcopy(nbformat.read(path, as_version=4))
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    ).execute()
    text = "".join(
        out.get("text", "") for out in nb.cells[-1].outputs if out.get("name") == "stdout"
    )
    kilobytes = re.findall(r"^\s*(\d+)\s*$", text, re.M)
    assert kilobytes, f"no VmHWM in the last cell's output: {text!r}"
    return int(kilobytes[-1]) / 1024


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_peak_kernel_memory_is_within_budget(path):
    mb = peak_kernel_mb(path)
    _peaks.append((path.name, mb))
    assert mb < BUDGET_MB, f"{path.name}: peak kernel memory {mb:.0f} MB >= {BUDGET_MB} MB"
