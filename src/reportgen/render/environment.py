"""The Jinja environment bulletins (and the site) are rendered with."""

from __future__ import annotations

from pathlib import Path

import jinja2

from reportgen.formatting import change, date_zh, month_day_zh, number, percent, yuan
from reportgen.render.markup import markdown_html, markdown_inline
from reportgen.render.wording import ordinal

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def template_environment(user_templates: Path | None) -> jinja2.Environment:
    """Templates from the records repository's own ``templates/`` first, then the package's.

    Autoescaping is on for every template and undefined names are errors; the filters
    write figures the way official documents do.
    """
    search = [str(user_templates)] if user_templates is not None and user_templates.is_dir() else []
    search.append(str(PACKAGE_TEMPLATES))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        date_zh=date_zh,
        month_day_zh=month_day_zh,
        percent=percent,
        number=number,
        change=change,
        yuan=yuan,
        markdown=markdown_html,
        markdown_inline=markdown_inline,
    )
    env.globals["ordinal"] = ordinal
    return env
