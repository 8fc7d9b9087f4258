"""The leak search of a page read line by line: a row written on many pages is read once per process.

An auditor can skip this module: it finds in a page exactly what ``leakscan`` finds reading
the page whole, only without reading a line again that the process has read already.  At
10,000 issues the site's HTML is 83 MB, of which 13 MB are distinct lines: an issue's row is
on its ledger month's page, its department's and team's pages and in each list it belongs to.

A page is cut into pieces after each line that ends with a tag (``>`` and a line end) and is
followed by a line that starts with a space or a tag.  What the search finds in a piece read
alone is remembered by its bytes (``Rows``).  A cut is where nothing can be read across it:

- no tag, entity or comment crosses it (a tag ends at the ``>``; a page with a comment is read
  whole), and what follows it starts with an ASCII character, which NFKC never joins to the
  character before: so the page's visible text is its pieces' visible texts, end to end;
- no phone number: the last character before it that may not stand inside a phone number and
  the first after it are not both digits (``plaintext.PHONE_GAPS``);
- no name: the last character of the piece and the first of the next, with what can stand
  between a name's characters removed, are no two characters side by side in any name the
  search matches (``PrivateSearch.pairs``), nor both Latin letters or digits (``_whole_word``);
- no attribute value (``leakscan._ATTRIBUTE``): the last ``"`` and the last ``'`` of the piece
  are not after an ``=`` (so neither can open a value the next piece would close).

A piece with nothing on a side to test (only spaces and tags, say ``</tbody>``) is read
together with the next one; so is each piece next to a cut that is not safe.  What is found
in a page is then the union of what is found in its runs of pieces, each read alone.
"""

from __future__ import annotations

import bisect
import itertools
import re
import weakref
import zlib
from collections.abc import Callable, Collection, Iterable

from reportgen.plaintext import FIELD_SEPARATOR, PHONE_EDGE, PHONE_SHORTEST, compact, visible
from reportgen.privacy import PrivateSearch

_LINE_END = b">\n"
_NOT_CUT = re.compile(rb">\n[^ \t\n\r\f\v<]")  # a line after a tag's end that starts otherwise: read whole
_DIGIT = re.compile(r"\d")
_OPENS = re.compile(r"=\s*\Z")
_NOTHING: frozenset[str] = frozenset()

# A piece's code: 0 when nothing in it can join (only spaces, tags and what may stand between a phone number's
# digits or a name's characters: its neighbours are tested as if side by side); else what can join at each side.
# A cut is not safe when a bit of the last side meets its bit of the first side (shifted by ``_SIDE``)
_PAIR_LAST, _NAME_END, _LATIN_LAST = 1, 2, 4  # its last: the first of a pair, Latin ending a name, Latin
_PAIR_FIRST, _LATIN_FIRST, _NAME_START = 16, 32, 64  # its first: the second of a pair, Latin, Latin starting a name
_SIDE, _LAST_SIDE = 4, 7
_SEALED = 128  # something on both sides can be tested (a piece of only spaces and tags is 0)
_JOINED = 256  # only digits and what may stand between them, or a gap only one reading skips: read with both sides
_HEAD, _TAIL = 16, 24  # the shifts of the counts of digits a phone number could read at its start and at its end
_OPEN = -1  # its last quote may open an attribute value: the page is read whole

# past 3/4 of a part's size, a part of a page ends after a line whose CRC-32 is a multiple of this (each line tested
# costs: after one change every big page rewritten is cut again, and 8 tested twice as many)
_PART_LINES = 4

# ``leakscan``'s reading of markup texts, each apart: (each one's visible text, the search keys found in any)
Reader = Callable[[list[str]], tuple[list[str], Collection[str]]]
_Entry = tuple[frozenset[str], int, str]  # what a piece read alone holds, its code, its first and last characters


class ReadWhole(Exception):
    """A part of a page holds a piece that may open an attribute value: the page is read whole, not by parts."""


