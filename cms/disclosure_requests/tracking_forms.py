"""The small forms of the tracking page: look a request up, answer a request for a supplement, withdraw."""

from django import forms
from django.core.exceptions import ValidationError

from cms.casework import uploads
from cms.casework.forms import tracking_lookup_fields

from .form_support import AccessibleForm

SUPPLEMENT_TYPES = [
    "pdf",
    "jpg",
    "png",
    "docx",
]  # what a supplement may attach (checked by content, not by name)
SUPPLEMENT_MAX_MB = 10


class TrackingForm(AccessibleForm):
    tracking_number, query_code = tracking_lookup_fields(
        number_help="提交成功页面或回执邮件中的编号，如 YS2026112400001",
        code_help="提交成功页面显示的8位查询码，不区分大小写",
        too_long="{label}不正确，请核对后重新输入",
    )


class SupplementForm(AccessibleForm):
    text = forms.CharField(
        label="补正说明",
        max_length=2000,
        required=False,
        help_text="按照补正告知的要求，说明所需政府信息的具体内容（2000字以内）",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "补正说明不能超过%(limit_value)d个字（已填%(show_value)d个字）"},
    )
    file = forms.FileField(
        label="补正材料（选填）",
        required=False,
        help_text=f"PDF、JPG、PNG 或 Word（docx）文件，不超过{SUPPLEMENT_MAX_MB}MB",
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept_attribute(SUPPLEMENT_TYPES)}),
    )

    def __init__(self, *args, too_large=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large  # the message when the request's upload was stopped for its size

    def clean_file(self):
        if self.too_large:
            raise ValidationError(self.too_large, code="too_large")
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return uploads.check(upload, SUPPLEMENT_TYPES, SUPPLEMENT_MAX_MB * 1024 * 1024)  # a CheckedUpload

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("file"):
            raise ValidationError("请填写补正说明或上传补正材料", code="empty")
        return data


class WithdrawForm(AccessibleForm):
    confirm = forms.BooleanField(
        label="我确认撤回本申请；撤回后本申请不再办理",
        error_messages={"required": "请勾选确认后再撤回"},
    )
    reason = forms.CharField(
        label="撤回原因（选填）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "撤回原因不能超过%(limit_value)d个字（已填%(show_value)d个字）"},
    )
