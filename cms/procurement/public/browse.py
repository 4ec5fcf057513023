def serve_listing(page, request, *args, **kwargs):
    from django.template.response import TemplateResponse

    return TemplateResponse(request, "procurement/index.html", page.get_context(request, *args, **kwargs))
