"""Placeholder: the jieba-segmented database backend (being written)."""

from modelsearch.backends.database import SearchBackend  # noqa: F401
