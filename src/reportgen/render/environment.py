"""The Jinja environment bulletins (and the site) are rendered with.

Office templates (``templates/`` beside the records) are data from a pull request, so
they run in Jinja's sandbox: a template can show values and call the filters below, but
it cannot reach Python internals (``''.__class__…``, ``cycler.__init__.__globals__``) and
so cannot run commands on the machine that builds the site.
"""

from __future__ import annotations

import contextlib
import shutil
import traceback
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from reportgen.codeversion import code_version
from reportgen.formatting import change, date_zh, month_day_zh, number, percent, yuan
from reportgen.lang import Pair, Phrase, phrase
from reportgen.render.cjk import signature_right
from reportgen.render.markup import markdown_html, markdown_inline
from reportgen.render.wording import ordinal

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
COMPILED = "templates"  # the folder of the compiled templates in a build cache, one folder per code version


def template_environment(user_templates: Path | None, cache: Path | None = None) -> jinja2.Environment:
    """Templates from the records repository's own ``templates/`` first, then the package's.

    Sandboxed; autoescaping is on for every template and undefined names are errors; the
    filters write figures the way official documents do.  With ``cache`` (a build cache
    folder) each template is compiled once and kept there (``compiled_templates``).
    """
    search = [str(user_templates)] if user_templates is not None and user_templates.is_dir() else []
    search.append(str(PACKAGE_TEMPLATES))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=compiled_templates(cache) if cache is not None else None,
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
    env.globals["signature_right"] = signature_right
    return env


def compiled_templates(cache: Path) -> jinja2.BytecodeCache | None:
    """Templates compiled by an earlier build with this code, kept in ``cache`` (None: the folder cannot be made).

    Why: a build after one edit compiled again every template it rendered (0.4 s of a
    100,000-issue rebuild under the profiler).  Jinja keeps a template's compiled code by
    its name and file, and takes it back only for the same source (a SHA-1 of it) and the
    same Python; the folder is named by reportgen's code version and Jinja's, for what else
    shapes the code (this environment's options, Jinja's code generator).  Other folders are removed.
    """
    root = cache / COMPILED
    folder = root / f"{code_version()}-{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    with contextlib.suppress(OSError):
        for other in root.iterdir():
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


# What went wrong in an office's template, said in the language of ``--lang``.
MESSAGES: dict[str, Pair] = {
    "failed": ("模板错误：{place}{why}", "template error: {place}{why}"),
    "security": (
        "模板试图使用内部属性或不允许的功能，出于安全考虑已被禁止；模板只能显示数据，请删去这一处",
        "the template uses an internal attribute or a forbidden feature, blocked for safety; "
        "a template can only show data: remove it",
    ),
    "overflow": ("模板中的循环范围太大，请改小", "a loop in the template runs over too large a range: make it smaller"),
    "not_found": ("找不到模板 {name}", "no template {name}"),
    "undefined": (
        "模板使用了不存在的名字（{message}），请检查拼写",
        "the template uses a name that does not exist ({message}): check its spelling",
    ),
    "as_said": ("{message}", "{message}"),
    "crashed": ("模板运行出错（{message}）", "the template failed ({message})"),
}


def template_failure(exc: BaseException) -> Phrase | None:
    """A mistake made in a template as one located line, or None when no template is to blame.

    The place is the template's file name and line (``templates/bulletin/monthly.html.j2:3: …``):
    of the syntax error, or of the innermost template line the failure passed through.
    """
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return phrase(MESSAGES["failed"], place=f"{exc.filename or exc.name}:{exc.lineno}: ", why=_why(exc))
    place = _template_frame(exc)
    if place is None and not isinstance(exc, jinja2.TemplateError):
        return None
    return phrase(MESSAGES["failed"], place=place + ": " if place else "", why=_why(exc))


def _template_frame(exc: BaseException) -> str | None:
    """``file:line`` of the innermost traceback frame that is a template (Jinja names them after the file)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


def _why(exc: BaseException) -> Phrase:
    if isinstance(exc, SecurityError):
        return phrase(MESSAGES["security"])
    if isinstance(exc, OverflowError):
        return phrase(MESSAGES["overflow"])
    if isinstance(exc, jinja2.TemplateNotFound):
        return phrase(MESSAGES["not_found"], name=exc.name)
    if isinstance(exc, jinja2.UndefinedError):
        return phrase(MESSAGES["undefined"], message=exc.message)
    if isinstance(exc, jinja2.TemplateError):
        return phrase(MESSAGES["as_said"], message=str(exc.message or exc))
    return phrase(MESSAGES["crashed"], message=f"{type(exc).__name__}: {exc}")
