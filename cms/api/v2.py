"""Wagtail's API v2 (/api/v2/pages/, /api/v2/images/, /api/v2/documents/).

The pages endpoint also understands the disclosure catalogue's filters (department, topic,
genre, year, validity, q, sort) when ``type`` is ``disclosure.DisclosureDocument`` (or its
subtype ``disclosure.Interpretation``): the same ``cms.disclosure.catalogue`` code as the
HTML catalogue /xxgk/ reads, validates and applies them, so both give the same documents
and the same Chinese error messages (answered with 400 ``{"message": "..."}``).

The API is public and read-only: no authentication is attempted, so a request never
touches the session and responses stay cacheable by shared caches.
"""

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Subquery
from django.db.models.functions import Cast
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex

from cms.disclosure import catalogue
from cms.disclosure.models import DisclosureDocument

CATALOGUE_PARAMETERS = catalogue.PARAMETERS
# Shown in listings of documents without asking for ?fields=.
CATALOGUE_LISTING_FIELDS = [
    "index_number",
    "department",
    "topic",
    "genre",
    "document_number",
    "written_on",
    "published_on",
    "current_validity",
]


def is_catalogue_model(model) -> bool:
    return issubclass(model, DisclosureDocument)


class PortalFieldsFilter(FieldsFilter):
    """Wagtail's ``?field=value`` filter, minus the parameters the catalogue owns.

    ``department``, ``topic``, ``genre`` and ``validity`` are also database fields of a
    disclosure document; Wagtail would read ``department=czj`` as a primary key.
    """

    def filter_queryset(self, request, queryset, view):
        if is_catalogue_model(queryset.model):
            query = request.GET.copy()
            for name in CATALOGUE_PARAMETERS:
                query.pop(name, None)
            request = SimpleNamespace(GET=query)
        return super().filter_queryset(request, queryset, view)


class CatalogueFilter(BaseFilterBackend):
    """Apply ``cms.disclosure.catalogue`` to a listing of disclosure documents."""

    def filter_queryset(self, request, queryset, view):
        if not is_catalogue_model(queryset.model):
            return queryset
        try:
            filters = catalogue.CatalogueFilters.from_query(request.GET)
        except catalogue.FilterError as error:
            raise BadRequestError(str(error)) from error
        queryset = catalogue.with_validity(queryset.select_related("department", "topic", "topic__parent"))
        queryset = catalogue.apply(queryset, filters)
        if "search" in request.GET:
            # The search backend only accepts filters on indexed fields: hand it the ids.
            queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))
        if "order" in request.GET:
            if "sort" in request.GET:
                raise BadRequestError("“sort”和“order”参数不能同时使用")
            return queryset  # Wagtail's OrderingFilter orders it
        return catalogue.ordered(queryset, filters)


class PublicReadOnlyMixin:
    """Anonymous, JSON only: DRF's browsable HTML renderer would set a CSRF cookie on a
    publicly cached response (and needs scripts); /api/docs is the human-readable side."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


class PortalPagesAPIViewSet(PublicReadOnlyMixin, PagesAPIViewSet):
    filter_backends = [
        PortalFieldsFilter if backend is FieldsFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]
    # After the field filters, before ordering and searching (SearchFilter must stay last).
    filter_backends.insert(filter_backends.index(PortalFieldsFilter) + 1, CatalogueFilter)
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(CATALOGUE_PARAMETERS)

    @classmethod
    def get_listing_default_fields(cls, model):
        fields = super().get_listing_default_fields(model)
        if is_catalogue_model(model):
            fields += CATALOGUE_LISTING_FIELDS
        return fields

    def check_query_parameters(self, queryset):
        """The catalogue's parameters are only known where they mean something."""
        if is_catalogue_model(queryset.model):
            return super().check_query_parameters(queryset)
        allowed = set(self.get_available_fields(queryset.model, db_fields_only=True))
        allowed |= PagesAPIViewSet.known_query_parameters
        unknown = set(self.request.GET) - allowed
        if unknown & CATALOGUE_PARAMETERS:
            raise BadRequestError(
                "参数 {} 只能与 type=disclosure.DisclosureDocument 一起使用".format(
                    "、".join(sorted(unknown & CATALOGUE_PARAMETERS))
                )
            )
        return super().check_query_parameters(queryset)


class PublishedFilesMixin:
    """Only files that a live, public page uses: an attachment of a draft awaiting review stays private."""

    def get_queryset(self):
        queryset = super().get_queryset()
        live_pages = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
        used = ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=Subquery(live_pages),
            to_content_type=ContentType.objects.get_for_model(queryset.model),
        ).values("to_object_id")
        return queryset.annotate(key=Cast("pk", CharField())).filter(key__in=Subquery(used))


class PortalImagesAPIViewSet(PublishedFilesMixin, PublicReadOnlyMixin, ImagesAPIViewSet):
    pass


class PortalDocumentsAPIViewSet(PublishedFilesMixin, PublicReadOnlyMixin, DocumentsAPIViewSet):
    pass


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PortalPagesAPIViewSet)
router.register_endpoint("images", PortalImagesAPIViewSet)
router.register_endpoint("documents", PortalDocumentsAPIViewSet)
