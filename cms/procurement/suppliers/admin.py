"""Admin views of the suppliers part: 政府采购 › 文件下载登记 (the download register, ``register.py``).

The menu group 政府采购 belongs to ``cms.procurement.trust.admin``; this item joins it through the
``register_procurement_menu_item`` hook and shows only to users who may see some project's register.
"""

from django.urls import path
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from cms.procurement.suppliers import register

PROCUREMENT_MENU_HOOK = "register_procurement_menu_item"


class RegisterMenuItem(MenuItem):
    def is_shown(self, request):
        return register.sees_register(request.user)


class DownloadRegisterViewSet(ViewSet):
    name = "procurement_downloads"
    url_prefix = "procurement/downloads"
    icon = "download"
    menu_label = "文件下载登记"
    menu_order = 200
    menu_hook = PROCUREMENT_MENU_HOOK

    def get_menu_item(self, order=None):
        return RegisterMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
        )

    def get_urlpatterns(self):
        return [
            path("", register.RegisterIndexView.as_view(), name="index"),
            path("<int:pk>/", register.RegisterProjectView.as_view(), name="project"),
            path("<int:pk>/export/", register.RegisterExportView.as_view(), name="export"),
        ]


@hooks.register("register_admin_viewset")
def register_download_register():
    return DownloadRegisterViewSet()
