"""The step kinds, one file each, found here: a model derived from ``StepBase`` whose ``kind``
field is ``Literal["name"]``. The playbook schema's step union is built from :data:`KINDS`, so
a new kind is a new file (and its tests), nothing more.

Step kinds are the leaf of the engine: they import the playbook parts, the translator and
``incoming.Place``, nothing else of the engine.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing

from bot.engine.steps.base import StepBase


def kind_of(model: type[StepBase]) -> str | None:
    """The tag of a concrete kind (``Literal["text"]`` → ``"text"``); None for a shared base."""
    annotation = model.model_fields["kind"].annotation
    if typing.get_origin(annotation) is typing.Literal:
        (tag,) = typing.get_args(annotation)
        return str(tag)
    return None


def _discover() -> dict[str, type[StepBase]]:
    found: dict[str, type[StepBase]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, StepBase)
                and value.__module__ == module.__name__
            ):
                tag = kind_of(value)
                if tag is not None:
                    assert tag not in found, f"step kind {tag!r} defined twice"
                    found[tag] = value
    return found


# Every step kind by its tag, in the order of their files' names.
KINDS: dict[str, type[StepBase]] = _discover()
