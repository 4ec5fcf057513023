from .documents import DisclosureAttachment, DisclosureDocument, Interpretation
from .index_number import IndexNumberSequence, assign_index_number
from .pages import (
    AnnualReportPage,
    DisclosureDepartmentPage,
    DisclosureGuidePage,
    DisclosureIndexPage,
)

__all__ = [
    "AnnualReportPage",
    "DisclosureAttachment",
    "DisclosureDepartmentPage",
    "DisclosureDocument",
    "DisclosureGuidePage",
    "DisclosureIndexPage",
    "IndexNumberSequence",
    "Interpretation",
    "assign_index_number",
]
