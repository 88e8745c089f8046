"""What a page load costs the kernel: notebook 02 (the one a class opens first) stays light.

A class of 30 opening notebook 02 at once shares the server's cores; every module a page
imports and never uses is paid 30 times (docs/zero_install.md, "A whole class in Voila").
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]

RUN_NOTEBOOK = """
import json, os, sys
sys.path.insert(0, {root!r})
os.chdir({folder!r})
import matplotlib
matplotlib.use("Agg")
from helpers import presenter
nb = presenter.teaching_only(json.load(open({name!r}, encoding="utf-8")))
ns = {{"__name__": "__main__"}}
for cell in nb["cells"]:
    if cell["cell_type"] == "code":
        src = "".join(cell["source"])
        exec("\\n".join(l for l in src.splitlines() if not l.startswith("%")), ns)
print(json.dumps(sorted(sys.modules)))
"""


def modules_after(notebook):
    code = RUN_NOTEBOOK.format(root=str(ROOT), folder=str(ROOT / "notebooks"), name=notebook)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_notebook_02_loads_neither_scipy_nor_the_models_it_does_not_show():
    loaded = modules_after("02_flow_rate_and_refill.ipynb")
    assert "helpers.panels.refill" in loaded  # the check sees the notebook's panels
    assert not {m for m in loaded if m == "scipy" or m.startswith("scipy.")}
    for unused in ("helpers.panels.spread", "helpers.panels.living", "helpers.panels.incidents"):
        assert unused not in loaded, unused
