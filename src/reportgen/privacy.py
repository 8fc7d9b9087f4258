"""Private data: what the schema marks private never reaches a public output.

The schema is the single source: a field declared ``private=True`` (contact names and
phones, staff phones, internal notes) is dropped from every record in the public
profile, and its values are what the leak checks search the output for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reportgen.model import Record, Records
from reportgen.plaintext import PhoneRun, compact, phone_key, phone_runs, visible
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


# -- what is private, what is public, and finding the one in the other ----------------------

NOTE_LENGTH = 10  # a private text this long found verbatim is a copy, not a coincidence
KEY_LENGTH = 64  # a long private text is searched by its beginning


@dataclass(frozen=True)
class PrivateValue:
    """One private value of one record, with where it is written and how it is searched for."""

    value: str  # as written in the record
    file: str
    record: str
    path: str  # dotted field path, e.g. ``contact.phone``
    label: str  # the field's Chinese label, e.g. ``联系人电话``
    key: str  # what is searched for: the phone's digits, or the text made ``compact``
    phone: bool

    @property
    def blocking(self) -> bool:
        """A phone number, or a long text copied verbatim: publishing it is a leak without doubt.

        A short private text (a contact's name) can be an ordinary word, so finding it is a warning.
        """
        return self.phone or len(self.key) >= NOTE_LENGTH

    @property
    def shown(self) -> str:
        """The value as a message may show it: a phone with its middle digits hidden, a long text cut."""
        if self.phone:
            return self.key[:3] + "*" * (len(self.key) - 7) + self.key[-4:]
        return self.value if len(self.value) <= 20 else self.value[:20] + "…"


@dataclass(frozen=True)
class PublicText:
    """One text of one record that the public build shows (a title, a summary, a bulletin's body)."""

    record: Record
    path: str  # dotted field path, or ``body`` for a bulletin's Markdown
    label: str
    text: str
    markdown: bool  # running text (a summary, a body), not a name or a title


def private_entries(records: Records) -> list[PrivateValue]:
    """Every private text value of the records (the schema's private fields), sorted by file."""
    entries = []
    for record, text in _texts(records):
        entry = _entry(record, text) if text.field.private else None  # not a title inside a private contact
        if entry is not None:
            entries.append(entry)
    return sorted(entries, key=lambda e: (e.file, e.path))


def public_texts(records: Records) -> Iterator[PublicText]:
    """Every public text and Markdown value of the records, and each bulletin's body."""
    for record, text in _texts(records):
        if not text.private and text.field.type in _TEXT_TYPES:
            yield PublicText(record, text.path, text.label, text.value, text.field.type is Type.MARKDOWN)
    for bulletin in records.bulletins.values():
        yield PublicText(bulletin, "body", "正文", bulletin.get("body", ""), True)


_TEXT_TYPES = frozenset({Type.TEXT, Type.MARKDOWN})


@dataclass(frozen=True)
class _Text:
    field: Field
    path: str
    label: str
    value: str
    private: bool  # the field or a mapping it is in is private: the public build leaves it out


def _texts(records: Records) -> Iterator[tuple[Record, _Text]]:
    for kind, by_id in records.by_kind.items():
        mapping = KINDS_BY_NAME[kind].as_mapping
        for record in by_id.values():
            for text in _walk(mapping, record.data, "", "", False):
                yield record, text


def _walk(field: Field, value: Any, path: str, label: str, private: bool) -> Iterator[_Text]:
    """Every text value inside ``value``, with its path, label (``联系人·电话``) and privacy."""
    private = private or field.private
    if field.type is Type.MAPPING and isinstance(value, dict):
        for child in field.fields:
            if child.name in value:
                child_path = f"{path}.{child.name}" if path else child.name
                child_label = f"{label}·{child.label}" if path else child.label
                yield from _walk(child, value[child.name], child_path, child_label, private)
    elif field.type is Type.LIST and field.items is not None and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(field.items, item, f"{path}.{i}", label, private)
    elif isinstance(value, str):
        yield _Text(field, path, label, value, private)


def _entry(record: Record, text: _Text) -> PrivateValue | None:
    if text.field.type is Type.PHONE:
        digits = phone_key(text.value)
        return PrivateValue(text.value, record.file, record.id, text.path, text.label, digits, True) if digits else None
    key = compact(visible(text.value))[:KEY_LENGTH]
    if len(key) < 2:
        return None
    return PrivateValue(text.value, record.file, record.id, text.path, text.label, key, False)


class PrivateSearch:
    """Every private value of the records, searched for at once in visible text.

    Phones are found by their digits (``plaintext.phone_runs``), so any way of writing one is
    found and a longer number holding the same digits is not.  Other private texts (names) are
    found in ``compact`` text by one trie-shaped regular expression; where that can be decided
    they are not found inside longer words: not inside a public name that contains them (a contact
    called 张三 inside the enterprise 张三丰食品公司), not inside a Latin word, and not at all
    when the same text is also written whole as a public value (it is public anyway).
    """

    def __init__(self, entries: list[PrivateValue], public: Iterable[PublicText]) -> None:
        self.phones: dict[str, PrivateValue] = {}
        names: dict[str, PrivateValue] = {}
        for entry in entries:
            (self.phones if entry.phone else names).setdefault(entry.key, entry)
        whole = {compact(visible(text.text)) for text in public if not text.markdown}
        self.names = {key: entry for key, entry in names.items() if key not in whole}
        found = _trie(self.names)
        containers = {text for text in whole if found and found.search(text) and text not in self.names}
        self._pattern = _trie([*self.names, *containers])

    def phones_in(self, text: str) -> Iterator[tuple[PhoneRun, PrivateValue]]:
        """Each private phone number read in visible ``text``."""
        for run in phone_runs(text):
            entry = self.phones.get(run.digits)
            if entry is not None:
                yield run, entry

    def names_in(self, text: str) -> Iterator[tuple[int, PrivateValue]]:
        """(index, value) of each private text found in ``compact`` text ``text``."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text):
            entry = self.names.get(match.group())
            if entry is not None and _whole_word(text, match.start(), match.end()):
                yield match.start(), entry


def _whole_word(text: str, start: int, end: int) -> bool:
    """False when a Latin letter or digit continues the match on either side (``Li`` in ``Lily``)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (_latin(before) and _latin(text[start])) and not (_latin(after) and _latin(text[end - 1]))


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _trie(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``words``, the longest where several start at one place."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_branch(root)) if root else None


def _branch(node: dict[str, Any]) -> str:
    """The pattern of a trie node: its longer continuations first, then (optionally) the end."""
    alternatives = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not alternatives:
        return ""
    if "" in node:
        return f"(?:{'|'.join(alternatives)})?"
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
