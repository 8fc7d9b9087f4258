"""The validated records: what every stage after ``validate`` works from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class CacheDamaged(Exception):
    """A record's values, read from the check cache when first needed (``validate.lazyrecords``), were not as
    written.  The cache is removed by then, so the command, run again, reads the records from their files
    (``cli._run``, ``publish.build``)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"check cache damaged: {path}")
        self.path = path

    def __reduce__(self) -> tuple[type[CacheDamaged], tuple[str]]:
        """Pickled by its path: a forked child of the build hands its exception back (``render.site.parallel``)."""
        return CacheDamaged, (self.path,)


@dataclass(frozen=True)
class Record:
    """One validated record: its kind, id, the file it came from and its values."""

    kind: str
    id: str
    file: str
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` when the record leaves it out."""
        return self.data.get(key, default)


@dataclass
class Records:
    """All records of one office repository, by kind and id, plus its config."""

    root: Path
    config: dict[str, Any]
    by_kind: dict[str, dict[str, Record]] = field(default_factory=dict)

    def of(self, kind: str) -> dict[str, Record]:
        """Records of ``kind`` by id (empty when there are none)."""
        return self.by_kind.get(kind, {})

    @property
    def enterprises(self) -> dict[str, Record]:
        """助企企业库."""
        return self.of("enterprise")

    @property
    def staff(self) -> dict[str, Record]:
        """助企人员库."""
        return self.of("staff")

    @property
    def teams(self) -> dict[str, Record]:
        """“1+3”工作队伍."""
        return self.of("team")

    @property
    def departments(self) -> dict[str, Record]:
        """责任单位."""
        return self.of("department")

    @property
    def visits(self) -> dict[str, Record]:
        """走访."""
        return self.of("visit")

    @property
    def issues(self) -> dict[str, Record]:
        """问题清单库."""
        return self.of("issue")

    @property
    def rectifications(self) -> dict[str, Record]:
        """整改落实清单."""
        return self.of("rectification")

    @property
    def legal(self) -> dict[str, Record]:
        """法治服务."""
        return self.of("legal")

    @property
    def calendars(self) -> dict[str, Record]:
        """Working-day calendars by year."""
        return self.of("calendar")

    @property
    def bulletins(self) -> dict[str, Record]:
        """通报正文 by id (``2021-09-monthly``)."""
        return self.of("bulletin")
