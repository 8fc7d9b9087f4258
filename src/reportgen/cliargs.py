"""A Chinese argparse: usage errors, help headings and value checks in the language of the office.

argparse marks every message it prints for translation (it calls ``gettext`` on each
one); ``argparse_messages`` supplies the Chinese catalogue for the duration of a parse.
The parser and formatter subclasses add what a catalogue cannot: the nearest valid
choice after a typo, help lines wrapped by terminal columns (a Chinese character takes
two), and a pointer to ``--help`` after every usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any, ClassVar, NoReturn

from reportgen.formatting import display_width, terminal_safe
from reportgen.lang import LANGS, Pair, pick

# argparse's own messages (the gettext msgids of Python 3.11–3.13) → Chinese.
ZH_MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "后面缺少一个值",
    "expected at most one argument": "后面最多只能有一个值",
    "expected at least one argument": "后面至少要有一个值",
    "expected %s argument": "后面要有 %s 个值",
    "expected %s arguments": "后面要有 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "这个选项不带值，多写了“%s”",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "invalid %(type)s value: %(value)r": "值“%(value)s”无效",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项值“%(value)s”，可选：%(choices)s",
    "unexpected option string: %s": "不认识的选项：%s",
}

# The parser's own lines beyond argparse's, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "error_line": ("{prog}：错误：{message}\n", "{prog}: error: {message}\n"),
    "help_pointer": ("用 {prog} --help 查看全部参数的说明。", "Run {prog} --help for the options."),
    "invalid_choice": ("无效的选项值“{value}”，可选：{choices}", "invalid choice: '{value}' (choose from {choices})"),
    "choice_separator": ("、", ", "),
    "did_you_mean": ("（是否指 {guess}？）", " (did you mean {guess}?)"),
    "guess_separator": (" 或 ", " or "),
    "bounded": (
        "{what}应当是 {minimum} 到 {maximum} 之间的整数，实际写的是“{value}”",
        "{what} must be a whole number from {minimum} to {maximum}, not '{value}'",
    ),
    "at_least": (
        "{what}应当是不小于 {minimum} 的整数，实际写的是“{value}”",
        "{what} must be a whole number of at least {minimum}, not '{value}'",
    ),
}


def _zh_gettext(message: str) -> str:
    return ZH_MESSAGES.get(message, message)


def _zh_ngettext(singular: str, plural: str, n: int) -> str:
    return _zh_gettext(singular if n == 1 else plural)


def nearest_names(value: str, names: Sequence[str]) -> list[str]:
    """The names a mistyped ``value`` probably meant: by the characters shared when it is not plain ASCII
    (问提 → 问题; 不是问题 → none: as a record's value is guessed, ``validate.nearest``), else the one most like it
    by difflib (montly → monthly).

    difflib's likeness of two Chinese words a character apart is 0.5 when they are two long, under the
    0.6 that keeps it from guessing wildly among English names; and it would answer 不是问题 with 问题.
    """
    if not value.isascii():
        from reportgen.validate.nearest import nearest_choices  # only after a typo

        return nearest_choices(value, names)
    import difflib  # only after a typo

    return difflib.get_close_matches(value, names, n=1, cutoff=0.6)


@contextmanager
def argparse_messages(lang: str) -> Iterator[None]:
    """argparse's own messages in ``lang`` while the block runs (English needs nothing).

    argparse looks its messages up through the module-level ``_`` and ``ngettext`` it
    imported from gettext; the Chinese catalogue replaces them for the block and the
    originals come back afterwards, even when parsing ends in ``SystemExit``.
    """
    if lang != "zh":
        yield
        return
    module: Any = argparse
    saved = module._, module.ngettext
    module._, module.ngettext = _zh_gettext, _zh_ngettext
    try:
        yield
    finally:
        module._, module.ngettext = saved


def wrap_columns(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns, broken at spaces where possible.

    A Chinese sentence has no spaces and each character takes two columns; textwrap
    (which argparse uses) counts characters, so its lines run twice as long.  Within a
    run without spaces a line breaks beside a Chinese character (``_pieces``), never inside
    a Latin word, before a closing mark or after an opening one.
    """
    lines: list[str] = []
    for word in text.split():
        if lines and display_width(lines[-1]) + 1 + display_width(word) <= width:
            lines[-1] += " " + word
            continue
        lines.append("")
        for piece in _pieces(word):
            if lines[-1] and display_width(lines[-1] + piece) > width:
                lines.append("")
            lines[-1] += piece
    return lines


_CLOSING = frozenset("，。、；：！？）」』》〉】”’…")  # not at a line's start
_OPENING = frozenset("（「『《〈【“‘")  # not at a line's end


def _pieces(word: str) -> list[str]:
    """``word`` cut where a line may break: beside a two-column character, but not before a closing mark or after an
    opening one (内部版（internal）保留 → 内, 部, 版, （internal）, 保, 留)."""
    pieces = [word[:1]]
    for before, ch in pairwise(word):
        wide = display_width(before) == 2 or display_width(ch) == 2
        if wide and ch not in _CLOSING and before not in _OPENING:
            pieces.append(ch)
        else:
            pieces[-1] += ch
    return pieces


class CliHelpFormatter(argparse.HelpFormatter):
    """Help text wrapped by terminal columns, defaults shown only where the help text says them."""

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        """The usage lines, narrowed until they fit the terminal counted in columns (Chinese names are wide)."""
        actions, width = list(actions), self._width
        try:
            for _ in range(8):
                text = super()._format_usage(usage, actions, groups, prefix)
                excess = max(display_width(line) for line in text.splitlines()) - width
                if excess <= 0 or self._width - excess < 40:
                    return text
                self._width -= excess
            return text
        finally:
            self._width = width

    def _format_action(self, action: argparse.Action) -> str:
        """As argparse does, but the help column is found by terminal columns after a Chinese name."""
        text = super()._format_action(action)
        invocation = " " * self._current_indent + self._format_action_invocation(action)
        extra = display_width(invocation) - len(invocation)
        first, newline, rest = text.partition("\n")
        help_text = first[len(invocation) :].lstrip(" ")
        if extra <= 0 or not first.startswith(invocation) or not help_text:
            return text
        help_position = min(self._action_max_length + 2, self._max_help_position)
        gap = help_position - display_width(invocation)
        first = invocation + (" " * gap if gap >= 2 else "\n" + " " * help_position) + help_text
        return first + newline + rest

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_columns(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap_columns(text, width - len(indent)))


class CliParser(argparse.ArgumentParser):
    """An ArgumentParser whose messages are in ``lang``; subcommand parsers inherit the class."""

    lang: ClassVar[str] = "zh"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", CliHelpFormatter)
        kwargs.setdefault("allow_abbrev", False)  # `--p` must not silently mean `--period` (or `--pdf`)
        with argparse_messages(self.lang):  # the group titles and the help line are made here
            super().__init__(*args, **kwargs)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """An invalid choice lists the valid ones and suggests the nearest."""
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(c) for c in choices]
        choices_text = pick(MESSAGES["choice_separator"], self.lang).join(names)
        message = pick(MESSAGES["invalid_choice"], self.lang, value=value, choices=choices_text)
        guesses = nearest_names(str(value), names)
        if guesses:
            guess = pick(MESSAGES["guess_separator"], self.lang).join(guesses)
            message += pick(MESSAGES["did_you_mean"], self.lang, guess=guess)
        raise argparse.ArgumentError(action, message)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse with argparse's messages in this parser's language."""
        with argparse_messages(self.lang):
            return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """Parse; "unrecognized arguments" is said here, outside ``parse_known_args``."""
        with argparse_messages(self.lang):
            return super().parse_args(args, namespace)

    def format_help(self) -> str:
        """The help text, headings in this parser's language (a Chinese heading ends in a full-width colon)."""
        with argparse_messages(self.lang):
            text = super().format_help()
        if self.lang == "zh":
            for group in self._action_groups:
                text = text.replace(f"\n{group.title}:\n", f"\n{group.title}：\n")
        return text

    def format_usage(self) -> str:
        """The usage line, its prefix in this parser's language."""
        with argparse_messages(self.lang):
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        """Usage, the message, and where to read about the options; exit 2."""
        self.print_usage(sys.stderr)
        line = pick(MESSAGES["error_line"], self.lang, prog=self.prog, message=message)
        self.exit(2, line + pick(MESSAGES["help_pointer"], self.lang, prog=self.prog) + "\n")


