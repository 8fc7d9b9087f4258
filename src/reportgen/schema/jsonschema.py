"""The record schema as JSON Schema (draft 2020-12), for editors that check YAML as you type."""

from __future__ import annotations

from typing import Any

from reportgen.compute.metrics import group
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.schema.types import Field, Kind, Type
from reportgen.validate.identifiers import USCC_ALPHABET

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_USCC_PATTERN = f"^[{USCC_ALPHABET.replace('0123456789', '0-9')}]{{18}}$"
_PHONE_PATTERN = r"^(\+86[ -]?)?(1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[0-9]{2,3}-?[0-9]{7,8})$"
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def field_schema(field: Field, kind: Kind | None = None) -> dict[str, Any]:
    """One field as a JSON Schema fragment."""
    schema: dict[str, Any] = {"title": field.label, "description": field.description}
    if field.type in (Type.TEXT, Type.MARKDOWN, Type.PATH):
        schema.update(type="string", minLength=1, maxLength=field.max_length)
    elif field.type is Type.ID:
        schema.update(type="string", pattern=kind.id_pattern if kind else ".+")
    elif field.type is Type.REF:
        assert field.ref is not None
        schema.update(type="string", pattern=KINDS_BY_NAME[field.ref].id_pattern)
    elif field.type is Type.DATE:
        schema.update(type="string", format="date", pattern=_DATE_PATTERN)
    elif field.type is Type.INT:
        schema.update(type="integer")
        if field.minimum is not None:
            schema["minimum"] = field.minimum
        if field.maximum is not None:
            schema["maximum"] = field.maximum
    elif field.type is Type.MONEY:
        schema.update(type="number", minimum=0)
    elif field.type is Type.BOOL:
        schema.update(type="boolean")
    elif field.type is Type.ENUM:
        schema.update(type="string", enum=list(field.choices))
    elif field.type is Type.USCC:
        schema.update(type="string", pattern=_USCC_PATTERN)
    elif field.type is Type.PHONE:
        schema.update(type="string", pattern=_PHONE_PATTERN)
    elif field.type is Type.LIST:
        assert field.items is not None
        schema.update(type="array", items=field_schema(field.items))
        if field.min_items:
            schema["minItems"] = field.min_items
    elif field.type is Type.WEIGHTS:
        schema.update(
            type="object",
            additionalProperties=False,
            properties={n: {"type": "number", "minimum": 0, "maximum": 1} for n in group("ranked")},
        )
    else:
        schema.update(_object(field.fields, kind))
    if field.example is not None and field.type not in (Type.MAPPING, Type.LIST):
        schema["examples"] = [field.example]
    if field.default is not None and not isinstance(field.default, dict | list):
        schema["default"] = field.default
    return schema


def _object(fields: tuple[Field, ...], kind: Kind | None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: field_schema(f, kind) for f in fields},
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def kind_schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of one record kind."""
    return {
        "$schema": DRAFT,
        "$id": f"{kind.name}.schema.json",
        "title": f"{kind.title}（{kind.label}）",
        "description": kind.description,
        **_object(kind.fields, kind),
    }
