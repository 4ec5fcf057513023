"""/api/docs: a server-rendered page listing every operation of the OpenAPI document.

django-ninja's Swagger UI and Redoc load their JavaScript from a CDN unless ninja's own
static files are installed; a government site must work offline and keep its strict
Content-Security-Policy, so this page is plain HTML: no script, no external address.
"""

from django.shortcuts import render
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema):
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if "enum" in schema:
        kind = f"{kind}：" + " / ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        kind = " | ".join(_type(s) for s in schema["anyOf"])
    return kind


def _resolve(document, item):
    if "$ref" in item:
        kind, name = item["$ref"].split("/")[-2:]
        return document["components"][kind][name]
    return item


def operations(document):
    """[(tag, [operation, ...]), ...] in the document's order, ready for the template."""
    groups = {}
    for path, path_item in document.get("paths", {}).items():
        for method in METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            parameters = []
            for raw in operation.get("parameters", []):
                parameter = _resolve(document, raw)
                parameters.append(
                    {
                        "name": parameter["name"],
                        "location": {"query": "查询", "path": "路径"}.get(parameter["in"], parameter["in"]),
                        "required": parameter.get("required", False),
                        "type": _type(parameter.get("schema")),
                        "description": parameter.get("description", ""),
                    }
                )
            responses = []
            for status, response in operation.get("responses", {}).items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                responses.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "schema": _type(schema),
                    }
                )
            tag = (operation.get("tags") or ["其他"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                    "anchor": operation.get("operationId", f"{method}-{path}"),
                }
            )
    return list(groups.items())


class PlainDocs(DocsBase):
    template = "portal_api/docs.html"

    def render_page(self, request, api, **kwargs):
        document = api.get_openapi_schema(path_params=kwargs)
        context = {
            "api": api,
            "info": document["info"],
            "openapi_url": self.get_openapi_url(api, kwargs),
            "groups": operations(document),
        }
        return render(request, self.template, context)
