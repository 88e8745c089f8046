import dataclasses
import importlib
import inspect
import pkgutil

import pytest
from numpydoc.docscrape import FunctionDoc, NumpyDocString

import helpers

SKIPPED_PACKAGES = {"helpers.panels"}


def iter_modules(package):
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        if info.name in SKIPPED_PACKAGES:
            continue
        module = importlib.import_module(info.name)
        yield module
        if info.ispkg:
            yield from iter_modules(module)


def is_function(obj):
    return inspect.isfunction(inspect.unwrap(obj)) if callable(obj) else False


def public_objects():
    found = []
    for module in [helpers, *iter_modules(helpers)]:
        for name, obj in sorted(vars(module).items()):
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(obj) or is_function(obj):
                found.append(pytest.param(obj, id=f"{module.__name__}.{name}"))
    return found


OBJECTS = public_objects()
FUNCTIONS = [p for p in OBJECTS if not inspect.isclass(p.values[0])]
CLASSES = [p for p in OBJECTS if inspect.isclass(p.values[0])]


def parse(obj):
    if inspect.isclass(obj):
        return NumpyDocString(inspect.getdoc(obj) or "")
    return FunctionDoc(obj)


def documented_names(doc):
    return [
        name.strip().lstrip("*") for param in doc["Parameters"] for name in param.name.split(",")
    ]


def signature_names(obj):
    if dataclasses.is_dataclass(obj):
        return [field.name for field in dataclasses.fields(obj)]
    target = obj.__init__ if inspect.isclass(obj) else obj
    return [name for name in inspect.signature(target).parameters if name != "self"]


def ends_with_unit(description):
    lines = [line.strip() for line in description if line.strip()]
    return bool(lines) and lines[-1].endswith("]") and "[" in lines[-1]


def test_objects_discovered():
    ids = {p.id for p in OBJECTS}
    assert "helpers.refill.plan_refill" in ids
    assert "helpers.data.Quantity" in ids
    assert not any(i.startswith("helpers.panels") for i in ids)


@pytest.mark.parametrize("obj", OBJECTS)
def test_has_summary(obj):
    assert " ".join(parse(obj)["Summary"]).strip()


@pytest.mark.parametrize("obj", OBJECTS)
def test_parameters_match_signature(obj):
    assert sorted(documented_names(parse(obj))) == sorted(signature_names(obj))


@pytest.mark.parametrize("obj", OBJECTS)
def test_parameter_descriptions_end_with_unit(obj):
    missing = [p.name for p in parse(obj)["Parameters"] if not ends_with_unit(p.desc)]
    assert missing == []


@pytest.mark.parametrize("obj", FUNCTIONS)
def test_function_has_references(obj):
    assert any(line.strip() for line in parse(obj)["References"])


@pytest.mark.parametrize("obj", FUNCTIONS)
def test_function_documents_returns(obj):
    returns = parse(obj)["Returns"]
    assert returns
    assert all(any(line.strip() for line in r.desc) for r in returns)
