"""/xxgk/ysqgk/: the disclosure request form, its receipt and tracking."""

app_name = "disclosure_requests"
urlpatterns = []
