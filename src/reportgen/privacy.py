"""Private data: what the schema marks private never reaches a public output.

The schema is the single source: a field declared ``private=True`` (contact names and
phones, staff phones, internal notes) is dropped from every record in the public
profile, and its values are what the leak checks search for.  ``record_texts`` gives each
private value (with its record, field and search key) and each public text of the records;
``PrivateSearch`` finds all private values at once in text made ``plaintext.visible``: by
``check`` in the public texts (``validate/published.py``) and by the public build in every
file it wrote (``publish/leakscan.py``).  The check makes the search (after one change, only
where the change can matter: ``validate/incremental.py``) and leaves it for the build to
search the files it writes with (``share_search``, ``search_for``): the build does not walk
every record's texts a second time.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from reportgen.lang import Words
from reportgen.model import Record, Records
from reportgen.plaintext import FIELD_SEPARATOR, PhoneRun, compact, phone_number, phone_runs, visible, visible_each
from reportgen.render import INTERNAL
from reportgen.schema.kinds import COMMON_WORDS, CONFIG, CONFIG_FILE, KINDS, KINDS_BY_NAME
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
    if profile == INTERNAL:
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
    """Every text value the public build leaves out (private fields and all inside them), as written."""
    values: set[str] = set()
    for kind, by_id in records.by_kind.items():
        mapping = KINDS_BY_NAME[kind].as_mapping
        for record in by_id.values():
            values.update(_private_strings(mapping, record.data))
    return values


# -- what is private, what is public, and finding the one in the other ----------------------

_NON_DIGITS = re.compile(r"\D+")
# digits looked up run by run per private number before its expression is made (``_holds_phone``):
# making it costs ~50 µs a number (0.5 s at 10,000), looking runs up ~0.5 µs a digit and length
SLID_PER_PHONE = 50
# characters of text looked through by their runs of characters before the names' expression is compiled
# (``PrivateSearch.names_in``): ~0.3 µs a character, where compiling it costs ~0.5 s at 100,000 issues
LOOKED_THROUGH = 1_000_000
# characters × private texts looked through, each text as it is, before the words in it are looked up: ~20 ms
LOOKED_AS_IS = 20_000_000
_HEAD = 4  # a word of the names' expression this long or longer is looked up by its first four characters
NOTE_LENGTH = 20  # a private text this long found verbatim is a copy, not a coincidence
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


class PublicText(NamedTuple):
    """One text of one record that the public build shows (a title, a summary, a bulletin's body).

    A named tuple: one is made for every text of every record on each check.
    """

    record: Record
    path: str  # dotted field path, or ``body`` for a bulletin's Markdown
    label: str
    text: str
    markdown: bool  # running text (a summary, a body), not a name or a title


@dataclass(frozen=True)
class RecordTexts:
    """The records' texts that matter for privacy: the private values and the public texts."""

    private: list[PrivateValue]  # sorted by file and path
    public: list[PublicText]


def record_texts(records: Records) -> RecordTexts:
    """Every private value (the schema's private fields) and every public text of the records, in one walk.

    Public texts are the text and Markdown fields outside any private field, and each bulletin's body.
    """
    private: list[_Private] = []
    public: list[PublicText] = []
    for kind, by_id in records.by_kind.items():
        plan = _PLANS[kind]
        for record in by_id.values():
            _collect(plan, record.data, "", record, private, public)
    public.extend(PublicText(b, "body", "正文", b.get("body", ""), True) for b in records.bulletins.values())
    shown = visible_each([value for *_, value in private])
    common = _common_keys(records)
    entries = [e for e in map(_entry, private, shown) if e is not None and (e.phone or e.key not in common)]
    return RecordTexts(sorted(entries, key=lambda e: (e.file, e.path)), public)


# where an office lists a word that is no contact's name, as the hints of W603, W802 and E802 name it
COMMON_WORDS_NAMED = Words(
    f"{CONFIG.title}（{CONFIG_FILE}）的“{COMMON_WORDS.label}”", f"{COMMON_WORDS.name} in {CONFIG_FILE}"
)


def _common_keys(records: Records) -> frozenset[str]:
    """The search keys of the words the office says are ordinary words, not names (the config's ``common_words``):
    a contact whose name is one of them is not searched for by it."""
    words = [str(word) for word in records.config.get(COMMON_WORDS.name) or ()]
    return frozenset(compact(shown)[:KEY_LENGTH] for shown in visible_each(words))


_TEXT_TYPES = frozenset({Type.TEXT, Type.MARKDOWN})
_LEAF_TYPES = _TEXT_TYPES | {Type.PHONE}


class _Node(NamedTuple):
    """A field of a kind that is, or holds, a text or phone value (the walk skips every other field)."""

    name: str
    label: str  # ``联系人·电话``
    leaf: Field | None  # the text or phone field itself (a list's items); None for a mapping
    children: tuple[_Node, ...]  # for a mapping, or a list of mappings
    hidden: bool  # the field, or one it is in, is private: the public build leaves it out


def _plan(field: Field, label: str, hidden: bool) -> tuple[_Node, ...]:
    nodes = []
    for child in field.fields:
        if not child.holds(lambda g: g.type in _LEAF_TYPES):
            continue
        item = child.items if child.type is Type.LIST and child.items is not None else child
        child_label = f"{label}·{child.label}" if label else child.label
        private = hidden or child.private
        if item.type is Type.MAPPING:
            nodes.append(_Node(child.name, child_label, None, _plan(item, child_label, private), private))
        else:
            nodes.append(_Node(child.name, child_label, item, (), private))
    return tuple(nodes)


_PLANS = {kind.name: _plan(kind.as_mapping, "", False) for kind in KINDS}


def _collect(
    nodes: tuple[_Node, ...],
    data: dict[str, Any],
    path: str,
    record: Record,
    private: list[_Private],
    public: list[PublicText],
) -> None:
    """Append the private values and public texts of ``data`` (appends, not generators: every record)."""
    for node in nodes:
        value = data.get(node.name)
        if value is None:
            continue
        where = f"{path}.{node.name}" if path else node.name
        items = enumerate(value) if isinstance(value, list) else ((None, value),)
        for i, item in items:
            at = where if i is None else f"{where}.{i}"
            if node.leaf is None:
                if isinstance(item, dict):
                    _collect(node.children, item, at, record, private, public)
            elif isinstance(item, str):
                _leaf(node, node.leaf, item, at, record, private, public)


def _leaf(
    node: _Node,
    leaf: Field,
    value: str,
    path: str,
    record: Record,
    private: list[_Private],
    public: list[PublicText],
) -> None:
    if leaf.private:  # searched for; not a title inside a private contact, which is left out but not personal
        private.append((record, leaf, path, node.label, value))
    elif not node.hidden and leaf.type in _TEXT_TYPES:  # one path text for every record's ``history.2.note``
        public.append(PublicText(record, sys.intern(path), node.label, value, leaf.type is Type.MARKDOWN))


_Private = tuple[Record, Field, str, str, str]  # record, field, path, label, value


def _entry(private: _Private, shown: str) -> PrivateValue | None:
    """A private value with its search key (``shown`` is the value made ``visible``), or None if unsearchable."""
    record, leaf, path, label, value = private
    if leaf.type is Type.PHONE:
        digits = phone_number(shown)
        return PrivateValue(value, record.file, record.id, path, label, digits, True) if digits else None
    key = compact(shown)[:KEY_LENGTH]
    return PrivateValue(value, record.file, record.id, path, label, key, False) if len(key) >= 2 else None


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
        self._lengths = sorted({len(digits) for digits in self.phones})
        self._slid = 0  # digits looked up run by run so far (``_holds_phone``)
        names_and_titles = FIELD_SEPARATOR.join(t.text for t in public if not t.markdown)
        whole = set(compact(visible(names_and_titles)).split(FIELD_SEPARATOR))
        self.names = {key: entry for key, entry in names.items() if key not in whole}
        found = _trie(self.names)
        containers = {text for text in whole if found and found.search(text) and text not in self.names}
        self._containers = frozenset(containers)  # with the names, the words the expression matches
        self._source = _trie_source([*self.names, *containers])  # compiled when first needed (``_pattern``)
        self._looked = 0  # characters looked through for the words in them so far (``_words_in``)
        # every two characters side by side in what the expression matches: a text cut where none is cannot
        # hide a match across the cut (``publish/leakscan`` searches a big CSV in parts of lines)
        self.pairs = frozenset(word[i : i + 2] for word in [*self.names, *containers] for i in range(len(word) - 1))

    @property
    def name_pattern(self) -> str:
        """The expression private texts are found by ('' when there are none): what a memo of findings is keyed on."""
        return self._source or ""

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """The expression compiled (~0.5 s at 100,000 issues): not pickled, made where first searched with."""
        return re.compile(self._source) if self._source is not None else None

    @functools.cached_property
    def _index(self) -> tuple[dict[int, frozenset[str]], frozenset[str], dict[str, list[str]]]:
        """The expression's words by length when shorter than ``_HEAD``, and the others' first ``_HEAD`` characters:
        every start, and the words under each."""
        short: dict[int, set[str]] = {}
        heads: dict[str, list[str]] = {}
        for word in (*self.names, *self._containers):
            if len(word) < _HEAD:
                short.setdefault(len(word), set()).add(word)
            else:
                heads.setdefault(word[:_HEAD], []).append(word)
        return {n: frozenset(words) for n, words in short.items()}, frozenset(heads), heads

    def compile(self) -> None:
        """Compile the names' expression now: a search of every file of a build passes ``LOOKED_THROUGH`` anyway."""
        self.__dict__.setdefault("_pattern", self._pattern)

    def __getstate__(self) -> dict[str, Any]:
        """What is pickled: all but the compiled expression and the index (made where first needed, not on loading)
        and the characters looked through (a process that loads it has looked through none)."""
        return {name: value for name, value in self.__dict__.items() if name not in ("_pattern", "_index", "_looked")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A pickled search, which has looked through no text in this process."""
        self.__dict__.update(state)
        self._looked = 0

    def phones_in(self, text: str) -> Iterator[tuple[PhoneRun, PrivateValue]]:
        """Each private phone number read in visible ``text``.

        A phone number read there is a run of the text's digits taken in order, so when no
        private number is in the digits alone (one search at C speed, the usual case) no
        digit run is read one by one.
        """
        if not self.phones or not self._holds_phone(_digits_of(text)):
            return
        for run in phone_runs(text):
            entry = self.phones.get(run.digits)
            if entry is not None:
                yield run, entry

    def _holds_phone(self, digits: str) -> bool:
        """Whether a private number's digits are among ``digits``, side by side.

        Each run of digits as long as a private number is looked up until the digits read so
        far would have paid for one expression of every number (``_phone_digits``): a build
        that searches a few changed files after an edit does not make it.  The same answer
        either way: the expression matches exactly the numbers' digits.
        """
        if self._slid > SLID_PER_PHONE * len(self.phones):
            return self._phone_digits.search(digits) is not None
        self._slid += len(digits)
        phones = self.phones.keys()
        return any(not phones.isdisjoint(_runs(digits, n)) for n in self._lengths)

    @functools.cached_property
    def _phone_digits(self) -> re.Pattern[str]:
        """One pattern of every private number's digits; made when first searched (in the worker that searches)."""
        pattern = _trie(self.phones)
        assert pattern is not None  # only made when there are phones
        return pattern

    def names_in(self, text: str) -> Iterator[tuple[int, PrivateValue]]:
        """(index, value) of each private text found in ``compact`` text ``text``.

        Until ``LOOKED_THROUGH`` characters have been searched, the expression is not compiled: the
        words it matches that ``text`` holds are looked up (``_words_in``) and only they are made an
        expression, which finds in ``text`` what the whole one finds (a word ``text`` does not hold
        matches nowhere in it; at each place the longest word there is matched either way).  A build
        after an edit searches a few parts of files and the check the edited records' texts: neither
        compiles it (~0.5 s at 100,000 issues).
        """
        if self._source is None:
            return
        if "_pattern" in self.__dict__ or self._looked + len(text) > LOOKED_THROUGH:
            pattern = self._pattern
        elif len(text) * len(self.names) <= LOOKED_AS_IS and not any(map(text.__contains__, self.names)):
            return  # a short text (an edited record's title) holds no private name as it is: nothing to find
        else:
            self._looked += len(text)
            pattern = _trie(self._words_in(text))
        if pattern is None:
            return
        for match in pattern.finditer(text):
            entry = self.names.get(match.group())
            if entry is not None and _whole_word(text, match.start(), match.end()):
                yield match.start(), entry

    def _words_in(self, text: str) -> list[str]:
        """The words of the names' expression (private names and the public ones holding one) found in ``text``."""
        short, starts, heads = self._index
        found = [word for n, words in short.items() for word in words.intersection(_runs(text, n))]
        for start in starts.intersection(_runs(text, _HEAD)):
            found.extend(word for word in heads[start] if word in text)
        return found


class _Shared:
    """The search the check made last in this process, and the record set it was made for (weakly held)."""

    records: weakref.ref[Records] | None = None
    search: PrivateSearch | None = None


def share_search(records: Records, search: PrivateSearch) -> None:
    """Leave ``search``, made for exactly ``records``, for ``search_for`` (the build after the check).

    It is let go with the records.
    """

    def forget(gone: weakref.ref[Records]) -> None:
        if _Shared.records is gone:
            _Shared.records, _Shared.search = None, None

    _Shared.records, _Shared.search = weakref.ref(records, forget), search


def search_for(records: Records) -> PrivateSearch:
    """The search for the private values of ``records``: the check's for this very record set, else made now.

    The record sets a build gets from ``check_repository`` are never changed afterwards; the check's
    search is the one made from all of their texts (``tests/publish/test_leak_shared.py``).
    """
    if _Shared.records is not None and _Shared.records() is records and _Shared.search is not None:
        return _Shared.search
    texts = record_texts(records)
    return PrivateSearch(texts.private, texts.public)


# ``_digits_of`` works on the UTF-8 bytes, a few times faster than a substitution on a page: every ASCII character
# but the digits is deleted, and what is left of a character that is not ASCII is its bytes of 0x80 and up.
# The characters U+0080 to U+063F (Latin-1's ·, ×, ÷ …) and U+2000 to U+9FFF (Chinese, its punctuation, dashes)
# hold no decimal digit (``\d``, tested over every code point) and are the ones whose UTF-8 starts with C2 to D8
# and E2 to E9: when every character left is one of them, the digits are the ASCII bytes left
_ASCII_NOT_DIGITS = bytes(b for b in range(0x80) if not 0x30 <= b <= 0x39)
_NOT_ASCII = bytes(range(0x80, 0x100))
# continuation bytes, and the first bytes of U+0080-U+063F and of U+2000-U+9FFF
_NO_DIGIT_BYTES = bytes(range(0x80, 0xC0)) + bytes(range(0xC2, 0xD9)) + bytes(range(0xE2, 0xEA))


def _digits_of(text: str) -> str:
    """Every digit of ``text`` in order, as ASCII (``plaintext.phone_runs`` reads full-width and other digits too)."""
    kept = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_DIGITS)
    if kept.translate(None, _NO_DIGIT_BYTES).isascii():  # no character that could be another script's digit
        return kept.translate(None, _NOT_ASCII).decode("ascii")
    digits = _NON_DIGITS.sub("", text)
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(char)) for char in digits)


def _runs(text: str, length: int) -> Iterator[str]:
    """Every ``length`` characters of ``text`` side by side, at C speed (no Python frame for each)."""
    return map(text.__getitem__, map(slice, range(len(text) - length + 1), range(length, len(text) + 1)))


def _whole_word(text: str, start: int, end: int) -> bool:
    """False when a Latin letter or digit continues the match on either side (``Li`` in ``Lily``)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (_latin(before) and _latin(text[start])) and not (_latin(after) and _latin(text[end - 1]))


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _trie(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``words``, the longest where several start at one place."""
    source = _trie_source(words)
    return re.compile(source) if source is not None else None


def _trie_source(words: Iterable[str]) -> str | None:
    """``_trie``'s expression, not compiled (None: no words)."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(root) if root else None


def _branch(node: dict[str, Any]) -> str:
    """The pattern of a trie node: its longer continuations first, then (optionally) the end."""
    alternatives = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not alternatives:
        return ""
    if "" in node:
        return f"(?:{'|'.join(alternatives)})?"
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
