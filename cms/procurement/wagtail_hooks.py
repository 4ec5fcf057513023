"""The procurement admin: each part registers its own views (Wagtail imports only this module)."""

from cms.procurement.suppliers import admin as suppliers_admin  # noqa: F401  download register
from cms.procurement.trust import admin as trust_admin  # noqa: F401  tender documents and their versions
