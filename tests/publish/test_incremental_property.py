"""An incremental build gives exactly the files a cold build of the same records gives.

Random edits (change, add, delete, rename, move between months, a later as-of day) are
applied to a small generated office, round after round; after each round the build that
reuses the last one's state (output, build cache, check cache) is compared byte for byte
with a cold build (empty output, empty caches) of the same records.  An edit that makes
the records invalid is fine as long as both builds refuse it with the same problems; it
is then undone.  The racy window is off, so the fast paths (saved listing, cached file
results) are the ones exercised.  Site pages the last build made from the same key are kept
(the very file, ``publish/pagestore.py``): each round counts the pages kept, and the whole
output, kept files included, must still be the cold build's.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reportgen import filewalk, readahead
from reportgen.publish import serve
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.validate import filecache
from tests.modules import bench_synth

ROUNDS = 6
START_AS_OF = dt.date(2021, 11, 20)  # inside the last generated month: an unfinished period to cut


synth = bench_synth()

SMALL = synth.Scale(
    enterprises=20,
    issues=70,
    visits=30,
    staff=24,
    departments=5,
    teams=3,
    legal=10,
    rectifications=12,
    seed=11,
    start=dt.date(2021, 8, 1),
    months=4,
)


@dataclass
class Office:
    """The records being edited, the as-of day, and how to undo the current round's edits."""

    records: Path
    rng: random.Random
    as_of: dt.date = START_AS_OF
    undo: dict[Path, bytes | None] = field(default_factory=dict)  # path → bytes before the round (None: absent)
    done: list[str] = field(default_factory=list)  # what each edit did, for the failure message
    kept: list[int] = field(default_factory=list)  # HTML pages of the site kept from the last build, each round

    def write(self, path: Path, content: bytes | None) -> None:
        """Write (or, with None, delete) a file, remembering how it was before this round."""
        if path not in self.undo:
            self.undo[path] = path.read_bytes() if path.exists() else None
        if content is None:
            path.unlink()
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    def revert(self) -> None:
        """Undo this round's edits (the as-of day stays)."""
        for path, content in self.undo.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        self.undo.clear()

    def files(self, kind: str) -> list[Path]:
        """The files of one folder (``issues``, ``visits``), in a fixed order."""
        return sorted((self.records / kind).rglob("*.yaml"))

    def unreferenced(self, kind: str) -> list[Path]:
        """Files of ``kind`` whose id no other record names (deleting or renaming one keeps the office valid)."""
        texts = "\n".join(p.read_text("utf-8") for p in sorted(self.records.rglob("*.yaml")))
        return [p for p in self.files(kind) if texts.count(p.stem) == 1]

    def next_id(self, kind: str) -> str:
        """A free id of the folder's kind, one above the highest, as wide as the others."""
        stems = [p.stem for p in self.files(kind)]
        prefix = stems[0].rstrip("0123456789")
        width = len(stems[0]) - len(prefix)
        return f"{prefix}{max(int(s[len(prefix) :]) for s in stems) + 1:0{width}d}"


def _change(office: Office) -> None:
    path = office.rng.choice(office.files("issues"))
    text = path.read_text("utf-8")
    new = re.sub(r"(?m)^title: .*$", f'title: "核实后的问题{office.rng.randrange(1000)}"', text, count=1)
    office.write(path, new.encode("utf-8"))
    office.done.append(f"change {path.name}")


def _add(office: Office) -> None:
    kind = office.rng.choice(["issues", "visits"])
    source = office.rng.choice(office.files(kind))
    new_id = office.next_id(kind)
    text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", source.read_text("utf-8"), count=1)
    office.write(source.with_name(f"{new_id}.yaml"), text.encode("utf-8"))
    office.done.append(f"add {new_id} as a copy of {source.name}")


def _delete(office: Office) -> None:
    path = office.rng.choice(office.unreferenced(office.rng.choice(["issues", "visits"])))
    office.write(path, None)
    office.done.append(f"delete {path.name}")


def _rename(office: Office) -> None:
    kind = office.rng.choice(["issues", "visits"])
    path = office.rng.choice(office.unreferenced(kind))
    new_id = office.next_id(kind)
    text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", path.read_text("utf-8"), count=1)
    office.write(path, None)
    office.write(path.with_name(f"{new_id}.yaml"), text.encode("utf-8"))
    office.done.append(f"rename {path.name} to {new_id}.yaml")


