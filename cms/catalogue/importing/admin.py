"""Wagtail hooks for importing (loaded from CatalogueConfig.ready): the admin URLs and a menu item
shown to whoever may add resources."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("catalogue/import/", views.ImportView.as_view(), name="catalogue_import"),
        path("catalogue/import/template.csv", views.import_template, name="catalogue_import_template"),
        path("catalogue/export/", views.admin_export, name="catalogue_admin_export"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return views.resource_policy.user_has_permission(request.user, "add")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("导入资源", reverse("catalogue_import"), icon_name="upload", order=310)
