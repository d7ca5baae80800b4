"""What a printed PDF shows, read with the standard library: its pages, their size, and the size at which every
piece of text is drawn (the font size times the scale of the text and page matrices, so a sheet shrunk to fit a
page shows its real, shrunk size).

Enough for the PDFs LibreOffice writes (plain objects, Flate-compressed page contents); not a general PDF reader.
"""

import math
import re
import zlib
from dataclasses import dataclass, field

OBJECT = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
TOKEN = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|<<|>>|\[|\]|/[^\s/\[\]()<>{}%]+|[-+]?(?:\d+\.?\d*|\.\d+)"
                   rb"|[A-Za-z'\"*]+\d?")
NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)$")


@dataclass
class Page:
    width: float
    height: float
    text_sizes: list[float] = field(default_factory=list)


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2)


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _text_sizes(content: bytes) -> list[float]:
    """The printed size of each text-showing operation in a page's content stream."""
    sizes, stack, operands = [], [], []
    ctm, text_matrix, line_matrix, font_size = IDENTITY, IDENTITY, IDENTITY, 0.0
    for token in TOKEN.findall(content):
        if NUMBER.match(token):
            operands.append(float(token))
            continue
        if token[:1] in b"(<[]/" or token == b">>":
            operands.append(token)
            continue
        numbers = [o for o in operands if isinstance(o, float)]
        if token == b"q":
            stack.append(ctm)
        elif token == b"Q" and stack:
            ctm = stack.pop()
        elif token == b"cm" and len(numbers) >= 6:
            ctm = _multiply(tuple(numbers[-6:]), ctm)
        elif token == b"BT":
            text_matrix = line_matrix = IDENTITY
        elif token == b"Tf" and numbers:
            font_size = numbers[-1]
        elif token == b"Tm" and len(numbers) >= 6:
            text_matrix = line_matrix = tuple(numbers[-6:])
        elif token in (b"Td", b"TD") and len(numbers) >= 2:
            text_matrix = line_matrix = _multiply((1, 0, 0, 1, numbers[-2], numbers[-1]), line_matrix)
        elif token in (b"Tj", b"TJ", b"'", b'"'):
            a, b, c, d, _e, _f = _multiply(text_matrix, ctm)
            sizes.append(abs(font_size) * math.sqrt(abs(a * d - b * c)))
        operands = []
    return sizes


def _stream(body: bytes) -> bytes | None:
    start = body.find(b"stream")
    if start < 0:
        return None
    data = body[start + len(b"stream"):]
    data = data[2:] if data.startswith(b"\r\n") else data[1:]
    data = data[: data.rfind(b"endstream")]
    if b"/FlateDecode" in body[:start]:
        return zlib.decompressobj().decompress(data)
    return data


def pdf_pages(pdf: bytes) -> list[Page]:
    objects = {int(number): body for number, body in OBJECT.findall(pdf)}
    pages = []
    for body in objects.values():
        head = body.split(b"stream", 1)[0]
        if not re.search(rb"/Type\s*/Page(?!s)", head):
            continue
        box = [float(x) for x in re.search(rb"/MediaBox\s*\[([^\]]*)\]", head).group(1).split()]
        page = Page(box[2] - box[0], box[3] - box[1])
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)", head)
        for ref in re.findall(rb"(\d+)\s+0\s+R", contents.group(1)) if contents else []:
            stream = _stream(objects[int(ref)])
            if stream:
                page.text_sizes += _text_sizes(stream)
        pages.append(page)
    return pages


def smallest_text(pages: list[Page]) -> float:
    return min(size for page in pages for size in page.text_sizes)
