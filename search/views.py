"""Placeholder search view (being written)."""

from django.template.response import TemplateResponse


def search(request):
    return TemplateResponse(request, "search/search.html", {"query": request.GET.get("q", "")})
