"""Check the Zero to JupyterHub fragment in docs/zero_install.md against a chart's schema.

Usage: ``python tools/check_z2jh_config.py <folder of the jupyterhub chart>``, the folder
that holds ``values.yaml`` and ``values.schema.yaml`` (a clone of
jupyterhub/zero-to-jupyterhub-k8s, folder ``jupyterhub``). The fragment is merged over the
chart's defaults, as Helm merges a ``config.yaml``, and validated with ``jsonschema``.
Exit status 0 when valid; 1 with the schema's message when not.
"""

from __future__ import annotations

import copy
import pathlib
import re
import sys

import jsonschema
import yaml

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "zero_install.md"
FENCE = re.compile(r"```yaml\n# config.yaml fragment for Zero to JupyterHub\n(.*?)```", re.S)


def fragment(doc=DOC):
    """The ``config.yaml`` fragment the documentation gives, as a mapping."""
    match = FENCE.search(doc.read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit(f"{doc}: no Zero to JupyterHub config.yaml fragment found")
    return yaml.safe_load(match.group(1))


def merged(defaults, overrides):
    """``overrides`` merged into a copy of ``defaults`` (mappings merge, the rest replace)."""
    out = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    chart = pathlib.Path(argv[1])
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    try:
        jsonschema.validate(merged(defaults, fragment()), schema)
    except jsonschema.ValidationError as err:
        print(f"not valid: {err.message} (at {'/'.join(map(str, err.absolute_path))})")
        return 1
    print("valid: the fragment merged over the chart's values passes its schema")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
