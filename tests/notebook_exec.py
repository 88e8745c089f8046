"""Run a notebook's code cells in plain Python, for tests that watch what each cell does."""

import matplotlib


def code_cells(cells):
    """Each code cell with its source, IPython magics (``%matplotlib``) left out."""
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            yield cell, "\n".join(line for line in source.splitlines() if not line.startswith("%"))


def fresh_namespace(path, monkeypatch):
    """A module namespace for the notebook at ``path``, run from its folder on Agg."""
    matplotlib.use("Agg")
    monkeypatch.chdir(path.parent)
    return {"__name__": "__main__"}
