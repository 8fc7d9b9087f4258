"""``python -m reportgen``."""

from reportgen.cli import console

console()
