"""The command line's two languages: every line a command prints is a (Chinese, English) pair.

Each command keeps its own lines in a ``MESSAGES`` table of pairs and says one with
``pick``; an error raised far from the command (git, the new repository's folder) carries
its pair in a ``Said`` and is worded when the command prints it, in the language of
``--lang``.  Chinese is the default: the office reads these messages.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LANGS = ("zh", "en")

Pair = tuple[str, str]  # (Chinese, English), each a str.format template

# The system's reasons an office clerk meets, in plain Chinese; English keeps the system's own words.
OS_REASONS = {
    errno.ENOENT: "找不到这个文件或目录",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘空间配额已用完",
    errno.EROFS: "这个位置只能读，不能写",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ENOTDIR: "路径中有一段是文件，不是目录",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EEXIST: "已经存在",
    errno.ELOOP: "链接绕成了圈",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENXIO: "不是普通文件；请删除它",
}


@dataclass(frozen=True)
class Words:
    """A parameter said differently in each language: where a value is, in office words or in English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh

    def said(self, lang: str) -> str:
        """The words for ``lang``."""
        return self.en if lang == "en" else self.zh


def listed(names: Iterable[object]) -> Words:
    """Names one after another: with "、" in Chinese, ", " in English."""
    shown = tuple(map(str, names))
    return Words("、".join(shown), ", ".join(shown))


def pick(pair: Pair, lang: str, **params: object) -> str:
    """The pair's text in ``lang`` (English for "en", else Chinese), its ``{placeholders}`` filled in.

    A parameter that is itself a ``Phrase`` (or a ``Said`` error) is worded in ``lang`` too.
    """
    zh, en = pair
    worded = {key: _worded(value, lang) for key, value in params.items()}
    return (en if lang == "en" else zh).format(**worded)


def _worded(value: object, lang: str) -> object:
    """A parameter in ``lang`` when it is said in two languages (a ``Phrase``, a ``Said``, ``Words``), else itself."""
    if isinstance(value, Phrase | Said):
        return value.text(lang)
    return value.said(lang) if isinstance(value, Words) else value


def os_reason(exc: OSError, lang: str) -> str:
    """Why the system said no: in plain Chinese for the common reasons, else the system's own words."""
    reason = OS_REASONS.get(exc.errno or 0) if lang != "en" else None
    return reason or exc.strerror or str(exc)


@dataclass(frozen=True)
class Phrase:
    """A pair with its parameters: a value's words, said later in the language of whoever prints them."""

    pair: Pair
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The phrase in ``lang``."""
        return pick(self.pair, lang, **self.params)

    def __str__(self) -> str:
        return self.text("zh")


def phrase(pair: Pair, **params: object) -> Phrase:
    """``pair`` with ``params``, to be worded when it is printed."""
    return Phrase(pair, params)


def counted(pair: Pair, count: int) -> Phrase:
    """``count`` things in words: ``pair`` says ``{n}`` and, for English, ``{s}`` ("1 error", "2 errors")."""
    return phrase(pair, n=count, s="" if count == 1 else "s")


def os_phrase(exc: OSError) -> Phrase:
    """``os_reason`` as a phrase: for an error worded before the language is known."""
    return phrase(("{zh}", "{en}"), zh=os_reason(exc, "zh"), en=os_reason(exc, "en"))


class Said(Exception):
    """An error whose message is a pair, worded in the command's language when it is printed.

    ``str()`` gives the Chinese text, so code that only logs the error still reads well.
    """

    def __init__(self, pair: Pair, **params: object) -> None:
        super().__init__(pick(pair, "zh", **params))
        self.pair, self.params = pair, params

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return pick(self.pair, lang, **self.params)
