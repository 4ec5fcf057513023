"""Admin views: upload a file and see the report; download the template; export own resources."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from cms.catalogue.exporting.records import Exporter, base_url
from cms.catalogue.exporting.views import streaming_export
from cms.catalogue.exporting.writers import FORMATS, csv_chunks
from cms.catalogue.models import Resource

from .importer import import_resources, read_upload
from .permissions import Rights
from .readers import MAX_BYTES, MAX_ROWS

resource_policy = ModelPermissionPolicy(Resource)
MEGABYTES = MAX_BYTES // (1024 * 1024)
LIMITS = f"不超过 {MEGABYTES} MB、{MAX_ROWS} 行"
PLAIN_TEXT = "text/plain; charset=utf-8"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="资源文件",
        help_text=f"CSV（UTF-8 或 GBK 编码）、Excel（.xlsx，读取第一个工作表）或 JSON 文件，{LIMITS}。",
    )
    import_good_rows = forms.BooleanField(
        label="只导入正确的行",
        required=False,
        help_text="不勾选时，文件中只要有一行错误，就不导入任何数据。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {MEGABYTES} MB 的上限，请分成几个文件导入。")
        return upload


class ImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    permission_policy = resource_policy
    permission_required = "add"
    template_name = "catalogue/import.html"
    form_class = ImportForm
    page_title = "导入资源"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["template_url"] = reverse("catalogue_import_template")
        context["export_url"] = reverse("catalogue_admin_export")
        context["limits"] = LIMITS
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_resources(
            read_upload(upload),
            user=self.request.user,
            import_good_rows=form.cleaned_data["import_good_rows"],
            filename=upload.name,
        )
        if report.imported:
            messages.success(self.request, report.summary)
        else:
            messages.error(self.request, report.summary)
        # The report is the answer: show it with a fresh form (a redirect would lose it).
        fresh = self.form_class(initial={"import_good_rows": form.cleaned_data["import_good_rows"]})
        return self.render_to_response(self.get_context_data(form=fresh, report=report))


def import_template(request):
    """An empty CSV with the import's headers, the easiest way to start a file in Excel."""
    if not resource_policy.user_has_permission(request.user, "add"):
        raise PermissionDenied
    exporter = Exporter(public=False, base=base_url(request))
    response = HttpResponse("".join(csv_chunks([], exporter)), content_type=FORMATS["csv"][1])
    response["Content-Disposition"] = 'attachment; filename="resource-import-template.csv"'
    return response


def admin_export(request):
    """Everything (full details) of the user's own departments; all of them for site administrators."""
    if not resource_policy.user_has_any_permission(request.user, ["add", "change", "view"]):
        raise PermissionDenied
    name = request.GET.get("format", "csv")
    if name not in FORMATS:
        return HttpResponseBadRequest("导出格式应为 csv、json 或 dcat。", content_type=PLAIN_TEXT)
    rights = Rights(request.user)
    queryset = Resource.objects.all()
    if not rights.all_departments:
        queryset = queryset.filter(department_id__in=rights.department_ids)
    exporter = Exporter(public=False, base=base_url(request))
    return streaming_export(name, queryset, exporter)