class ZhParser(CliParser):
    """Messages in Chinese (the default)."""

    lang = "zh"


class EnParser(CliParser):
    """Messages in English (``--lang en``)."""

    lang = "en"


PARSER_CLASSES: dict[str, type[CliParser]] = {"zh": ZhParser, "en": EnParser}


def take_lang(argv: Iterable[str], default: str = "zh") -> tuple[str, list[str]]:
    """The ``--lang`` value wherever it stands on the line, and the line without it.

    Only a valid value is taken out; anything else stays for the parser to report.
    Nothing after ``--`` is an option.
    """
    lang, rest = default, []
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--":
            rest += tokens[i:]
            break
        if token == "--lang" and i + 1 < len(tokens) and tokens[i + 1] in LANGS:
            lang = tokens[i + 1]
            i += 2
            continue
        if token.startswith("--lang=") and token.split("=", 1)[1] in LANGS:
            lang = token.split("=", 1)[1]
        else:
            rest.append(token)
        i += 1
    return lang, rest


def bounded_int(minimum: int, maximum: int | None, what: Pair, lang: str) -> Callable[[str], int]:
    """A ``type=`` function: a whole number in [minimum, maximum], or a usage error in ``lang``."""
    template = MESSAGES["bounded" if maximum is not None else "at_least"]
    limits = {"what": pick(what, lang), "minimum": minimum, "maximum": maximum}

    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            shown = terminal_safe(text[:40]) + ("…" if len(text) > 40 else "")
            raise argparse.ArgumentTypeError(pick(template, lang, value=shown, **limits))
        return value

    return convert
