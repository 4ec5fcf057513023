"""Public exports: /ziyuan/export.csv, /ziyuan/export.json and /ziyuan/catalog.jsonld.

Streamed, so even the whole catalogue goes out in bounded memory, and public: every record passes
through Resource.shows_details (Exporter(public=True)).
"""

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.views.decorators.http import require_safe

from cms.catalogue import browse
from cms.catalogue.models import Resource

from .records import Exporter, base_url, resources
from .writers import FORMATS


def streaming_export(name, queryset, exporter, *, attachment=True):
    writer, content_type, filename = FORMATS[name]
    response = StreamingHttpResponse(writer(resources(queryset), exporter), content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _public_export(request, name, attachment=True):
    # The browse page's filters (catalogue, class, department, sharing, openness, q): a filtered
    # list on /ziyuan/ exports as exactly that list.
    try:
        filters = browse.ResourceFilters.from_query(request.GET)
    except browse.FilterError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    exporter = Exporter(public=True, base=base_url(request))
    queryset = browse.apply(Resource.objects.all(), filters)
    response = streaming_export(name, queryset, exporter, attachment=attachment)
    response["Cache-Control"] = "public, max-age=600"
    return response


@require_safe
def export_csv(request):
    return _public_export(request, "csv")


@require_safe
def export_json(request):
    return _public_export(request, "json")


@require_safe
def export_dcat(request):
    return _public_export(request, "dcat", attachment=False)
