"""Public pages of online applications under /zwfw/ (the guide pages themselves are Wagtail pages)."""

app_name = "applications"
urlpatterns = []
