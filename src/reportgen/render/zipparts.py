"""A zip archive from deflate streams made in parts, so that a part kept from the last build is joined, not made again.

Why: ``ledger.xlsx``'s sheet is ~80 MB of XML at 100,000 issues; compressing it whole
after any change took ~7 s.  A part compressed on its own and ended with a full flush
(``Z_FULL_FLUSH``: byte-aligned, nothing carried into what follows) can be followed by any
other such part, and the last by a part ended with ``Z_FINISH``: the joined bytes are one
valid deflate stream.  The entry's CRC-32 is combined from the parts' (``crc32_combine``, as
zlib's), so a kept part is never decompressed.

Each piece also inflates on its own (nothing in it refers to what came before), so the
leak search can read an archive this process wrote piece by piece (``pieces``): after one
change it inflates the one piece it has not read before, not the whole sheet.

Every archive is written here, kept parts or not, so that a rebuild and a cold build give
the same bytes: entries in the given order, a fixed time stamp, no extra fields.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_POLY = 0xEDB88320  # CRC-32's polynomial, reflected
# zlib's default: a 2,000-row sheet run compresses in 0.015 s instead of level 9's 0.10 s, ~6 % larger
# (at 100,000 issues, ~5 CPU s of a cold build's ledger.xlsx)
LEVEL = 6


@dataclass(frozen=True)
class Deflated:
    """A piece of an entry: its deflate bytes, and the CRC-32 and length of what they hold."""

    data: bytes
    crc: int
    size: int
    cuts: tuple[int, ...] = ()  # where in ``data`` each piece after the first starts, when ``joined``

    def pack(self) -> bytes:
        """The piece as bytes to keep (``unpack`` reads them back)."""
        return struct.pack("<IQ", self.crc, self.size) + self.data

    @staticmethod
    def unpack(kept: bytes) -> Deflated:
        """A piece kept by ``pack``."""
        crc, size = struct.unpack_from("<IQ", kept)
        return Deflated(kept[12:], crc, size)


def deflate(raw: bytes, last: bool = False) -> Deflated:
    """``raw`` compressed on its own at ``LEVEL``, ended to be followed by another piece (or ``last``)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    data = compressor.compress(raw) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)
    return Deflated(data, zlib.crc32(raw), len(raw))


def _multiply(a: int, b: int) -> int:
    """a × b modulo CRC-32's polynomial (bits reflected), as zlib's ``multmodp``."""
    product, bit = 0, 1 << 31
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return product


def _powers() -> list[int]:
    """x^(2^k) modulo the polynomial for k = 0…63."""
    table, p = [], 1 << 30  # x^1
    for _ in range(64):
        table.append(p)
        p = _multiply(p, p)
    return table


_X2N = _powers()


def crc32_combine(crc1: int, crc2: int, size2: int) -> int:
    """The CRC-32 of A + B from A's CRC, B's CRC and B's length in bytes (zlib's ``crc32_combine``)."""
    factor, k, n = 1 << 31, 3, size2  # x^(8·size2): a byte is 2^3 bits
    while n:
        if n & 1:
            factor = _multiply(_X2N[k % 64], factor)
        n >>= 1
        k += 1
    return _multiply(factor, crc1) ^ crc2


def joined(pieces: Sequence[Deflated]) -> Deflated:
    """One entry's deflate stream from its pieces, in order (every one but the last ended with a full flush)."""
    crc, at, cuts = 0, 0, []
    for piece in pieces:
        crc = crc32_combine(crc, piece.crc, piece.size)
        cuts += [at + cut for cut in piece.cuts]
        if at:
            cuts.append(at)
        at += len(piece.data)
    cuts.sort()
    data = b"".join(piece.data for piece in pieces)
    return Deflated(data, crc, sum(piece.size for piece in pieces), tuple(cuts))


_TIME, _DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01 00:00, the earliest a zip can say
_VERSION = 20  # deflate needs version 2.0
_MADE_BY = 3 << 8 | _VERSION  # made on Unix, so that the permissions below are read
_PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--


# (start, end) in an archive of each deflate piece of an entry, by the entry's name
Layout = dict[str, list[tuple[int, int]]]
# the last archives written here with an entry in several pieces, by id (the archive is held, so the id is its own)
_WRITTEN: OrderedDict[int, tuple[bytes, Layout]] = OrderedDict()
_WRITTEN_KEPT = 4  # a build writes its ledger.xlsx files one at a time; a few more are never looked up


def pieces(archive: bytes) -> Layout | None:
    """Where the pieces of each entry made in several are in ``archive``, when this process wrote it; else None.

    Only the very bytes object ``write_zip`` returned is known (by identity): a copy is not.
    """
    written = _WRITTEN.get(id(archive))
    return written[1] if written is not None and written[0] is archive else None


def write_zip(entries: Iterable[tuple[str, Deflated]]) -> bytes:
    """A zip archive of ``entries`` (name, deflated content), in that order, with fixed times and permissions."""
    out: list[bytes] = []
    central: list[bytes] = []
    layout: Layout = {}
    offset = 0
    for name, entry in entries:
        encoded = name.encode("utf-8")
        flags = 0x800 if not encoded.isascii() else 0  # a UTF-8 name says so
        fields = (flags, 8, _TIME, _DATE, entry.crc, len(entry.data), entry.size, len(encoded))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, *fields, 0) + encoded
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _MADE_BY, _VERSION, *fields, 0, 0, 0, 0, _PERMISSIONS, offset)
            + encoded
        )
        if entry.cuts:
            start = offset + len(local)
            bounds = [start, *(start + cut for cut in entry.cuts), start + len(entry.data)]
            layout[name] = list(itertools.pairwise(bounds))
        out += [local, entry.data]
        offset += len(local) + len(entry.data)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0)
    archive = b"".join(out) + directory + end
    if layout:
        _WRITTEN[id(archive)] = (archive, layout)
        while len(_WRITTEN) > _WRITTEN_KEPT:
            _WRITTEN.popitem(last=False)
    return archive
