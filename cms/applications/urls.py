"""Public pages of online applications under /zwfw/ (the guide pages themselves are Wagtail pages)."""

from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("apply/<int:guide_id>/", views.apply, name="apply"),
    path("receipt/<str:tracking_number>/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:tracking_number>/", views.track_detail, name="track_detail"),
    path("track/<str:tracking_number>/supply/", views.supply, name="supply"),
    path("track/<str:tracking_number>/withdraw/", views.withdraw, name="withdraw"),
    path("track/<str:tracking_number>/rate/", views.rate, name="rate"),
    path("track/<str:tracking_number>/leave/", views.leave, name="leave"),
    path("ratings/", views.rating_index, name="ratings"),
]
