"""Placeholder API urls (being written)."""

urlpatterns = []
