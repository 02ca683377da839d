"""Tagged unions built from one table: the tags, the models, the error text all come from it.

A step (``kind: text``), an action (``notify: …``) and a condition (``any: …``) are each one
of several models, told apart by a tag. Each table below names them once; pydantic's
discriminated union, the error that lists the choices and the loader's error locations are
derived from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Union

from pydantic import BaseModel, Discriminator, Tag


def tagged_union(
    members: Mapping[str, type[BaseModel]],
    *,
    field: str | None,
    error_type: str,
    message: str,
) -> Any:
    """A discriminated union of ``members`` (tag -> model).

    With ``field`` the tag is that field's value (``kind: text``); without, it is the first
    member's tag present as a key (``notify: …``). ``message`` is completed with the tags.
    """
    by_model = {model: tag for tag, model in members.items()}

    def tag_of(value: Any) -> str | None:
        if isinstance(value, dict):
            if field is not None:
                found = value.get(field)
                return found if isinstance(found, str) else None
            return next((tag for tag in members if tag in value), None)
        return by_model.get(type(value))

    choices: tuple[Any, ...] = tuple(Annotated[model, Tag(tag)] for tag, model in members.items())
    return Annotated[
        Union[choices],  # noqa: UP007 (built from a tuple at run time)
        Discriminator(
            tag_of,
            custom_error_type=error_type,
            custom_error_message=message + ", ".join(members),
        ),
    ]
