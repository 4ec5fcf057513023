"""政府信息公开: the catalogue as JSON, with the HTML catalogue's filters, facets and messages."""

from django.core.paginator import EmptyPage, Paginator
from ninja import Path, Query, Router, Status
from wagtail.models import Site

from cms.core.models import Department, Topic
from cms.disclosure import catalogue
from cms.disclosure.models import DisclosureDepartmentPage, DisclosureIndexPage, Interpretation

from . import schemas

router = Router(tags=["政府信息公开"])
reference = Router(tags=["基础数据"])

NO_CATALOGUE = "本站尚未设置政府信息公开目录"
NOT_FOUND = "未找到该文件，可能已撤回或尚未公开"


def catalogue_root(request):
    """The request's site's catalogue page (/xxgk/): the API lists exactly what it lists."""
    pages = DisclosureIndexPage.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.order_by("path").first()


def department_ref(department):
    if department is None:
        return None
    return {
        "slug": department.slug,
        "name": department.name,
        "short_name": department.short_name,
        "org_code": department.org_code,
    }


def topic_ref(topic):
    top = topic.top
    return {"code": topic.code, "name": topic.name, "top_code": top.code, "top_name": top.name}


def document_item(document, request):
    return {
        "id": document.pk,
        "title": document.title,
        "url": document.get_full_url(request),
        "index_number": document.index_number,
        "department": department_ref(document.department),
        "topic": topic_ref(document.topic),
        "genre": document.genre,
        "genre_display": document.genre_display,
        "document_number": document.document_number,
        "written_on": document.written_on,
        "published_on": document.published_on,
        "keywords": document.keyword_list,
        "validity": document.current_validity,
        "validity_display": document.current_validity_display,
        "summary": document.summary,
    }


def document_detail(document, request):
    body = document.body.stream_block.get_api_representation(document.body, context={"request": request})
    return {
        **document_item(document, request),
        "validity_recorded": document.validity,
        "effective_on": document.effective_on,
        "expires_on": document.expires_on,
        "disclosure_method": document.disclosure_method,
        "disclosure_method_display": str(document.get_disclosure_method_display()),
        "last_published_at": document.last_published_at,
        "body": body,
        "attachments": document.attachment_list,
        "relations": document.relations,
        "interpretation_form": document.form if isinstance(document, Interpretation) else None,
    }


@router.get(
    "/documents",
    response={200: schemas.DocumentList, 400: schemas.Message, 404: schemas.Message},
    summary="公开目录文件列表",
    description=(
        "与网站“政府信息公开”目录 /xxgk/ 相同的筛选参数、取值、排序和错误提示。"
        "facets 是各筛选维度的分面计数：某一维度的计数不受该维度自身筛选的影响，与目录页一致。"
        "筛选参数格式不正确时返回 400 和中文说明；页码超出范围时返回 404。"
    ),
)
def list_documents(request, filters: Query[schemas.CatalogueQuery], paging: Query[schemas.PageQuery]):
    root = catalogue_root(request)
    if root is None:
        return Status(404, {"message": NO_CATALOGUE})
    try:
        # The raw query string, exactly as the HTML catalogue reads it.
        parsed = catalogue.CatalogueFilters.from_query(request.GET)
    except catalogue.FilterError as error:
        return Status(400, {"message": str(error)})
    base, results = root.filtered_documents(parsed)
    paginator = Paginator(results, paging.page_size)
    try:
        page = paginator.page(paging.page)
    except EmptyPage:
        return Status(404, {"message": "页码超出范围"})
    return {
        "total": paginator.count,
        "page": page.number,
        "page_size": paging.page_size,
        "num_pages": paginator.num_pages,
        "items": [document_item(document, request) for document in page],
        "facets": catalogue.facet_counts(base, parsed),
    }


@router.get(
    "/documents/{id}",
    response={200: schemas.DocumentDetail, 404: schemas.Message},
    summary="公开文件详情",
    description=(
        "全部元数据、正文（StreamField 的 API 表示，富文本为 HTML）、附件，以及废止、修改、解读关系。"
    ),
)
def get_document(request, id: int = Path(..., description="文件编号（列表中的 id）")):
    root = catalogue_root(request)
    document = root and root.documents().filter(pk=id).first()
    if not document:
        return Status(404, {"message": NOT_FOUND})
    return document_detail(document.specific, request)


@reference.get(
    "/departments",
    response=list[schemas.Department],
    summary="部门（发布机构）列表",
    description="按网站上的排列顺序；slug 用作公开目录的 department 筛选参数。",
)
def list_departments(request):
    folders = {
        folder.department_id: folder
        for folder in DisclosureDepartmentPage.objects.live().public().select_related("department")
    }
    return [
        {
            **department_ref(department),
            "parent": department.parent.slug if department.parent_id else None,
            "phone": department.phone,
            "address": department.address,
            "email": department.email,
            "catalogue_url": folders[department.pk].get_full_url(request)
            if department.pk in folders
            else None,
        }
        for department in Department.objects.select_related("parent").order_by("sort_order", "name")
    ]


@reference.get(
    "/topics",
    response=list[schemas.TopicNode],
    summary="主题分类（树）",
    description="国务院公文主题分类：一级分类及其二级分类；code 用作公开目录的 topic 筛选参数。",
)
def list_topics(request):
    tops = Topic.objects.filter(parent__isnull=True).prefetch_related("children").order_by("code")
    return [
        {
            "code": top.code,
            "name": top.name,
            "children": [{"code": c.code, "name": c.name} for c in top.children.all()],
        }
        for top in tops
    ]
