"""JSON Schemas (draft 2020-12) of what ``govreport parse`` prints, made from the model.

[`report_schema`][govreport.output.schema.report_schema] describes ``--format json`` (one
report, or an array of them when several files are given);
[`cell_schema`][govreport.output.schema.cell_schema] one line of ``--format cells``. Both
are generated from the attrs classes of `govreport.model` and the way
`govreport.output.export` writes them, so a field added to the model shows up here (and
an output the schema does not describe fails the tests).

>>> import json, govreport.output.schema as schema
>>> print(json.dumps(schema.report_schema(), indent=2))  # doctest: +SKIP
"""

from __future__ import annotations

import enum
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from govreport.document import Source
from govreport.model import Cell, CellState, Finding, Report, Row, Section, SourceLine, Table
from govreport.spec.codes import CODES

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Fields the JSON leaves out (see the converter in `govreport.output.export`).
OMITTED: dict[type, frozenset[str]] = {
    Report: frozenset({"original_text", "title_lines", "preamble_lines"}),
    Table: frozenset({"key"}),
    Row: frozenset({"key"}),
    Section: frozenset({"text_lines"}),
}
#: Classes whose fields are left out when they hold their default, but these.
OMIT_DEFAULTS: dict[type, frozenset[str]] = {
    Cell: frozenset({"state", "value"}),
    Finding: frozenset(),
    SourceLine: frozenset(),
}
#: What each class is, for the schema's ``description``.
DESCRIPTIONS: dict[type, str] = {
    Report: "One annual report: its template, year, agency, sections, the three tables, "
    "the input lines that are not part of the model and the findings.",
    Table: "A statistical table: its rows by row key (a row the report leaves out is absent).",
    Row: "A table row: its cells by column key.",
    Cell: "A table cell. value is a number only when state is number (a blank is never 0); "
    "candidates lists an ambiguous cell's possible values (null for blank).",
    Section: "A section of the report (1-6) and its text.",
    SourceLine: "An input line that is not part of the model, and why.",
    Finding: "Something worth knowing: a broken relation, a value inferred, a cell left open.",
    Source: "Where a cell is in its source: page and box (PDF points) for PDF; table, row "
    "and col (0-based) for HTML and DOCX tables.",
}

_NUMBER = {"type": "number"}
#: A cell's value is a number exactly when its state is ``number``: a blank is never 0.
_VALUE_BY_STATE = {
    "if": {"properties": {"state": {"const": "number"}}},
    "then": {"properties": {"value": {"type": "number"}}},
    "else": {"properties": {"value": {"type": "null"}}},
}


def _name(cls: type) -> str:
    return cls.__name__


def _source() -> dict[str, Any]:
    """`Source` as `govreport.output.export.source_record` writes it: only what is set."""
    hints = typing.get_type_hints(Source)
    properties: dict[str, Any] = {}
    for name in ("line", "column", "page", "bbox", "table", "row", "col"):
        if name == "bbox":
            properties[name] = {"type": "array", "items": _NUMBER, "minItems": 4, "maxItems": 4}
        else:
            properties[name] = _type(_strip_none(hints[name]), {})
    return {
        "type": "object",
        "description": DESCRIPTIONS[Source],
        "properties": properties,
        "additionalProperties": False,
    }


def _strip_none(hint: Any) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if _is_union(hint) and len(args) == 1:
        return args[0]
    return hint


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _type(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of a value of type ``hint`` as the converter writes it."""
    if hint is type(None):
        return {"type": "null"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is str:
        return {"type": "string"}
    if hint is Decimal or hint is float:
        return dict(_NUMBER)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [member.value for member in hint]}
    if hint is Source:
        defs.setdefault("Source", _source())
        return {"$ref": "#/$defs/Source"}
    if isinstance(hint, type) and attrs.has(hint):
        if _name(hint) not in defs:
            defs[_name(hint)] = {}  # placeholder: classes may refer to each other
            defs[_name(hint)] = _object(hint, defs)
        return {"$ref": f"#/$defs/{_name(hint)}"}
    if _is_union(hint):
        options = [_type(a, defs) for a in typing.get_args(hint)]
        if all(set(o) == {"type"} for o in options):  # int | Decimal → number
            kinds = {o["type"] for o in options}
            if "number" in kinds:
                kinds.discard("integer")
            return {"type": sorted(kinds)[0] if len(kinds) == 1 else sorted(kinds)}
        return {"anyOf": options}
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        return {"type": "array", "items": _type(args[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type(args[1], defs)}
    raise TypeError(f"no JSON Schema for {hint!r}")  # a new kind of field: say how here


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    omitted = OMITTED.get(cls, frozenset())
    kept_defaults = OMIT_DEFAULTS.get(cls)
    properties, required = {}, []
    for field in attrs.fields(cls):
        if field.name in omitted:
            continue
        properties[field.name] = _type(hints[field.name], defs)
        has_default = field.default is not attrs.NOTHING
        if kept_defaults is None or field.name in kept_defaults or not has_default:
            required.append(field.name)
    schema: dict[str, Any] = {"type": "object"}
    if cls in DESCRIPTIONS:
        schema["description"] = DESCRIPTIONS[cls]
    schema.update(properties=properties, required=required, additionalProperties=False)
    if cls is Cell:
        schema.update(_VALUE_BY_STATE)
    return schema


def report_schema() -> dict[str, Any]:
    """The JSON Schema of ``govreport parse --format json`` (and of
    `govreport.output.export.to_dict`): one report, or — for several files — an array
    of reports, each with the ``file`` it was read from."""
    defs: dict[str, Any] = {}
    _type(Report, defs)
    report = defs["Report"]
    report["properties"] = {"file": {"type": "string"}, **report["properties"]}
    defs["Finding"]["properties"]["code"] = {"enum": sorted(CODES)}
    return {
        "$schema": DIALECT,
        "$id": "https://govreport.invalid/schema/report.json",
        "title": "govreport parse --format json",
        "description": "A report parsed by govreport; several files give an array of them.",
        "anyOf": [
            {"$ref": "#/$defs/Report"},
            {"type": "array", "items": {"$ref": "#/$defs/Report"}},
        ],
        "$defs": dict(sorted(defs.items())),
    }


def cell_schema() -> dict[str, Any]:
    """The JSON Schema of one line of ``govreport parse --format cells`` (and of a
    record of `govreport.output.export.cell_records`)."""
    defs: dict[str, Any] = {}
    hints = typing.get_type_hints(Cell)
    properties = {
        "file": {"type": "string", "description": "the file, when several are given"},
        "path": {
            "type": "string",
            "pattern": r"^[a-z0-9_]+/[a-z0-9_.]+/[a-z0-9_]+$",
            "description": "<table>/<row>/<column>, from the data dictionary",
        },
        "value": _type(hints["value"], defs),
        "state": _type(CellState, defs),
        "inferred": {"type": "boolean"},
        "line": _type(hints["line"], defs),
        "raw": {"type": "string"},
        "candidates": _type(hints["candidates"], defs) | {"minItems": 0},
        "source": _type(Source, defs),
    }
    return {
        "$schema": DIALECT,
        "$id": "https://govreport.invalid/schema/cell.json",
        "title": "govreport parse --format cells: one line",
        "description": DESCRIPTIONS[Cell] + " candidates is there only for an ambiguous "
        "cell, source only where the reader knows more than the line.",
        "type": "object",
        "properties": properties,
        "required": ["path", "value", "state", "inferred", "line", "raw"],
        "additionalProperties": False,
        **_VALUE_BY_STATE,
        "$defs": defs,
    }
