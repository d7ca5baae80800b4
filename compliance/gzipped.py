"""A gzip response stitched from parts compressed at different times.

A large part of a page that many people are shown alike (the scorecard) is compressed once, when it is built, as a
raw deflate stream flushed to a byte boundary (`Z_SYNC_FLUSH`) and never finished; the small parts around it that
differ per person (the header's bell, the CSRF token, the tasks panel) are compressed on each request the same way.
Deflate streams so flushed can follow one another, each back-reference staying within its own part, so the response
is the gzip header, the parts in turn, one empty final block, and the CRC-32 and length of the whole: the CRC of the
stored part is combined with the others' (`crc32_combine`) rather than computed again over its bytes.
"""

import zlib
from typing import NamedTuple

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown system
FINAL_BLOCK = b"\x03\x00"  # an empty fixed-Huffman block marked last
LEVEL = 6
_POLY = 0xEDB88320  # CRC-32, reflected


class Deflated(NamedTuple):
    """A part compressed ahead of time: its raw deflate stream, the CRC-32 and length of its bytes, and what a CRC
    before it is multiplied by to be carried past them (`_x8nmodp(size)`, worked out once)."""

    stream: bytes
    crc: int
    size: int
    shift: int


def deflate(data: bytes, *, level: int = LEVEL) -> Deflated:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Deflated(compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH), zlib.crc32(data), len(data),
                    _x8nmodp(len(data)))


def _multmodp(a: int, b: int) -> int:
    """a × b modulo the CRC polynomial, both reflected (zlib's multmodp)."""
    m, product = 1 << 31, 0
    while True:
        if a & m:
            product ^= b
            if not a & (m - 1):
                return product
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _powers() -> list[int]:
    table = [1 << 30]  # x^1; then x^2, x^4, … x^(2^31)
    for _ in range(31):
        table.append(_multmodp(table[-1], table[-1]))
    return table


_X2N = _powers()


def _x8nmodp(length: int) -> int:
    """x^(8 × length) modulo the polynomial: what shifting a CRC past `length` bytes of zeros multiplies it by."""
    power, k = 1 << 31, 3
    while length:
        if length & 1:
            power = _multmodp(_X2N[k & 31], power)
        length >>= 1
        k += 1
    return power


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from the CRC of A, the CRC of B and the length of B (zlib's crc32_combine)."""
    return _multmodp(_x8nmodp(length2), crc1) ^ crc2


def deflated_join(parts: list[Deflated]) -> Deflated:
    """Parts compressed apart as one: their streams in turn, the CRC and the shift carried across each."""
    crc, size, shift = 0, 0, 1 << 31  # x^0: no shift
    for part in parts:
        crc = _multmodp(part.shift, crc) ^ part.crc
        size += part.size
        shift = _multmodp(part.shift, shift)
    return Deflated(b"".join(part.stream for part in parts), crc, size, shift)


def gzip_stitch(parts: list[bytes | Deflated], *, level: int = LEVEL) -> bytes:
    """One gzip member of the parts in turn: bytes are compressed here, `Deflated` parts are copied as stored."""
    out, crc, size = [GZIP_HEADER], 0, 0
    for part in parts:
        if isinstance(part, Deflated):
            out.append(part.stream)
            crc = _multmodp(part.shift, crc) ^ part.crc  # crc32_combine, the shift worked out when it was stored
        else:
            compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
            out.append(compressor.compress(part) + compressor.flush(zlib.Z_SYNC_FLUSH))
            crc = zlib.crc32(part, crc)
        size += part.size if isinstance(part, Deflated) else len(part)
    out += [FINAL_BLOCK, crc.to_bytes(4, "little"), (size & 0xFFFFFFFF).to_bytes(4, "little")]
    return b"".join(out)
