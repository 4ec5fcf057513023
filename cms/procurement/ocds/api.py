"""政府采购 as JSON (/api/zfcg/): the projects with the list page's filters, and their OCDS 1.1.5 open data.

* /api/zfcg/projects, /api/zfcg/projects/{project_number} — what the list and the project page show;
* /api/zfcg/ocds/releases/{ocid} — the project's release package; /api/zfcg/ocds/records/{ocid} — its
  record package with the compiled release;
* /api/zfcg/ocds/releases.json — every release in one package, streamed (memory stays flat whatever the
  number of projects); /api/zfcg/ocds/releases.jsonl — the same, one release per line. Both take the list's
  filters, e.g. ``?buyer=czj&status=awarded``.
"""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Status

from cms.api.schemas import Message, PageQuery
from cms.procurement.public import filters as project_filters
from cms.procurement.public.scope import procurement_index

from . import packages, projects, schemas
from .builder import Links, ocid_prefix, project_number_from
from .loading import load

router = Router(tags=["政府采购"])

NO_INDEX = "本站尚未设置政府采购栏目"
NOT_FOUND = "未找到该采购项目，可能尚未发布或已撤回"
NOTHING = "没有符合筛选条件的采购项目"
JSON = "application/json; charset=utf-8"


def _index(request):
    try:
        return procurement_index(request)
    except Http404:
        return None


def _filter_error(error):
    return Status(
        400,
        {
            "message": str(error),
            "errors": [{"name": name, "message": message} for name, message in error.errors],
        },
    )


def _unknown_ocid(ocid):
    example = f"{ocid_prefix()}-JYCG-2026-0001"
    return Status(
        404,
        {"message": f"未找到 OCID 为“{ocid}”的采购项目。本站的 OCID 由前缀加项目编号组成，例如 {example}"},
    )


@router.get(
    "/projects",
    response={200: schemas.ProjectList, 400: schemas.FilterErrorMessage, 404: Message},
    summary="采购项目列表",
    description=(
        "与网站“政府采购”列表 /zfcg/ 相同的筛选参数、取值、排序和错误提示；facets 是各筛选维度的分面计数"
        "（某一维度的计数不受该维度自身筛选的影响）。项目状态按请求时的时间计算。筛选参数不正确时返回 400，"
        "message 为全部错误，errors 逐个列出参数；页码超出范围时返回 404。"
    ),
)
def list_procurement_projects(request, filters: Query[schemas.ProjectQuery], paging: Query[PageQuery]):
    index = _index(request)
    if index is None:
        return Status(404, {"message": NO_INDEX})
    try:
        parsed = project_filters.ProjectFilters.from_query(request.GET)  # the raw query, as the page reads it
    except project_filters.FilterError as error:
        return _filter_error(error)
    now = timezone.now()
    base = index.project_scope()
    results = project_filters.ordered(project_filters.apply(base, parsed, now), parsed, now)
    paginator = Paginator(results.select_related("buyer", "agency"), paging.page_size)
    try:
        page = paginator.page(paging.page)
    except EmptyPage:
        return Status(404, {"message": "页码超出范围"})
    return {
        "total": paginator.count,
        "page": page.number,
        "page_size": paging.page_size,
        "num_pages": paginator.num_pages,
        "items": [projects.project_item(project, request, now) for project in page],
        "facets": project_filters.facet_counts(base, parsed, now),
    }


@router.get(
    "/projects/{project_number}",
    response={200: schemas.ProjectDetail, 404: Message},
    summary="采购项目详情",
    description=(
        "项目信息、采购包、全部已发布公告（时间线，更正公告列出变更前后的时间）、采购文件的各已发布版本及其"
        " SHA-256 摘要、Ed25519 签名和被签名的声明（可据此用平台公钥独立核验），以及该项目的 OCDS 数据地址。"
    ),
)
def get_procurement_project(
    request, project_number: str = Path(..., max_length=40, description="项目编号，例如 JYCG-2026-0001")
):
    index = _index(request)
    project = (
        index
        and index.project_scope()
        .select_related("buyer", "agency")
        .filter(project_number__iexact=project_number.strip())
        .first()
    )
    if not project:
        return Status(404, {"message": NOT_FOUND})
    return projects.project_detail(project, request, timezone.now())


