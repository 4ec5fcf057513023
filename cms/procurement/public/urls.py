"""/zfcg/feed/ and /zfcg/deadlines.ics (the list itself is the page tree's /zfcg/, cms.procurement.browse)."""

from django.urls import path

from .calendar import deadlines_calendar
from .feeds import notice_feed

urlpatterns = [
    path("feed/", notice_feed, name="feed"),
    path("deadlines.ics", deadlines_calendar, name="deadlines"),
]
