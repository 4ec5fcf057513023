from .department import Department
from .pages import BasePage, ContentPage
from .settings import NavigationItem, NavigationSettings, SiteSettings
from .topic import Topic

__all__ = [
    "BasePage",
    "ContentPage",
    "Department",
    "NavigationItem",
    "NavigationSettings",
    "SiteSettings",
    "Topic",
]
