"""Small iteration helpers shared by the loaders and the search (Python 3.11 has no itertools.batched)."""

from itertools import islice


def batches(iterable, size):
    """Lists of ``size`` items (the last one shorter) from any iterable, without reading ahead."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
