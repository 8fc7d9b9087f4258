"""The office's own font files (``config.fonts``): each must be there and be a font with Chinese characters.

A wrong path would otherwise go unnoticed: the build quietly draws that role with the free
stand-in.  Each problem is located at the ``fonts.<role>`` value in config.yaml.
"""

from __future__ import annotations

from reportgen.model import Records
from reportgen.problems import Problem
from reportgen.validate.locate import Locator


def check_fonts(records: Records, config_file: str | None, locator: Locator) -> list[Problem]:
    """A problem for every configured font file that is missing, unreadable, not a font, or without Chinese."""
    if config_file is None or not records.config.get("fonts"):
        return []
    from reportgen.render.fonts import ROLE_LABELS, configured_fonts, font_fault  # only when fonts are configured

    problems: list[Problem] = []
    for role, path in configured_fonts(records).items():
        fault = font_fault(path)
        if fault is None:
            continue
        where = f"fonts.{role}"
        line, column = locator.at(config_file, where)
        params = {"font": records.config["fonts"][role], "role": ROLE_LABELS[role], "detail": fault.detail}
        problems.append(Problem(config_file, line, column, fault.code, params, None, where))
    return problems
