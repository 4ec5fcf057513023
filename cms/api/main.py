"""The portal's headless API: one django-ninja ``NinjaAPI`` mounted at /api/.

* /api/openapi.json — the OpenAPI 3 document of the whole API: the ninja endpoints below
  and, merged in from ``openapi_v2.py``, Wagtail's API v2 (/api/v2/pages/, images/, documents/);
* /api/docs — a plain server-rendered page listing every operation (no CDN, no script);
* /api/disclosure/documents, /api/disclosure/documents/{id} — the disclosure catalogue;
* /api/departments, /api/topics — reference data;
* /api/search — site search (the search page's ``search.views.run_search``);
* /api/zwfw/... — service guides (办事指南) and topics;
* /api/zwfw/applications/ — submit an online application, and track it;
* /api/ysqgk/requests, /api/ysqgk/track — submit a disclosure request (依申请公开), and track it;
* /api/zfcg/... — procurement projects (政府采购) and their OCDS 1.1.5 open data (cms/procurement/ocds/).

Adding a capability
-------------------
A later capability (service guides 办事指南, procurement 政府采购, ...) brings its own
``ninja.Router`` in its app (e.g. ``cms/services/api.py``, with schemas that describe every
field in Chinese) and is mounted here with one line::

    from cms.services.api import router as services_router
    api.add_router("/zwfw/", services_router)

Its operations then appear at /api/zwfw/..., in /api/openapi.json and on /api/docs, and get
the API's error format (``{"message": "..."}``, 400 for bad parameters), caching (ETag,
``Cache-Control: public, max-age=API_CACHE_SECONDS``) and CORS without further work. Routers
must be added before the url patterns are built, i.e. at import time of this module.
"""

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from cms.applications.api import router as applications_router
from cms.disclosure_requests.api import router as requests_router
from cms.procurement.ocds.api import router as procurement_router
from cms.services.api import router as services_router

from . import openapi_v2
from .disclosure import reference as reference_router
from .disclosure import router as disclosure_router
from .docs import PlainDocs
from .site_search import router as search_router

PARAMETER_LABELS = {"page": "页码", "page_size": "每页条数", "per_page": "每页条数", "id": "编号"}


class UnicodeJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class PortalAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document also describes Wagtail's API v2."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return openapi_v2.merge_into(document)


def validation_message(errors):
    """One Chinese sentence for ninja's validation errors (which name the parameter in ``loc``)."""
    for error in errors:
        location = error.get("loc") or ()
        name = str(location[-1]) if location else ""
        if name in PARAMETER_LABELS:
            limit = (error.get("ctx") or {}).get("le")
            return f"{PARAMETER_LABELS[name]}应为正整数" + (f"，且不超过{limit}" if limit else "")
        if name:
            return f"参数“{name}”的值不正确"
    return "请求参数不正确"


api = PortalAPI(
    title="济源市人民政府门户 API",
    version="1.0.0",
    description=(
        "济源市人民政府门户网站的数据接口：政府信息公开目录、部门与主题分类等基础数据，站内搜索，"
        "办事指南，网上申请与依申请公开的提交和进度查询，政府采购项目及其开放数据（OCDS 1.1.5），"
        "以及 Wagtail 内容接口 v2（页面、图片、文档）。"
        "返回 JSON（UTF-8）。"
    ),
    urls_namespace="portal_api",
    docs=PlainDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=UnicodeJSONRenderer(),
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"message": validation_message(exc.errors)}, status=400)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


api.add_router("/disclosure/", disclosure_router)
api.add_router("/ysqgk/", requests_router)
api.add_router("/", reference_router)
api.add_router("/", search_router)
api.add_router("/zwfw/", services_router)
api.add_router("/zwfw/applications/", applications_router)
api.add_router("/zfcg/", procurement_router)