class Rows:
    """What the search found in each piece of markup read so far in this process, by the piece's bytes."""

    def __init__(self, search: PrivateSearch) -> None:
        self.pairs = search.pairs
        self._firsts = frozenset(pair[0] for pair in search.pairs)
        self._seconds = frozenset(pair[1] for pair in search.pairs)
        self._starts = frozenset(name[0] for name in search.names)
        self._ends = frozenset(name[-1] for name in search.names)
        self._pieces: dict[bytes, _Entry] = {}  # a line without the ``>`` and line end it is cut after
        # the pieces whose code is ``_OPEN``, and those in which something was found: a page's lines are looked
        # up among them at C speed, not entry by entry (at 100,000 issues a cold build's pages have 8 million lines)
        self._open: set[bytes] = set()
        self._found: set[bytes] = set()
        self._coded: dict[bytes, tuple[int, str]] = {}  # the codes of lines not read (``keys_since``)

    def keys(self, data: bytes, read: Reader, part: bool = False) -> list[str] | None:
        """The search keys found in the markup ``data`` (None: not UTF-8), as ``read`` finds them in the whole.

        ``data`` must hold no comment (``<!--``): one may go across any line.  ``part``: ``data`` is one
        of a page's ``parts``; ``ReadWhole`` when the page must be read whole (an attribute value may
        go on into another part).
        """
        lines = data.split(_LINE_END)
        if lines.pop() or _NOT_CUT.search(data) or FIELD_SEPARATOR.encode() in data:
            return self._whole(data, read)  # not ended by a tag and a line end, a line starts otherwise, or odd
        try:
            entries = list(map(self._pieces.__getitem__, lines))
        except KeyError:  # lines not read yet in this process (a cold build's page read in parts has none)
            if not self._read(self._unread(lines), read):
                return None
            entries = list(map(self._pieces.__getitem__, lines))
        if not self._open.isdisjoint(lines):
            if part:
                raise ReadWhole
            return self._whole(data, read)
        spans = self._runs(entries)
        runs = [_LINE_END.join(lines[first : last + 1]) for first, last in spans]
        self._read(self._unread(runs), read, edges=False)
        found: set[str] = set()
        for run in runs:
            found |= self._pieces[run][0]
        if not self._found.isdisjoint(lines):  # the lines outside the runs that hold something found
            inside = {at for first, last in spans for at in range(first, last + 1)}
            for at, (keys, _, _) in enumerate(entries):
                if keys and at not in inside:
                    found |= keys
        return sorted(found)

    def keys_since(self, data: bytes, read: Reader, before: Before, part: bool = False) -> list[str] | None:
        """``keys``, reading only what ``before`` (the last build's page, nothing found in it) did not hold alike.

        Every line's code is worked out (its visible text, no search): so the page's runs are known.
        A run, or a line outside the runs, that was a run or such a line of ``before`` too was read by
        the last build and found nothing; only the others are searched.  After one changed row of a
        ledger page, a row or two of a part are searched instead of the part's hundred.
        """
        lines = data.split(_LINE_END)
        if lines.pop() or _NOT_CUT.search(data) or FIELD_SEPARATOR.encode() in data:
            return self._whole(data, read)
        codes = self._codes(lines)
        if codes is None:
            return None
        if any(code == _OPEN for code, _ in codes):
            if part:
                raise ReadWhole
            return self._whole(data, read)
        units = _units(len(lines), self._runs([(_NOTHING, code, ends) for code, ends in codes]))
        new = self._not_held(before, lines, codes, units)
        ones = [lines[first] for first, last in new if first == last]
        runs = [_LINE_END.join(lines[first : last + 1]) for first, last in new if first < last]
        if not self._read(self._unread(ones), read) or not self._read(self._unread(runs), read, edges=False):
            return None  # not reached: every line decoded as its code was worked out
        found: set[str] = set()
        for first, last in units:
            entry = self._pieces.get(_LINE_END.join(lines[first : last + 1]))
            if entry is not None:  # None: a unit ``before`` held alike, nothing found in it
                found |= entry[0]
        return sorted(found)

    def _not_held(
        self, before: Before, lines: list[bytes], codes: list[tuple[int, str]], units: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """The ``units`` of a page's ``lines`` not read in this process that were no unit of ``before``.

        Most stand in ``before`` with the lines around them out to the nearest with text on each side,
        in the same order one after the other: their runs were the same there (told at once from where
        each line first is in ``before``).  The others, near a changed line or a part's edge, are looked
        up one by one (``_was_unit``).
        """
        # since[k]: where the stretch of lines ending at k that stands in ``before`` one after the other starts
        since: list[int] = []
        shift = None
        for at, place in enumerate(before.places(lines)):
            held = place is not None and place - at == shift
            shift = None if place is None else place - at
            since.append(since[-1] if held else at if place is not None else at + 1)
        texts = [at for at, (code, _) in enumerate(codes) if code]  # the lines with text, which ``_runs`` joins
        new = []
        for first, last in units:
            if _LINE_END.join(lines[first : last + 1]) in self._pieces:
                continue
            left, right = bisect.bisect_left(texts, first), bisect.bisect_right(texts, last)
            if left > 0 and right < len(texts) and since[texts[right]] <= texts[left - 1]:
                continue
            if not self._was_unit(before, lines[first : last + 1]):
                new.append((first, last))
        return new

    def _codes(self, lines: list[bytes]) -> list[tuple[int, str]] | None:
        """The code and the first and last characters of each line (None: one is not UTF-8); no search.

        The lines not read yet are made visible in one go (as ``_read``), their codes kept in ``_coded``.
        """
        coded = self._coded
        unread = [line for line in dict.fromkeys(lines) if line not in self._pieces and line not in coded]
        if unread:
            try:
                texts = [(line + _LINE_END).decode("utf-8") for line in unread]
            except UnicodeDecodeError:
                return None
            shown = visible(FIELD_SEPARATOR.join(texts)).split(FIELD_SEPARATOR)
            for line, text, each in zip(unread, texts, shown, strict=True):
                coded[line] = self._code(text, each)
        pieces = self._pieces
        return [(entry[1], entry[2]) if (entry := pieces.get(line)) is not None else coded[line] for line in lines]

    def _was_unit(self, before: Before, lines: list[bytes]) -> bool:
        """Whether ``lines`` (a run, or one line outside the runs, of this build's page) were one in ``before`` too.

        They are found where their first line first is in ``before``; what makes them a unit there is
        their own codes and those of the nearest lines with text on each side (``_runs``).
        """
        first = before.at.get(lines[0])
        last = first + len(lines) - 1 if first is not None else -1
        if first is None or before.lines[first : last + 1] != lines:
            return False
        start, end = first, last  # out to the nearest line with text on each side (or the page's first and last)
        while start > 0 and self._blank(before.lines[start - 1]):
            start -= 1
        while end + 1 < len(before.lines) and self._blank(before.lines[end + 1]):
            end += 1
        start, end = max(start - 1, 0), min(end + 1, len(before.lines) - 1)
        window = [self._line_code(line) for line in before.lines[start : end + 1]]
        codes = [(_NOTHING, code[0], code[1]) for code in window if code is not None]
        if len(codes) < len(window):  # a line not UTF-8, or that may open an attribute value: not as ``keys`` read
            return False
        return (first - start, last - start) in _units(len(codes), self._runs(codes))

    def _blank(self, line: bytes) -> bool:
        """Whether ``line`` has nothing a run may join (code 0): ``_runs`` looks past it."""
        code = self._line_code(line)
        return code is not None and code[0] == 0

    def _line_code(self, line: bytes) -> tuple[int, str] | None:
        """One line's code and first and last characters, kept (None: not UTF-8, or it may open an attribute value)."""
        code = self._coded.get(line)
        if code is None:
            code = self._piece_code(line)
            if code is None:
                return None
            self._coded[line] = code
        return None if code[0] == _OPEN else code

    def learn(self, parts: list[bytes], read: Reader) -> None:
        """Read the lines of several ``parts`` of a page not read yet in one go, as ``keys`` reads a page's.

        ``keys`` then reads each part's runs only: a page searched in parts costs what it cost whole.
        """
        self._read(self._unread(itertools.chain.from_iterable(part.split(_LINE_END)[:-1] for part in parts)), read)

    def _unread(self, pieces: Iterable[bytes]) -> list[bytes]:
        """The distinct ``pieces`` not read yet, in order (looked up at C speed: every line of every page)."""
        return list(itertools.filterfalse(self._pieces.__contains__, dict.fromkeys(pieces)))

    def _read(self, pieces: list[bytes], read: Reader, edges: bool = True) -> bool:
        """Read ``pieces`` (each with the ``>`` and line end after it) and keep their entries; False: not UTF-8.

        They are read as one text, each apart (``read``); only when something is found there is each read alone.
        ``edges``: work out each one's code (a run of pieces is never cut again: it needs none).
        """
        if not pieces:
            return True
        try:
            texts = [(piece + _LINE_END).decode("utf-8") for piece in pieces]
        except UnicodeDecodeError:
            return False
        shown, keys = read(texts)
        found = [read([text])[1] for text in texts] if keys else [()] * len(texts)
        for piece, text, each, keys_in in zip(pieces, texts, shown, found, strict=True):
            code, ends = self._code(text, each) if edges else (0, "")
            self._pieces[piece] = (frozenset(keys_in) if keys_in else _NOTHING, code, ends)
            if code == _OPEN:
                self._open.add(piece)
            if keys_in:
                self._found.add(piece)
        return True

    def _code(self, text: str, shown: str) -> tuple[int, str]:
        """The code of a piece ``text`` whose visible text is ``shown``, and its first and last characters."""
        if _opens(text, '"') or _opens(text, "'"):  # not a generator: once for each line read
            return _OPEN, ""
        head = PHONE_EDGE.match(shown)
        tail = PHONE_EDGE.match(shown[::-1])
        assert head is not None and tail is not None  # the pattern matches nothing too
        names = compact(shown)
        if head.end() == len(shown):  # nothing but digits and what may stand between them (no name: not even those)
            return 0 if not names else _JOINED, ""
        first, last = names[0], names[-1]
        latin_first, latin_last = _latin(first), _latin(last)
        digits = len(_DIGIT.findall(head.group())), len(_DIGIT.findall(tail.group()))
        return (
            _SEALED
            | (_PAIR_LAST if last in self._firsts else 0)
            | (_NAME_END if latin_last and last in self._ends else 0)
            | (_LATIN_LAST if latin_last else 0)
            | (_PAIR_FIRST if first in self._seconds else 0)
            | (_LATIN_FIRST if latin_first else 0)
            | (_NAME_START if latin_first and first in self._starts else 0)
            | min(digits[0], 255) << _HEAD
            | min(digits[1], 255) << _TAIL
        ), first + last

    def _runs(self, entries: list[_Entry]) -> list[tuple[int, int]]:
        """(first, last) of each run of two pieces or more that must be read as one: a cut in it is not safe."""
        runs = []
        first = last = -1
        before, ends = 0, ""
        for at, (_, code, edges) in enumerate(entries):
            if not code:
                continue
            meet = before & (code >> _SIDE) & _LAST_SIDE  # written out, not called: once for each piece of every page
            if last >= 0 and (
                meet & ~_PAIR_LAST
                or (before | code) & _JOINED
                or (before >> _TAIL) + (code >> _HEAD & 255) >= PHONE_SHORTEST
                or (meet and ends[-1] + edges[0] in self.pairs)
            ):
                last = at
            else:
                if last > first:
                    runs.append((first, last))
                first = last = at
            before, ends = code, edges
        if last > first:
            runs.append((first, last))
        return runs

    def parts(self, data: bytes, size: int, read: Reader | None = None) -> list[bytes]:
        """A big page in parts of about ``size`` bytes that find, each read by ``keys(part=True)``, what it finds.

        Each part ends after a line that ends with a tag and is cut from the next line as ``_runs``
        cuts (both lines have text, and nothing joins them): so no run of pieces crosses it and the
        page's findings are its parts' findings together, unless a piece may open an attribute value
        (``keys`` then raises ``ReadWhole``).  Past 3/4 of ``size`` a line whose CRC-32 is a multiple of
        ``_PART_LINES`` picks the cut, past ``4 * size`` any line: where the parts end depends on the
        lines' own bytes, so a changed line changes its own part (the leak memo knows the others).
        A page ``keys`` reads whole (a line that starts otherwise, ``FIELD_SEPARATOR``) is one part.
        ``read``: every part will be read (a cold build): the page's lines are read first, in one go, and
        each cut is tested with what was read instead of reading the lines beside it again.
        """
        if not data.endswith(_LINE_END) or _NOT_CUT.search(data) or FIELD_SEPARATOR.encode() in data:
            return [data]
        if read is not None:
            self.learn([data], read)
        parts, start = [], 0
        while len(data) - start > size:
            end = self._cut(data, start, size)
            if end < 0:
                break
            parts.append(data[start:end])
            start = end
        parts.append(data[start:] if start else data)
        return parts

    def _cut(self, data: bytes, start: int, size: int) -> int:
        """Where the part from ``start`` ends (after a line's ``>`` and line end); -1: nowhere past 3/4 of ``size``."""
        view = memoryview(data)
        end = data.find(_LINE_END, start + size * 3 // 4)  # each line tested past it costs (a cold build: every page)
        before = data.rfind(_LINE_END, start, end) if end >= 0 else -1
        line = start if before < 0 else before + len(_LINE_END)  # where the line ``end`` ends starts
        while end >= 0:
            end += len(_LINE_END)
            following = data.find(_LINE_END, end)
            if following < 0:
                return -1  # the last line: nothing after it to cut from
            picked = zlib.crc32(view[line:end]) % _PART_LINES == 0 or end - start >= 4 * size
            if picked and self._cuttable(data[line : end - len(_LINE_END)], data[end:following]):
                return end
            line, end = end, following
        return -1

    def _cuttable(self, before: bytes, after: bytes) -> bool:
        """Whether ``keys`` never reads the piece ``before`` with the piece ``after`` (each without its line end)."""
        first, second = self._piece_code(before), self._piece_code(after)
        if first is None or second is None:
            return False
        (code, ends), (next_code, edges) = first, second  # two pieces with text that ``_runs`` keeps apart
        return code > 0 and next_code > 0 and not self._runs([(_NOTHING, code, ends), (_NOTHING, next_code, edges)])

    def _piece_code(self, piece: bytes) -> tuple[int, str] | None:
        """The code and the first and last characters of ``piece``: as read, or worked out (None: not UTF-8)."""
        entry = self._pieces.get(piece)
        if entry is not None:
            return entry[1], entry[2]
        try:
            text = (piece + _LINE_END).decode("utf-8")
        except UnicodeDecodeError:
            return None
        return self._code(text, visible(text))

    def _whole(self, data: bytes, read: Reader) -> list[str] | None:
        """The keys found in ``data`` read as one text (None: not UTF-8)."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return sorted(read([text])[1])


class Before:
    """The last build's version of a page, read line by line by its search, which found nothing in it.

    What ``keys_since`` needs: the page's lines (``_LINE_END`` cut off) and where each first is.
    ``of`` makes one only when every unit of the page (a run, or a line outside the runs) was read
    by the last build, alone, and so found nothing: the page was read as ``keys`` reads it.
    """

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        # each line's first and last place (the last one written into the dict wins), at C speed
        self.at = dict(zip(reversed(lines), range(len(lines) - 1, -1, -1), strict=True))
        self._last = dict(zip(lines, range(len(lines)), strict=True))

    def places(self, lines: list[bytes]) -> list[int | None]:
        """Where each of a page's ``lines`` stands in this one, when in a stretch that stands here alike (else None).

        A stretch starts at a line written once here (a row's ``<tr id=…>``) and goes on while the
        lines follow one another here too, then back from its start the same way: a page's rows
        repeat many lines (``</tr>``, an empty cell), which alone say nothing of where they are.
        """
        places: list[int | None] = []
        old, count = self.lines, len(self.lines)
        place: int | None = None
        for line in lines:
            if place is not None and place < count and old[place] == line:
                places.append(place)
            else:
                first = self.at.get(line)
                place = first if first is not None and first == self._last[line] else None
                places.append(place)
            place = None if place is None else place + 1
        for at in range(len(lines) - 1, 0, -1):  # each stretch back from its start
            after = places[at]
            if after is not None and places[at - 1] is None and after > 0 and old[after - 1] == lines[at - 1]:
                places[at - 1] = after - 1
        return places

    @classmethod
    def of(cls, data: bytes, in_parts: bool) -> Before | None:
        """The page ``data`` (the last build found nothing in it) if ``keys`` read it by its runs; else None.

        ``in_parts``: the last build searched it in ``Rows.parts`` (the memo kept them, each one's text
        with nothing found in it): so it was cut into runs, no part was read whole (``ReadWhole``:
        no line may open an attribute value) and each is UTF-8.  A page searched whole is looked at here.
        """
        if not in_parts:
            if b"<!--" in data or not data.endswith(_LINE_END) or _NOT_CUT.search(data):
                return None
            if FIELD_SEPARATOR.encode() in data:
                return None
            try:  # a part not UTF-8 found nothing, unread: its units were never searched
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return None
            if any(_opens(line, '"') or _opens(line, "'") for line in text.split(">\n")):
                return None
        lines = data.split(_LINE_END)
        lines.pop()
        return cls(lines)


def _units(count: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(first, last) of each unit of ``count`` pieces read alone: each of ``spans``, and each piece outside them."""
    units: list[tuple[int, int]] = []
    at = 0
    for first, last in spans:
        units.extend((one, one) for one in range(at, first))
        units.append((first, last))
        at = last + 1
    units.extend((one, one) for one in range(at, count))
    return units


def _opens(text: str, quote: str) -> bool:
    """Whether the last ``quote`` of ``text`` follows an ``=`` (it may open an attribute value)."""
    at = text.rfind(quote)
    return at >= 0 and _OPENS.search(text, 0, at) is not None


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


_ROWS: weakref.WeakKeyDictionary[PrivateSearch, Rows] = weakref.WeakKeyDictionary()


def rows_for(search: PrivateSearch) -> Rows:
    """The pieces read in this process for ``search`` (kept while the search is)."""
    rows = _ROWS.get(search)
    if rows is None:
        rows = _ROWS[search] = Rows(search)
    return rows
