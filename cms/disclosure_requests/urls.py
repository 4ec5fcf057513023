"""/xxgk/ysqgk/: the disclosure request form, its receipt and tracking."""

from django.urls import path, re_path

from . import tracking, views

app_name = "disclosure_requests"
NUMBER = r"(?P<tracking_number>[A-Z]{2}\d{13})"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(rf"^receipt/{NUMBER}/$", views.receipt, name="receipt"),
    path("track/", tracking.track, name="track"),
    re_path(rf"^track/{NUMBER}/$", tracking.status, name="status"),
    re_path(rf"^track/{NUMBER}/supplement/$", tracking.supply, name="supply"),
    re_path(rf"^track/{NUMBER}/withdraw/$", tracking.withdraw, name="withdraw"),
    re_path(rf"^track/{NUMBER}/leave/$", tracking.leave, name="leave"),
    re_path(rf"^track/{NUMBER}/files/(?P<event_id>\d{{1,18}})/$", tracking.document, name="document"),
]
