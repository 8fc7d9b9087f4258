"""Private data: what the schema marks private never reaches a public output.

The schema is the single source: a field declared ``private=True`` (contact names and
phones, staff phones, internal notes) is dropped from every record in the public
profile, and its values are what the leak checks search the output for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportgen.model import Records
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.schema.types import Field, Type


def strip_private(field: Field, value: Any) -> Any:
    """``value`` (described by ``field``) without any private field, at any depth."""
    if field.type is Type.MAPPING and isinstance(value, dict):
        return {
            child.name: strip_private(child, value[child.name])
            for child in field.fields
            if child.name in value and not child.private
        }
    if field.type is Type.LIST and field.items is not None and isinstance(value, list):
        return [strip_private(field.items, item) for item in value]
    return value


def public_data(kind: str, data: dict[str, Any], profile: str) -> dict[str, Any]:
    """A record's values as the profile may show them (``internal`` keeps everything)."""
    if profile == "internal":
        return data
    stripped: dict[str, Any] = strip_private(KINDS_BY_NAME[kind].as_mapping, data)
    return stripped


def _private_strings(field: Field, value: Any, inside_private: bool = False) -> Iterator[str]:
    private = inside_private or field.private
    if field.type is Type.MAPPING and isinstance(value, dict):
        for child in field.fields if private else field.private_fields:
            if child.name in value:
                yield from _private_strings(child, value[child.name], private)
    elif field.type is Type.LIST and field.items is not None and isinstance(value, list):
        for item in value:
            yield from _private_strings(field.items, item, private)
    elif private and isinstance(value, str):
        yield value


def private_values(records: Records) -> set[str]:
    """Every private text value in the records (phones, contact names, internal notes)."""
    values: set[str] = set()
    for kind, by_id in records.by_kind.items():
        mapping = KINDS_BY_NAME[kind].as_mapping
        for record in by_id.values():
            values.update(_private_strings(mapping, record.data))
    return values
