"""办事指南 as JSON (/api/zwfw/): the guide list with the page's filters and facets, a guide with every
element and its online form's definition (so a headless client can build the form), and the topics."""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Q
from ninja import Path, Query, Router, Status
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.models import Site

from cms.api.disclosure import department_ref
from cms.api.schemas import Message, PageQuery
from cms.casework.uploads import ACCEPT_EXTENSIONS

from . import browse, schemas
from .choices import Audience, TopicKind
from .models import ServiceGuidePage, ServiceIndexPage, ServiceTopic
from .models.guide import is_page_id

router = Router(tags=["办事指南"])

NO_INDEX = "本站尚未设置办事服务栏目"
NOT_FOUND = "未找到该办事指南，可能已撤回或尚未发布"
MIME_TYPES = {
    "pdf": ["application/pdf"],
    "jpg": ["image/jpeg"],
    "png": ["image/png"],
    "docx": ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    "xlsx": ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    "ofd": ["application/ofd"],
}
CHOICE_FIELDS = ("checkboxes", "dropdown", "multiselect", "radio")


def service_index(request):
    """The request's site's /zwfw/: the API lists exactly what the pages list."""
    pages = ServiceIndexPage.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.order_by("path").first()


def guide_item(guide, request):
    return {
        "id": guide.pk,
        "title": guide.title,
        "item_code": guide.item_code,
        "url": guide.get_full_url(request),
        "item_type": guide.item_type,
        "item_type_display": str(guide.get_item_type_display()),
        "department": department_ref(guide.department),
        "handling_unit": guide.unit_display,
        "audiences": [str(a) for a in guide.audiences],
        "audience_display": guide.audience_display,
        "topics": [{"slug": t.slug, "name": t.name} for t in guide.topics.all()],
        "statutory_days": guide.statutory_days,
        "promised_days": guide.promised_days,
        "is_immediate": guide.is_immediate,
        "visits": guide.visits,
        "is_free": guide.is_free,
        "online_level": guide.online_level,
        "online_level_display": str(guide.get_online_level_display()),
        "accepts_applications": guide.accepts_applications,
        "apply_url": request.build_absolute_uri(guide.apply_url) if guide.accepts_applications else None,
    }


def file_ref(document, request):
    if document is None:
        return None
    try:
        size = document.get_file_size()
    except OSError:
        size = None
    return {
        "id": document.pk,
        "title": document.title,
        "url": request.build_absolute_uri(document.url),
        "file_extension": (document.file_extension or "").lstrip("."),
        "file_size": size,
    }


def upload_rule(material):
    types = material.allowed_types
    return {
        "allowed_types": types,
        "allowed_types_display": material.upload_types_display,
        "accept": ",".join(ACCEPT_EXTENSIONS.get(t, f".{t}") for t in types),
        "mime_types": [mime for t in types for mime in MIME_TYPES.get(t, [])],
        "max_size_mb": material.max_size_mb,
        "max_bytes": material.max_size_mb * 1024 * 1024,
    }


def field_choices(field):
    # As Wagtail's form builder reads them: one per line, or comma-separated on one line.
    if field.field_type not in CHOICE_FIELDS:
        return []
    text = field.choices or ""
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def form_field(field):
    return {
        "name": field.clean_name or get_field_clean_name(field.label),
        "label": field.label,
        "type": field.field_type,
        "required": field.required,
        "help_text": field.help_text,
        "choices": field_choices(field),
        "default": field.default_value,
    }


def guide_detail(guide, request):
    materials = list(guide.materials.select_related("blank_form", "sample"))
    form = None
    if guide.accepts_applications:
        form = {
            "url": request.build_absolute_uri(guide.apply_url),
            "fields": [form_field(field) for field in guide.form_fields.all()],
            "uploads": [
                {"material_id": m.pk, "label": m.name, "required": m.required, **upload_rule(m)}
                for m in materials
            ],
        }
    return {
        **guide_item(guide, request),
        "summary": guide.summary,
        "legal_basis": guide.legal_basis,
        "conditions": guide.conditions,
        "materials": [
            {
                "id": m.pk,
                "name": m.name,
                "form": m.form,
                "form_display": str(m.get_form_display()),
                "copies": m.copies,
                "required": m.required,
                "note": m.note,
                "blank_form": file_ref(m.blank_form, request),
                "sample": file_ref(m.sample, request),
                "upload": upload_rule(m),
            }
            for m in materials
        ],
        "steps": [
            {"name": s.name, "description": s.description, "time_limit": s.time_limit}
            for s in guide.steps.all()
        ],
        "time_saving_percent": guide.time_saving_percent,
        "fee_standard": guide.fee_standard,
        "fee_basis": guide.fee_basis,
        "place": guide.place,
        "hours": guide.hours,
        "phone": guide.phone,
        "complaint_phone": guide.complaint_phone,
        "result_name": guide.result_name,
        "delivery": guide.delivery,
        "online_note": guide.online_note,
        "faqs": [{"question": f.question, "answer": f.answer} for f in guide.faqs.all()],
        "application_form": form,
        "last_published_at": guide.last_published_at,
    }


