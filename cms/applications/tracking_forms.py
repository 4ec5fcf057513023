"""Forms of the tracking page: the lookup, and the applicant's own actions on an application."""

from django import forms

from cms.casework.codes import QUERY_CODE_LENGTH
from cms.casework.forms import tracking_lookup_fields

from .forms import AccessibleForm, MaterialsForm
from .models import Rating


class TrackForm(AccessibleForm):
    tracking_number, query_code = tracking_lookup_fields(
        number_help="提交申请后回执上的编号，如 ZW2026112400017",
        code_help=f"{QUERY_CODE_LENGTH}位字母和数字，提交申请时显示",
        too_long="{label}过长，请核对",
    )


class SupplyForm(MaterialsForm):
    """补正: files for any of the slots (at least one) and an optional note."""

    note = forms.CharField(
        label="补正说明",
        required=False,
        max_length=500,
        help_text="选填，500字以内",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "补正说明最多 %(limit_value)d 个字（现为 %(show_value)d 个字）"},
    )

    def __init__(self, *args, materials=(), **kwargs):
        kwargs.setdefault("prefix", "s")
        super().__init__(*args, materials=materials, require=False, **kwargs)
        self.fields["note"] = self.fields.pop("note")  # after the upload slots

    def clean(self):
        cleaned = super().clean()
        chosen = any(cleaned.get(name) for name in self.materials)
        if not chosen and not self.errors:
            self.add_error(None, "请至少上传一个补正材料文件")
        return cleaned


class WithdrawForm(AccessibleForm):
    reason = forms.CharField(
        label="撤回原因",
        required=False,
        max_length=500,
        help_text="选填",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "撤回原因最多 %(limit_value)d 个字（现为 %(show_value)d 个字）"},
    )
    confirm = forms.BooleanField(
        label="我确认撤回此申请。撤回后办理终止，如需办理须重新申请。",
        error_messages={"required": "请勾选确认后再撤回申请"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "w")
        super().__init__(*args, **kwargs)


class RatingForm(AccessibleForm):
    score = forms.TypedChoiceField(
        label="评价",
        coerce=int,
        choices=Rating.Score.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价等级", "invalid_choice": "请选择评价等级"},
    )
    comment = forms.CharField(
        label="意见建议",
        required=False,
        max_length=500,
        help_text="选填，500字以内。评价等级会计入该事项的公开统计，意见建议不公开",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "意见建议最多 %(limit_value)d 个字（现为 %(show_value)d 个字）"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "r")
        super().__init__(*args, **kwargs)
