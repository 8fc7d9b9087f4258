"""Make the pictures of docs/guide.md: ``check`` output on a copy of the sample with three mistakes, and
page 1 of the September notice.  Run from the repository root: ``.venv/bin/python scripts/guide_images.py``.

Needs Pillow (installed with WeasyPrint), pdftoppm (poppler-utils) and the Noto CJK fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
MONO = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 7)  # Noto Sans Mono CJK SC
# (file under records/, text to replace, replacement): three mistakes a clerk makes
MISTAKES = (
    ("issues/2021-09/Q0029.yaml", "raised: 2021-09-01", "raised: 2021-09-31"),
    ("visits/2021-09/V0034.yaml", "enterprise: E055", "enterprise: E505"),
    ("enterprises/E005.yaml", "\nname:", "\nnmae:"),
)
COLOURS = {"错误": (190, 20, 20), "警告": (170, 100, 0)}


def check_output(work: Path) -> str:
    """``reportgen check records`` on a copy of the sample with ``MISTAKES`` made."""
    shutil.copytree(ROOT / "records", work / "records")
    for rel, old, new in MISTAKES:
        path = work / "records" / rel
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    env = {**os.environ, "REPORTGEN_CACHE_DIR": str(work / "cache")}
    command = [str(ROOT / ".venv" / "bin" / "reportgen"), "check", "records"]
    return subprocess.run(command, cwd=work, capture_output=True, text=True, env=env, check=False).stdout


def terminal_png(text: str, path: Path) -> None:
    """``text`` drawn as a terminal would show it: a prompt line, then the output, errors in red."""
    font = ImageFont.truetype(MONO[0], 15, index=MONO[1])
    lines = ["$ reportgen check records", *text.rstrip("\n").splitlines()]
    width = int(max(font.getlength(line) for line in lines)) + 32
    height = 22 * len(lines) + 24
    image = Image.new("RGB", (width, height), (250, 250, 248))
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        colour = next((c for word, c in COLOURS.items() if f": {word} " in line), (30, 30, 30))
        draw.text((16, 12 + 22 * i), line, font=font, fill=colour if i else (20, 90, 160))
    image.quantize(colors=16).save(path, optimize=True)


def notice_png(work: Path, path: Path) -> None:
    """Page 1 of the September notice, built from the sample records, at 60 dpi."""
    env = {**os.environ, "REPORTGEN_CACHE_DIR": str(work / "cache")}
    command = [str(ROOT / ".venv" / "bin" / "reportgen"), "build", str(ROOT / "records"), "--out", str(work / "out")]
    subprocess.run([*command, "--period", "2021-09", "--kind", "monthly"], check=True, env=env, capture_output=True)
    pdf = work / "out" / "bulletins" / "2021-09-monthly.pdf"
    prefix = work / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)], check=True
    )
    Image.open(f"{prefix}.png").quantize(colors=64).save(path, optimize=True)


def main() -> int:
    """Write docs/images/check.png and docs/images/notice-2021-09.png."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        output = check_output(work)
        print(output)
        terminal_png(output, IMAGES / "check.png")
        notice_png(work, IMAGES / "notice-2021-09.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