# --- OCDS ---------------------------------------------------------------------------------------


def _project_data(request, ocid):
    index = _index(request)
    number = project_number_from(ocid)
    if index is None or number is None:
        return None
    scope = index.project_scope().filter(project_number=number)
    return next(load(scope), None)


@router.get(
    "/ocds/releases/{ocid}",
    response={200: schemas.OcdsReleasePackage, 404: Message},
    summary="OCDS 发布包（单个项目）",
    description=(
        "该项目的开放缔约数据标准（OCDS 1.1.5）发布包：每份已发布的公告一条发布，按日期先后，符合官方 "
        "release-package-schema.json。ocid 见项目详情的 ocds.ocid。"
    ),
)
def ocds_release_package(request, ocid: str = Path(..., max_length=100, description="项目的 OCID")):
    data = _project_data(request, ocid)
    if data is None:
        return _unknown_ocid(ocid)
    package = packages.release_package(data, Links(request), request.build_absolute_uri())
    return HttpResponse(packages.dumps(package).encode(), content_type=JSON)


@router.get(
    "/ocds/records/{ocid}",
    response={200: schemas.OcdsRecordPackage, 404: Message},
    summary="OCDS 记录包（单个项目）",
    description=(
        "该项目的 OCDS 记录：全部发布，以及按 OCDS 合并规则汇编的 compiledRelease（项目的当前状态），"
        "符合官方 record-package-schema.json。"
    ),
)
def ocds_record_package(request, ocid: str = Path(..., max_length=100, description="项目的 OCID")):
    data = _project_data(request, ocid)
    if data is None:
        return _unknown_ocid(ocid)
    releases_uri = request.build_absolute_uri(
        reverse("portal_api:ocds_release_package", kwargs={"ocid": ocid})
    )
    package = packages.record_package(data, Links(request), request.build_absolute_uri(), releases_uri)
    return HttpResponse(packages.dumps(package).encode(), content_type=JSON)


def _bulk_projects(request):
    """(projects, error response): the site's live projects narrowed by the list's filters."""
    index = _index(request)
    if index is None:
        return None, Status(404, {"message": NO_INDEX})
    try:
        parsed = project_filters.ProjectFilters.from_query(request.GET)
    except project_filters.FilterError as error:
        return None, _filter_error(error)
    return project_filters.apply(index.project_scope(), parsed, timezone.now()), None


@router.get(
    "/ocds/releases.json",
    response={200: schemas.OcdsReleasePackage, 400: schemas.FilterErrorMessage, 404: Message},
    summary="OCDS 批量下载：全部发布",
    description=(
        "一个发布包，含全部已公开项目的全部发布（按项目、再按日期）；边生成边传输，项目再多也不占用大量内存。"
        "可加列表页的筛选参数只下载一部分，例如 ?buyer=czj&status=awarded。没有符合条件的项目时返回 404"
        "（OCDS 发布包至少要有一条发布）。"
    ),
)
def ocds_bulk_releases(request, filters: Query[schemas.ProjectQuery]):
    selected, error = _bulk_projects(request)
    if error is not None:
        return error
    if not selected.exists():
        return Status(404, {"message": NOTHING})
    stream = packages.stream_release_package(selected, Links(request), request.build_absolute_uri())
    response = StreamingHttpResponse(stream, content_type=JSON)
    response["Content-Disposition"] = 'attachment; filename="zfcg-ocds-releases.json"'
    return response


@router.get(
    "/ocds/releases.jsonl",
    response={200: str, 400: schemas.FilterErrorMessage, 404: Message},
    summary="OCDS 批量下载：全部发布（JSON Lines）",
    description=(
        "与 releases.json 相同的发布和筛选参数，每行一条发布（JSON Lines），便于逐行处理；"
        "没有符合条件的项目时为空文件。"
    ),
)
def ocds_bulk_release_lines(request, filters: Query[schemas.ProjectQuery]):
    selected, error = _bulk_projects(request)
    if error is not None:
        return error
    response = StreamingHttpResponse(
        packages.stream_release_lines(selected, Links(request)),
        content_type="application/jsonl; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="zfcg-ocds-releases.jsonl"'
    return response
