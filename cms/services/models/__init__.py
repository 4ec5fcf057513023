from .guide import ApplicationFormField, ServiceFAQ, ServiceGuidePage, ServiceMaterial, ServiceStep
from .pages import ServiceDepartmentPage, ServiceIndexPage
from .topic import ServiceTopic

__all__ = [
    "ApplicationFormField",
    "ServiceDepartmentPage",
    "ServiceFAQ",
    "ServiceGuidePage",
    "ServiceIndexPage",
    "ServiceMaterial",
    "ServiceStep",
    "ServiceTopic",
]
