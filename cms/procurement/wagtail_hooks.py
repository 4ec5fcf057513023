"""The procurement admin: each part registers its own views (Wagtail imports only this module)."""

from wagtail import hooks

from cms.procurement import admin_guards
from cms.procurement.suppliers import admin as suppliers_admin  # noqa: F401  download register
from cms.procurement.trust import admin as trust_admin  # noqa: F401  tender documents and their versions

hooks.register("before_copy_page", admin_guards.refuse_copy)
hooks.register("before_delete_page", admin_guards.guard_delete)