def _move(office: Office) -> None:
    """Every date of an issue or a visit a month later or earlier, the file into that month's folder."""
    path = office.rng.choice(office.files(office.rng.choice(["issues", "visits"])))
    shift = dt.timedelta(days=office.rng.choice([-31, 31]))

    def moved(match: re.Match[str]) -> str:
        return (dt.date.fromisoformat(match.group(0)) + shift).isoformat()

    text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", moved, path.read_text("utf-8"))
    month = re.search(r"(?m)^(?:raised|date): (\d{4}-\d{2})", text)
    assert month is not None
    office.write(path, None)
    office.write(path.parent.parent / month.group(1) / path.name, text.encode("utf-8"))
    office.done.append(f"move {path.name} by {shift.days} days")


def _later_day(office: Office) -> None:
    office.as_of += dt.timedelta(days=office.rng.randrange(1, 20))
    office.done.append(f"as of {office.as_of}")


EDITS: list[Callable[[Office], None]] = [_change, _add, _delete, _rename, _move, _later_day]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _inodes(root: Path) -> dict[str, int]:
    """Each HTML page's inode: a page kept from the last build is the same file."""
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*.html")}


def _problems(result: BuildResult) -> list[dict[str, object]]:
    return [problem.as_dict("en") for problem in result.report.problems]


def prepared(records: Path) -> None:
    """Publish the office's drafts and issue its September notice (frozen by the first build, then corrected)."""
    config = records / "config.yaml"
    config.write_text(config.read_text("utf-8") + "publish_drafts: true\n", "utf-8")
    september = records / "bulletins" / "2021-09-monthly.md"
    september.write_text(september.read_text("utf-8").replace("---\n", "---\nissued: 2021-10-08\n", 1), "utf-8")


def check_rounds(
    office: Office, work: Path, rounds: int, use_cache: Callable[[Path], None], preview: bool = False
) -> int:
    """Build, then ``rounds`` times: edit, build again and compare with a cold build; the rounds compared.

    ``use_cache(folder)`` points the check cache at ``folder``.  With ``preview``, what the next
    build reads first is decoded ahead after each build, as the preview does between saves
    (``serve.warmed``).  An AssertionError names the edits.
    """
    out, cache = work / "output", work / "cache"

    def built(out: Path, cache: Path) -> BuildResult:
        use_cache(cache)
        return build(BuildOptions(office.records, out, pdf=False, as_of=office.as_of))

    def warmed() -> None:
        if preview:
            use_cache(cache)
            serve.warmed(BuildOptions(office.records, out))
            assert len(readahead._kept) == 5, office.done  # the check's four reads and the build's state

    first = built(out, cache)
    assert first.ok, _problems(first)
    assert len(first.bulletins) >= 5, "an office whose bulletins are built"
    compared = 0
    warmed()
    for round_ in range(rounds):
        office.undo.clear()
        for edit in office.rng.sample(EDITS, office.rng.randint(1, 3)):
            edit(office)
        pages = _inodes(out)
        incremental = built(out, cache)
        assert not readahead._kept, office.done  # each read ahead was taken (or found stale) by the build
        cold_out = work / f"cold-{round_}"
        cold = built(cold_out, work / f"cold-cache-{round_}")
        warmed()
        assert _problems(incremental) == _problems(cold), office.done
        assert incremental.ok == cold.ok, office.done
        if not cold.ok:  # both refused the same way; undo the round and go on
            office.revert()
            office.done.append("undone")
            continue
        assert not incremental.unchanged or not office.undo, office.done
        have, expected = _tree(out), _tree(cold_out)
        assert sorted(have) == sorted(expected), office.done
        assert [name for name in expected if have[name] != expected[name]] == [], office.done
        office.kept.append(sum(pages.get(path) == inode for path, inode in _inodes(out).items()))
        compared += 1
    return compared


@pytest.mark.parametrize(("seed", "preview"), [(1, False), (2, False), (1, True)])
def test_incremental_build_equals_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, preview: bool
) -> None:
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    monkeypatch.setattr(filecache, "RACY_NS", 0, raising=False)
    records = tmp_path / "records"
    synth.generate(records, SMALL)
    prepared(records)
    office = Office(records, random.Random(seed))
    compared = check_rounds(
        office, tmp_path, ROUNDS, lambda folder: monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(folder)), preview
    )
    assert compared >= ROUNDS // 2, office.done  # most rounds keep the office valid
    assert sum(office.kept) > 0, office.done  # pages an edit did not touch were kept, and matched the cold build
