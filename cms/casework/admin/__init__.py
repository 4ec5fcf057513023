"""The back office of casework in the Wagtail admin (办件管理): queues, case pages, dashboards, calendar.

Registered by ``cms/casework/wagtail_hooks.py``. Nothing here runs at import time: Django's admin
autodiscovery imports this package too."""
