"""Python's cyclic garbage collector held off while a bulk job builds many short-lived objects."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_off() -> Iterator[None]:
    """Hundreds of thousands of rows kept to the end and no reference cycles among them: the cyclic collector would
    only rescan them again and again as they pile up (a third of the workbook's reading, a share of the month's
    computation). Reference counting still frees everything; the collector's state is restored on the way out."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
