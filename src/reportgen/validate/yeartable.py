"""The calendar years each file needs, kept between checks as one text per set of years: read at C speed.

The rules' state (``incremental.RuleState``) keeps, for every file, the years of the
working-day calendar its record needs, so that after an edit only the touched files' years
are found again (``incremental._coverage``).  At 100,000 issues that is 184,000 files but
three sets of years: as a dict of file → years it took ~0.07 CPU s to unpickle, and a pass
over every file to join the years.  Here each set of years keeps its files as one text,
``"\\n" + file + "\\n" + file + … + "\\n"``: a file is found with ``str.find`` and the years of
every file are the sets' own.  Files whose name holds a newline are kept apart, in a dict
(``odd``).  A speed-up only: ``calendars.needed_dates`` says which years a file needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Years = tuple[int, ...]  # a file's years, ascending
FEW = 16  # files looked for in the texts one by one; more: every text split once


@dataclass(frozen=True)
class YearTable:
    """Each file's years (``Years``) by file: the plain ones as lines of their set's text, the others in ``odd``."""

    groups: dict[Years, str] = field(default_factory=dict)  # each set of years: "\n" + its files, each ending "\n"
    odd: dict[str, Years] = field(default_factory=dict)

    @classmethod
    def made(cls, years: Mapping[str, Years]) -> YearTable:
        """The table of ``years`` (file → its years), each set's files in their order."""
        lines: dict[Years, list[str]] = {}
        odd = {}
        for file, needed in years.items():
            if "\n" in file:
                odd[file] = needed
            else:
                lines.setdefault(needed, []).append(file)
        return cls({needed: "\n" + "".join(f + "\n" for f in files) for needed, files in lines.items()}, odd)

    def all_years(self) -> set[int]:
        """Every year some file needs."""
        return set().union(*self.groups, *self.odd.values())

    def of(self, files: Iterable[str]) -> dict[str, Years]:
        """The years of those of ``files`` that need some."""
        wanted = list(files)
        found = {f: self.odd[f] for f in wanted if f in self.odd}
        plain = [f for f in wanted if "\n" not in f]  # a name with a newline could match across lines
        if len(plain) > FEW:
            held = [(needed, set(text.split("\n"))) for needed, text in self.groups.items()]
            found.update((f, needed) for f in plain for needed, names in held if f in names)
            return found
        for file in plain:
            line = f"\n{file}\n"
            found.update((file, needed) for needed, text in self.groups.items() if line in text)
        return found

    def replaced(self, files: set[str], new: dict[str, Years]) -> YearTable:
        """This table with ``files`` taken out, then ``new`` (file → years, of some of ``files``) put in.

        Itself when the files' years are as they were (a title edit): nothing copied.
        """
        was = self.of(sorted(files))
        if was == new:
            return self
        groups, odd = dict(self.groups), dict(self.odd)
        for file, needed in was.items():
            if file in odd:
                del odd[file]
            else:
                groups[needed] = groups[needed].replace(f"\n{file}\n", "\n", 1)
        for file, needed in new.items():
            if "\n" in file:
                odd[file] = needed
            else:
                groups[needed] = groups.get(needed, "\n") + file + "\n"
        return YearTable({needed: text for needed, text in groups.items() if text != "\n"}, odd)
