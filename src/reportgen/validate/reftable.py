"""What each file's record refers to, kept between checks as one text: read and searched at C speed.

The rules' state (``incremental.RuleState``) keeps, for every file, the kinds and ids its
record refers to, so that a change finds the files that refer to a changed id.  At 100,000
issues that is 187,000 files: as a dict of tuples it took ~0.2 CPU s to unpickle and a
Python pass to search after every edit.  Here it is one text, a line per file:
``"\\n" + file + "\\0" + kind + "\\0" + id + "\\0" …`` (every field ends with a NUL), so an
id is found with ``str.find`` (~7 ms for the whole text) and only the lines found are read
in Python.  Files whose name or references hold a NUL or a newline are kept apart, in a
dict (``odd``), and searched as before.  A speed-up only: ``crossref.record_refs`` says what
a record refers to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from reportgen.validate.crossref import Refs

FEW = 16  # ids (or changed files) looked for in the text one by one; more: every line read at once


def _line(file: str, refs: Refs) -> str:
    """One file's line: a newline, then its name and each kind and id, each ending with a NUL."""
    return "\n" + "\0".join((file, *refs)) + "\0"


def _plain(text: str) -> bool:
    """Whether ``text`` can stand in a line (no NUL, no newline: they frame the fields)."""
    return "\0" not in text and "\n" not in text


@dataclass(frozen=True)
class RefTable:
    """Each file's references (``Refs``) by file: the plain ones as lines of ``text``, the others in ``odd``."""

    text: str = ""
    odd: dict[str, Refs] = field(default_factory=dict)

    @classmethod
    def made(cls, refs: Iterable[tuple[str, Refs]]) -> RefTable:
        """The table of ``refs`` (file, its references), in their order."""
        pairs = list(refs)
        text = "".join([_line(file, found) for file, found in pairs])
        fields = sum(map(len, (found for _, found in pairs))) + len(pairs)
        if text.count("\n") == len(pairs) and text.count("\0") == fields:  # no field holds a frame: as good as always
            return cls(text)
        plain = [all(map(_plain, (file, *found))) for file, found in pairs]
        text = "".join([_line(file, found) for (file, found), ok in zip(pairs, plain, strict=True) if ok])
        return cls(text, {file: found for (file, found), ok in zip(pairs, plain, strict=True) if not ok})

    def pairs(self) -> Iterator[tuple[str, Refs]]:
        """Every (file, references): the lines', then the odd ones'."""
        lines = ((fields[0], tuple(fields[1:-1])) for fields in map(_fields, self.text.split("\n")[1:]))
        return chain(lines, self.odd.items())

    def referrers(self, ids: set[str]) -> set[str]:
        """The files whose record refers to one of ``ids`` (as an id, not a kind)."""
        if len(ids) > FEW:
            return {file for file, found in self.pairs() if not ids.isdisjoint(found[1::2])}
        text, referring = self.text, set()
        for wanted in filter(_plain, ids):
            needle = f"\0{wanted}\0"
            at = text.find(needle)
            while at >= 0:  # a line holding it: read that line alone (the id may stand where a kind does)
                start, end = text.rfind("\n", 0, at), text.find("\n", at)
                end = len(text) if end < 0 else end
                fields = _fields(text[start + 1 : end])
                if wanted in fields[2:-1:2]:
                    referring.add(fields[0])
                at = text.find(needle, end)
        referring.update(file for file, found in self.odd.items() if not ids.isdisjoint(found[1::2]))
        return referring

    def replaced(self, changed: Iterable[str], new: dict[str, Refs]) -> RefTable:
        """This table with the files ``changed`` taken out, then ``new`` (file, references) put in: a file that
        had a line keeps its place, others come last (so an edit that keeps the references keeps the text).
        """
        redone = set(changed) | new.keys()
        if len(redone) > FEW:  # every line read once, rather than the text searched for each file
            placed = {file: new.get(file, found) for file, found in self.pairs() if file in new or file not in redone}
            return RefTable.made([*placed.items(), *((f, r) for f, r in new.items() if f not in placed)])
        text, odd = self.text, dict(self.odd)
        for file in redone:
            at = text.find(f"\n{file}\0") if file not in odd and _plain(file) else -1
            odd.pop(file, None)
            end = text.find("\n", at + 1) if at >= 0 else -1
            end = len(text) if end < 0 else end  # its line's end: the next line's start, or the text's end
            line = ""
            if file in new and all(map(_plain, (file, *new[file]))):
                line = _line(file, new[file])
            elif file in new:
                odd[file] = new[file]
            if at < 0:
                text += line
            elif text[at:end] != line:  # one copy of the text, none when the line is as it was (a title edit)
                text = text[:at] + line + text[end:]
        return RefTable(text, odd)


def _fields(line: str) -> list[str]:
    """A line's fields: its file, then each kind and id, then the empty text after the last NUL."""
    return line.split("\0")
