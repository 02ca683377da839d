"""Listings for people (a table with headers) and for scripts (tab-separated values, JSON)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import Any


def width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart; a rule under the headers."""
    widths = [max(width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell + " " * (size - width(cell)) for cell, size in zip(cells, widths, strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * size for size in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def tsv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A header line, then one line per row; tabs and line breaks in a value become spaces."""

    def clean(value: Any) -> str:
        return " ".join(str("" if value is None else value).split())

    return "\n".join("\t".join(clean(value) for value in row) for row in [headers, *rows])


def as_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2, default=str)


def listing(
    fmt: str,
    keys: Sequence[str],
    records: list[dict[str, Any]],
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
) -> str:
    """``records`` (machine values under ``keys``) as TSV or JSON; ``cells`` as a table."""
    if fmt == "json":
        return as_json(records)
    if fmt == "tsv":
        return tsv(keys, [[_flat(record[key]) for key in keys] for record in records])
    return table(headers, cells)


def _flat(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{key}={item}" for key, item in value.items())
    return value
