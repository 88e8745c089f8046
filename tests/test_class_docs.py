"""The class-server documentation: its Zero to JupyterHub fragment and the schema check."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("check_z2jh", ROOT / "tools" / "check_z2jh_config.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

# A miniature chart: the shape of Zero to JupyterHub's values and a strict schema for the
# keys the fragment uses (the real check runs on the chart itself, docs/zero_install.md).
STRICT = {"type": "object", "additionalProperties": False}
SCHEMA = {
    **STRICT,
    "properties": {
        "singleuser": {
            **STRICT,
            "properties": {
                "image": {**STRICT, "properties": {"name": {}, "tag": {}}},
                "memory": {**STRICT, "properties": {"guarantee": {}, "limit": {}}},
                "defaultUrl": {"type": "string"},
                "extraEnv": {"type": "object"},
            },
        },
        "cull": {
            **STRICT,
            "properties": {
                "enabled": {"type": "boolean"},
                "timeout": {"type": "integer"},
                "every": {"type": "integer"},
            },
        },
    },
}


def _chart(tmp_path, schema=SCHEMA):
    import yaml

    (tmp_path / "values.yaml").write_text(
        yaml.safe_dump({"singleuser": {"memory": {"guarantee": "1G"}}, "cull": {"enabled": True}})
    )
    (tmp_path / "values.schema.yaml").write_text(yaml.safe_dump(schema))
    return tmp_path


def test_the_documented_fragment_sizes_users_from_the_measurements():
    frag = check.fragment()
    assert frag["singleuser"]["memory"] == {"guarantee": "512M", "limit": "1G"}
    assert frag["cull"]["timeout"] == 3600 and frag["cull"]["every"] == 600
    assert frag["singleuser"]["defaultUrl"].endswith("00_start_here.ipynb")


def test_the_fragment_is_merged_over_the_chart_defaults_as_helm_does():
    out = check.merged({"a": {"b": 1, "c": 2}, "d": 3}, {"a": {"b": 9}})
    assert out == {"a": {"b": 9, "c": 2}, "d": 3}


def test_the_check_passes_a_valid_fragment_and_refuses_a_misspelt_key(tmp_path, capsys):
    chart = _chart(tmp_path)
    assert check.main(["check", str(chart)]) == 0
    misspelt = {**SCHEMA}
    misspelt["properties"] = {**SCHEMA["properties"]}
    misspelt["properties"]["cull"] = {**STRICT, "properties": {"enabled": {}, "timeout": {}}}
    assert check.main(["check", str(_chart(tmp_path, misspelt))]) == 1
    assert "'every' was unexpected" in capsys.readouterr().out


def test_the_check_names_its_usage_without_a_chart():
    with pytest.raises(SystemExit):
        check.main(["check"])