@router.get(
    "/guides",
    response={200: schemas.GuideList, 400: Message, 404: Message},
    summary="办事指南列表",
    description=(
        "与网站“办事服务” /zwfw/ 相同的筛选参数、取值、排序和错误提示。facets 是各筛选维度的分面计数："
        "某一维度的计数不受该维度自身筛选的影响，与页面一致。按关键词或事项编码查找请用站内搜索 "
        "/api/search?kind=service&q=…。筛选参数格式不正确时返回 400 和中文说明；页码超出范围时返回 404。"
    ),
)
def list_guides(request, filters: Query[schemas.GuideQuery], paging: Query[PageQuery]):
    index = service_index(request)
    if index is None:
        return Status(404, {"message": NO_INDEX})
    try:
        parsed = browse.GuideFilters.from_query(request.GET)  # the raw query, as the page reads it
    except browse.FilterError as error:
        return Status(400, {"message": str(error)})
    base = index.guides()
    paginator = Paginator(browse.ordered(browse.apply(base, parsed), parsed), paging.page_size)
    try:
        page = paginator.page(paging.page)
    except EmptyPage:
        return Status(404, {"message": "页码超出范围"})
    return {
        "total": paginator.count,
        "page": page.number,
        "page_size": paging.page_size,
        "num_pages": paginator.num_pages,
        "items": [guide_item(guide, request) for guide in page],
        "facets": browse.facet_counts(base, parsed),
    }


def _find(request, **lookup):
    index = service_index(request)
    guide = index and index.guides().filter(**lookup).first()
    if not guide:
        return Status(404, {"message": NOT_FOUND})
    return guide_detail(guide, request)


@router.get(
    "/guides/{id}",
    response={200: schemas.GuideDetail, 404: Message},
    summary="办事指南详情",
    description=(
        "事项的全部要素：基本信息、设定依据、受理条件、申请材料（含空白表格和示例样表的下载地址）、办理流程、"
        "时限、收费、地点、电话、常见问题；能在线申请的事项另有 application_form：编辑设置的申请表字段，"
        "以及每项材料的上传项（允许的格式、大小上限），可据此自建申请表单。"
    ),
)
def get_guide(request, id: int = Path(..., description="办事指南编号（列表中的 id）")):
    if not is_page_id(id):
        return Status(404, {"message": NOT_FOUND})
    return _find(request, pk=id)


@router.get(
    "/guides/code/{item_code}",
    response={200: schemas.GuideDetail, 404: Message},
    summary="按事项编码查找办事指南",
    description="与“办事指南详情”相同，按事项编码（实施编码）查找，不区分大小写。",
)
def get_guide_by_code(request, item_code: str = Path(..., max_length=40, description="事项编码")):
    return _find(request, item_code__iexact=item_code.strip())


@router.get(
    "/topics",
    response=list[schemas.ServiceTopicItem],
    summary="办事主题和人生事件",
    description=(
        "按服务对象和排列顺序；slug 用作 /api/zwfw/guides 的 topic 筛选参数，guide_count 为已发布的事项数。"
    ),
)
def list_service_topics(request):
    index = service_index(request)
    live = index.guides().values("pk") if index else ServiceGuidePage.objects.none().values("pk")
    topics = ServiceTopic.objects.annotate(
        guide_count=Count("serviceguidepage", filter=Q(serviceguidepage__in=live), distinct=True)
    )
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "kind": t.kind,
            "kind_display": str(TopicKind(t.kind).label),
            "audience": t.audience,
            "audience_display": str(Audience(t.audience).label),
            "guide_count": t.guide_count,
        }
        for t in topics
    ]
