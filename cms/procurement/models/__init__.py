from .agency import Agency
from .files import ProcurementFile, ProcurementFileVersion
from .notices import (
    AwardedLot,
    AwardNotice,
    ContractNotice,
    CorrectionNotice,
    NoticeDocument,
    NoticePage,
    TenderNotice,
    TerminationNotice,
)
from .pages import ProcurementDepartmentPage, ProcurementIndexPage
from .project import ProcurementProject, ProjectLot
from .suppliers import DownloadRecord, SavedSearch, SavedSearchDelivery, Supplier, SupplierNotification

__all__ = [
    "Agency",
    "AwardNotice",
    "AwardedLot",
    "ContractNotice",
    "CorrectionNotice",
    "DownloadRecord",
    "NoticeDocument",
    "NoticePage",
    "ProcurementDepartmentPage",
    "ProcurementFile",
    "ProcurementFileVersion",
    "ProcurementIndexPage",
    "ProcurementProject",
    "ProjectLot",
    "SavedSearch",
    "SavedSearchDelivery",
    "Supplier",
    "SupplierNotification",
    "TenderNotice",
    "TerminationNotice",
]
