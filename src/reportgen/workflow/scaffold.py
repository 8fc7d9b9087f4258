"""``reportgen init``: every file of a new office repository, written all at once or not at all."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from reportgen import __version__
from reportgen.commands.schema import schema_files
from reportgen.schema.kinds import KINDS
from reportgen.workflow.examples import Office, example_records

# Where CI and pre-commit install reportgen from: a placeholder the office replaces once.
REPORTGEN_GIT_URL = "https://git.example.invalid/reportgen/reportgen.git"
REPORTGEN_REV = f"v{__version__}"

# packaged file (src/reportgen/scaffold/) → its path in the new repository
SCAFFOLD_FILES: dict[str, str] = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "github-workflow.yml": ".github/workflows/reportgen.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
}


class InitError(Exception):
    """The repository cannot be created; the message is for the user."""


def scaffold_text(name: str, office: str = "") -> str:
    """A packaged scaffold file with its placeholders filled in."""
    text = (resources.files("reportgen") / "scaffold" / name).read_text("utf-8")
    text = text.replace("@REPORTGEN_GIT_URL@", REPORTGEN_GIT_URL).replace("@REPORTGEN_REV@", REPORTGEN_REV)
    return text.replace("@OFFICE@", office)


def vscode_settings() -> str:
    """``.vscode/settings.json``: each record folder mapped to its JSON Schema, as in reportgen's own repository."""
    schemas: dict[str, list[str]] = {}
    for kind in KINDS:
        if kind.suffix != ".yaml":
            continue
        pattern = "records/config.yaml" if kind.folder == "." else f"records/{kind.folder}/**/*.yaml"
        schemas[f"./schemas/{kind.name}.schema.json"] = [pattern]
    settings = {
        "yaml.schemas": schemas,
        "files.encoding": "utf8",
        "editor.insertSpaces": True,
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2},
    }
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def repository_files(office: Office, today: dt.date) -> dict[str, str]:
    """Path in the new repository → text, for every file ``init`` writes."""
    files = {f"records/{rel}": text for rel, text in example_records(office, today).items()}
    files.update({f"schemas/{name}": text for name, text in schema_files().items()})
    files[".vscode/settings.json"] = vscode_settings()
    for packaged, target in SCAFFOLD_FILES.items():
        files[target] = scaffold_text(packaged, office.name)
    return files


def check_target(target: Path) -> None:
    """``target`` must not exist, or be an empty folder."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InitError(f"{target} 已经存在且不是目录，不会覆盖")
    if target.is_dir() and any(target.iterdir()):
        raise InitError(f"{target} 已经存在且不是空目录；reportgen init 不会覆盖已有的文件，请换一个目录")


def write_repository(target: Path, files: dict[str, str]) -> None:
    """Write every file into a hidden folder beside ``target``, then rename it into place.

    The rename fails when ``target`` has meanwhile become non-empty, so nothing is ever
    overwritten, and an interrupted ``init`` leaves no half-made repository.
    """
    check_target(target)
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=parent))
    try:
        for rel, text in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        os.chmod(staging, 0o755)
        try:
            os.rename(staging, target)
        except OSError as exc:
            raise InitError(f"{target} 已经存在且不是空目录，没有写入任何文件（{exc.strerror or exc}）") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
