"""Forms of the tender documents: the admin's upload form, the notice form's document choice, and the
public verify page's two ways of asking (a file, or its SHA-256).

Imported by ``cms.procurement.models.notices`` (``NoticeDocumentsForm`` is the notices' base form), so
nothing here imports the models at module level.
"""

from django import forms
from django.db.models import Max, Q
from wagtail.admin.forms import WagtailAdminModelForm

from cms.casework.forms import ErrorSummaryMixin
from cms.casework.uploads import UploadRejected
from cms.procurement.forms import NoticeForm
from cms.procurement.trust import documents
from cms.procurement.trust.verification import DigestInvalid, parse_sha256


def project_label(project):
    return f"{project.project_number} {project.title}"


# --- the admin: a document and its versions -----------------------------------------------------------


class ProcurementFileForm(WagtailAdminModelForm):
    """Create: project (only the user's departments'), title and the first version. Edit: a new version.

    Project and title are fixed once created: both are part of the signed statement of every version
    (``signing.statement``), so changing them would void the signatures already published."""

    upload = forms.FileField(
        label="文件",
        help_text=(
            f"接受 {documents.ALLOWED_LABEL} 格式，不超过 {{limit}}。上传后即计算 SHA-256 摘要并加盖平台"
            "电子签名；随采购公告发布后，供应商才能下载。"
        ),
        widget=forms.FileInput(attrs={"accept": documents.ACCEPT}),
        error_messages={"required": "请选择要上传的文件", "empty": "上传的文件是空文件，请重新选择"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cms.procurement.models import ProcurementProject
        from cms.procurement.trust.permissions import projects_of

        self.checked = None
        self.new_version = None
        upload = self.fields["upload"]
        upload.help_text = upload.help_text.format(limit=documents.limit_label())
        editing = self.instance.pk is not None
        if "project" in self.fields:
            project = self.fields["project"]
            # A plain select instead of the page chooser, whose explorer would show other folders.
            project.widget = forms.Select()
            project.label_from_instance = project_label
            project.error_messages["invalid_choice"] = "请选择本部门的采购项目"
            if editing:
                project.queryset = ProcurementProject.objects.filter(pk=self.instance.project_id)
                project.disabled = True
            else:
                user = self.for_user
                project.queryset = (
                    projects_of(user).order_by("-pk") if user else ProcurementProject.objects.none()
                )
        if "title" in self.fields:
            self.fields[
                "title"
            ].help_text = "如：招标文件、工程量清单、设计图纸。创建后不能修改（它是电子签名内容的一部分）"
            self.fields["title"].error_messages["required"] = "请填写文件名称"
        if editing:
            if "title" in self.fields:
                self.fields["title"].disabled = True
            upload.label = "上传新版本"
            published = self.instance.versions.filter(published_at__isnull=False).exists()
            upload.help_text += (
                "已发布过的文件：新版本须随更正公告（在“更正后的采购文件”中选择本文件）发布，才会替换供应商"
                "下载的版本，并通知已下载的供应商。"
                if published
                else "新版本将随采购公告的首次发布一同发布。"
            )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return upload
        try:
            self.checked = documents.check(upload)
        except UploadRejected as error:
            raise forms.ValidationError(error.messages[0], code=error.code) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and self.checked is not None:
            same = self.instance.versions.filter(sha256=self.checked.sha256).order_by("-number").first()
            if same is not None:
                self.add_error(
                    "upload",
                    f"上传的文件与第{same.number}版内容完全相同（SHA-256 一致），无需上传新版本",
                )
        project, title = cleaned.get("project"), (cleaned.get("title") or "").strip()
        if self.instance.pk is None and project is not None and title:
            from cms.procurement.models import ProcurementFile

            if ProcurementFile.objects.filter(project=project, title=title).exists():
                self.add_error(
                    "title",
                    f"该项目已有名为“{title}”的采购文件；要更换它，请打开该文件上传新版本",
                )
        return cleaned

    def save(self, commit=True):
        from cms.procurement.trust.versions import add_version

        instance = super().save(commit=commit)
        if commit and self.checked is not None:
            self.new_version = add_version(
                instance,
                self.checked.upload,
                documents.stored_name(self.checked),
                user=self.for_user,
                content_type=documents.content_type(self.checked),
            )
        return instance


# --- the notice form: only the project's own files ------------------------------------------------------


def version_note(pfile, goes_out):
    """``goes_out``: this notice has never been published, so its first publication will publish the
    newest version of the files it carries (``versions.publish_versions``)."""
    latest, published = pfile.latest_number, pfile.published_number
    waiting = "待随本公告发布" if goes_out else "须发布新的更正公告才会发布"
    if published is None:
        return f"第{latest}版，{waiting}"
    if latest != published:
        return f"已发布第{published}版；第{latest}版{waiting}"
    return f"第{latest}版，已发布"


class NoticeDocumentsForm(NoticeForm):
    """The base form of the notices that carry tender documents (采购公告, 更正公告): their document
    choice lists only the files of the notice's own project, and refuses any other posted id."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        formset = self.formsets.get("documents")
        if formset is None:
            return
        files = self.project_files(parent_page)
        goes_out = self.instance.first_published_at is None

        class OwnProjectDocumentForm(formset.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                narrow(self.fields["file"], files, goes_out)

        formset.form = OwnProjectDocumentForm  # also the empty form the "add" button copies
        if "forms" in formset.__dict__:  # already built: narrow them too
            for form in formset.forms:
                narrow(form.fields["file"], files, goes_out)

    def project_files(self, parent_page):
        from cms.procurement.models import ProcurementFile

        parent = parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if parent is None:
            return ProcurementFile.objects.none()
        return (
            ProcurementFile.objects.filter(project_id=parent.pk)
            .annotate(
                latest_number=Max("versions__number"),
                published_number=Max("versions__number", filter=Q(versions__published_at__isnull=False)),
            )
            .filter(latest_number__isnull=False)
            .order_by("title")
        )


def narrow(field, files, goes_out):
    field.queryset = files
    field.label_from_instance = lambda pfile: f"{pfile.title}（{version_note(pfile, goes_out)}）"
    field.error_messages["invalid_choice"] = "只能选择本项目的采购文件，请在列表中重新选择"
    field.empty_label = "请选择本项目的采购文件"


# --- the verify page ------------------------------------------------------------------------------------


class VerifyFileForm(ErrorSummaryMixin, forms.Form):
    """The file is never stored: ``digests.DigestUploadHandler`` hashes it as it streams in."""

    file = forms.FileField(
        label="选择要校验的文件",
        help_text="从本平台下载的采购文件（PDF、OFD、DOCX、XLSX、ZIP 等）；文件只用于计算摘要，不会被保存",
        error_messages={
            "required": "请选择要校验的文件",
            "empty": "选择的文件是空文件，请重新选择",
            "invalid": "没有收到文件，请重新选择",
        },
    )


class VerifyDigestForm(ErrorSummaryMixin, forms.Form):
    sha256 = forms.CharField(
        label="SHA-256 摘要",
        max_length=1000,
        help_text="64位十六进制字符，可用 sha256sum、certutil -hashfile 文件名 SHA256 等工具计算",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off", "class": "mono"}
        ),
        error_messages={
            "required": "请输入文件的 SHA-256 摘要",
            "max_length": "输入的内容过长：请只粘贴 64 位的 SHA-256 摘要",
        },
    )

    def clean_sha256(self):
        try:
            return parse_sha256(self.cleaned_data["sha256"])
        except DigestInvalid as error:
            raise forms.ValidationError(str(error), code="invalid") from None
