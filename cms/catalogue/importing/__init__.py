"""Import information resources from CSV, Excel (.xlsx) or JSON files (admin view and command)."""

from .importer import import_resources, read_upload
from .readers import MAX_BYTES, MAX_ROWS
from .report import ImportReport

__all__ = ["MAX_BYTES", "MAX_ROWS", "ImportReport", "import_resources", "read_upload"]
