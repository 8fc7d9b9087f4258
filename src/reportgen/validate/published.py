"""Rules for what the public build will publish: no private data and no phone numbers in public
text, and web addresses that are web addresses.

Every public text of the records (the schema's non-private text fields — an issue's title, a
visit's summary, a bulletin's front matter — and each bulletin's body) is read as a reader sees
it (``plaintext.visible``): a phone number hidden by spaces, +86, full-width digits, zero-width
characters, Markdown emphasis, an HTML comment or entities is still found.  Texts are
searched a few thousand at once; only a text with a finding is read again to say the line and column.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import urlsplit

from reportgen.lang import listed
from reportgen.model import Records
from reportgen.plaintext import FIELD_SEPARATOR, compact, phone_runs, visible, visible_with_offsets
from reportgen.privacy import COMMON_WORDS_NAMED, PrivateSearch, PublicText, record_texts, share_search
from reportgen.problems import Problem, Words
from reportgen.schema.kinds import CONFIG, CONFIG_FILE, KINDS_BY_NAME, URL_FIELDS
from reportgen.validate.locate import Locator

_WEB_SCHEMES = ("http", "https")


def check_published(records: Records, locator: Locator) -> list[Problem]:
    """W603 for a private value in public text, W803 for any other phone number there, E804 for a bad URL."""
    found = record_texts(records)
    search = PrivateSearch(found.private, found.public)
    share_search(records, search)  # the build searches its files with it
    return text_problems(found.public, search, locator) + bad_urls(records, locator)


def text_problems(texts: list[PublicText], search: PrivateSearch, locator: Locator) -> list[Problem]:
    """W603 and W803 in ``texts``: each text's findings depend only on it and on ``search``."""
    return [p for i in sorted(_with_findings(texts, search)) for p in _findings(texts[i], search, locator)]


SEARCHED_AT_ONCE = 5000  # texts joined for one pass: all of them at once held three copies of them (~80 MB at 100k)


def _with_findings(texts: list[PublicText], search: PrivateSearch) -> set[int]:
    """The indices of the texts holding a phone number or a private name: one pass a few thousand texts."""
    found: set[int] = set()
    for start in range(0, len(texts), SEARCHED_AT_ONCE):
        found.update(start + i for i in _found_in(texts[start : start + SEARCHED_AT_ONCE], search))
    return found


def _found_in(texts: list[PublicText], search: PrivateSearch) -> set[int]:
    """``_with_findings`` of ``texts`` searched as one (each text's findings depend on it alone)."""
    shown = visible(FIELD_SEPARATOR.join(t.text for t in texts))
    found = set(_indices(shown, [run.start for run in phone_runs(shown)]))
    names = compact(shown)
    found.update(_indices(names, [at for at, _ in search.names_in(names)]))
    return found


def _indices(joined: str, positions: list[int]) -> Iterator[int]:
    """Which of the joined texts each position lies in."""
    if not positions:
        return
    starts = [match.start() for match in re.finditer(FIELD_SEPARATOR, joined)]
    for at in positions:
        yield bisect.bisect(starts, at)


@dataclass(frozen=True)
class _Found:
    """A phone number or a private name in a public text: where it starts, its code, what to call it."""

    offset: int
    code: str  # W603 (a private value, ``source``: where it was typed) or W803 (another phone number)
    what: str
    source: str = ""


def _findings(text: PublicText, search: PrivateSearch, locator: Locator) -> Iterator[Problem]:
    """The problems of one text: each finding at its place; those at one place (a YAML field's value) said at once.

    A record's field is located by its value, not by what is in it: two phone numbers in one
    description are one W803 naming both, not two at one line and column (one would hide the other).
    """
    places: dict[tuple[int, str], list[_Found]] = {}
    for found in _found(text, search):
        place = found.offset if text.path == "body" else 0
        places.setdefault((place, found.code), []).append(found)
    for (_, code), each in places.items():
        each.sort(key=attrgetter("offset"))  # in the order they are written (phones are read before names)
        offset, what = each[0].offset, _named(found.what for found in each)
        if code == "W803":
            yield _problem(text, offset, locator, code, what=what)
        else:
            source = _named(found.source for found in each)
            yield _problem(text, offset, locator, code, what=what, source=source, words=COMMON_WORDS_NAMED)


def _named(names: Iterable[str]) -> str | Words:
    """Each name once, in order: one as it is, several listed (雷雨、138****0001)."""
    once = list(dict.fromkeys(names))
    return once[0] if len(once) == 1 else listed(once)


def _found(text: PublicText, search: PrivateSearch) -> Iterator[_Found]:
    """Each phone number in ``text`` (W603 when it is a private one, else W803), then each private name."""
    shown, offsets = visible_with_offsets(text.text)
    end = 0
    for run in phone_runs(shown):
        if run.start < end:  # the same digits read again (without +86, or fewer groups)
            continue
        end = run.end
        start = offsets[run.start] - (offsets[run.start] > 0 and text.text[offsets[run.start] - 1] == "+")
        entry = search.phones.get(run.digits)
        if entry is not None:
            yield _Found(start, "W603", entry.shown, entry.file)
        else:
            yield _Found(start, "W803", text.text[start : offsets[run.end - 1] + 1])
    kept = [(char, origin) for char, origin in zip(shown, offsets, strict=True) if compact(char)]
    for at, entry in search.names_in("".join(char for char, _ in kept)):
        yield _Found(kept[at][1], "W603", entry.shown, entry.file)


def _problem(text: PublicText, offset: int, locator: Locator, code: str, **params: str | Words) -> Problem:
    """A problem at ``offset`` of a bulletin's body, or at the field's value in a YAML record."""
    record = text.record
    if text.path == "body":
        body = text.text
        line = record.get("body_line", 1) + body.count("\n", 0, offset)
        column = offset - (body.rfind("\n", 0, offset) + 1) + 1
    else:
        line, column = locator.at(record.file, text.path)
    kind = KINDS_BY_NAME[record.kind]
    where = Words(
        f"{'通报' if record.kind == 'bulletin' else kind.label + '记录'}的“{text.label}”",
        f"the {kind.label_en}'s '{text.path}'",
    )
    return Problem(record.file, line, column, code, {"label": where, **params}, record.id, text.path)


def bad_urls(records: Records, locator: Locator) -> list[Problem]:
    """A web address from the config (``site_url``) must be http:// or https:// with a host."""
    problems = []
    for name in URL_FIELDS:
        value = records.config.get(name)
        if isinstance(value, str) and not _web_address(value):
            field = CONFIG.field(name)
            file = f"{records.root}/{CONFIG_FILE}"
            line, column = locator.at(file, name)
            label = Words(field.label, name) if field else Words(name, name)
            problems.append(Problem(file, line, column, "E804", {"label": label, "value": value}, None, name))
    return problems


def _web_address(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme in _WEB_SCHEMES and bool(parts.hostname) and not any(c.isspace() or c in "<>\"'`" for c in value)
    )
