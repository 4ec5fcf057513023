"""The online application form of a service guide, in three parts validated together:

* ``ApplicantForm``: who applies (a person with a resident ID, or an organisation with its unified social
  credit code and a contact person), how to reach them, and the consent;
* the guide's own fields, defined by editors (Wagtail's ``FormBuilder`` over ``guide.form_fields``);
* ``MaterialsForm``: one upload slot per material, checked by content (``cms.casework.uploads``).

``ApplicationForm`` puts them together with one error summary. The JSON endpoint validates through it too.
"""

import datetime
import decimal
import unicodedata

from django import forms
from wagtail.contrib.forms.forms import FormBuilder

from cms.casework import uploads
from cms.casework.forms import ErrorSummaryMixin, PhoneMixin, address_field, email_field, phone_field
from cms.casework.identity import validate_resident_id, validate_uscc
from cms.services.choices import Audience

MAX_TEXT = 2000  # an editor-defined multi-line field
CONSENT_TEXT = (
    "本人（本单位）承诺所填信息和上传的材料真实、合法、有效，并同意办理部门为办理本事项处理上述个人信息。"
)


class AccessibleForm(ErrorSummaryMixin, forms.Form):
    """``error_summary()`` links each error to its field. Django (5.2) itself names a field's hint
    (``<id>_helptext``) and error (``<id>_error``) in ``aria-describedby``; the templates use those ids."""

    def anchor(self, name):
        field = self[name]
        return f"{field.auto_id}_0" if field.use_fieldset else field.auto_id


def _squeeze(value):
    return "".join(unicodedata.normalize("NFKC", value or "").split())


class ApplicantForm(PhoneMixin, AccessibleForm):
    """Who applies. ``kind`` (个人/法人) comes from the page (``?as=``), so only its fields are shown."""

    PERSON_FIELDS = ("name", "id_number")
    ORGANISATION_FIELDS = ("organisation_name", "uscc", "contact_name")

    phone_error = "请填写正确的联系电话：11位手机号码，或带区号的固定电话（如 0391-6633001）"

    # Which set of fields the page showed (decided by the view from ``?as=``); whatever comes back, the
    # cleaned value is the page's own kind.
    applicant_kind = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="姓名",
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "请填写姓名"},
    )
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=30,
        help_text="18位居民身份证号码，最后一位可能是X",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
        error_messages={"required": "请填写公民身份号码"},
    )
    organisation_name = forms.CharField(
        label="单位名称",
        max_length=200,
        help_text="与营业执照或登记证书上的名称一致",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "请填写单位名称"},
    )
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        help_text="18位，见营业执照或登记证书",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "请填写统一社会信用代码"},
    )
    contact_name = forms.CharField(
        label="联系人",
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "请填写联系人姓名"},
    )
    phone = phone_field(max_length=30, help_text="手机号码，或带区号的固定电话，如 0391-6633001")
    email = email_field(help_text="选填。填写后，受理回执和办理进展会发送到此邮箱")
    address = address_field(help_text="用于邮寄办理结果等")
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "请阅读并勾选承诺，才能提交申请"},
    )

    def __init__(self, *args, kind=Audience.PERSON, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.initial.setdefault("applicant_kind", kind)
        dropped = self.ORGANISATION_FIELDS if kind == Audience.PERSON else self.PERSON_FIELDS
        for name in dropped:
            del self.fields[name]
        for field in self.fields.values():
            if not isinstance(field, forms.BooleanField):
                field.error_messages["max_length"] = (
                    f"{field.label}最多 %(limit_value)d 个字（现为 %(show_value)d 个字）"
                )

    def clean_applicant_kind(self):
        # The kind the page was built for; a tampered value never mixes the two sets of fields.
        return self.kind

    def clean_id_number(self):
        return validate_resident_id(self.cleaned_data["id_number"])

    def clean_uscc(self):
        return validate_uscc(self.cleaned_data["uscc"])

    def normalize_phone(self, value):
        return _squeeze(value).removeprefix("+86")


class ApplicationFieldBuilder(FormBuilder):
    """Wagtail's form builder with bounds on everything a stranger can type."""

    def create_singleline_field(self, field, options):
        options["max_length"] = 255
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MAX_TEXT
        options.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        return forms.CharField(**options)

    def create_number_field(self, field, options):
        options.update(max_digits=18, decimal_places=6)
        return forms.DecimalField(**options)

    def create_date_field(self, field, options):
        options.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        return forms.DateField(**options)

    def create_datetime_field(self, field, options):
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        options.setdefault("widget", widget)
        return forms.DateTimeField(**options)

    def create_email_field(self, field, options):
        options["max_length"] = 254
        return forms.EmailField(**options)

    def create_url_field(self, field, options):
        options["max_length"] = 500
        return super().create_url_field(field, options)


class DetailsForm(AccessibleForm):
    """The guide's own fields; built per guide by ``details_form_class``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            choosing = isinstance(field, forms.ChoiceField | forms.MultipleChoiceField | forms.BooleanField)
            field.error_messages["required"] = f"请{'选择' if choosing else '填写'}“{field.label}”"
            field.error_messages["max_length"] = (
                f"“{field.label}”最多 %(limit_value)d 个字（现为 %(show_value)d 个字）"
            )
            field.error_messages["invalid_choice"] = f"请从列表中选择“{field.label}”"

    def entries(self):
        """What the applicant entered, as ``[{"name", "label", "value"}]`` in the form's order (a list:
        jsonb does not keep the order of an object's keys), values as text."""
        result = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            result.append({"name": name, "label": str(field.label), "value": _as_text(field, value)})
        return result


def _as_text(field, value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return str(value)


def details_form_class(guide):
    fields = list(guide.form_fields.all())
    builder = ApplicationFieldBuilder(fields)
    return type("GuideDetailsForm", (DetailsForm,), dict(builder.formfields))


class MaterialsForm(AccessibleForm):
    """One upload slot per material of the guide. ``checked`` holds the files that passed, by material."""

    def __init__(self, *args, materials=(), require=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = {str(material.pk): material for material in materials}
        self.checked = {}
        for name, material in self.materials.items():
            types = material.allowed_types
            limit = f"{material.max_size_mb} MB"
            self.fields[name] = forms.FileField(
                label=material.name,
                required=require and material.required,
                allow_empty_file=True,  # uploads.check says which file is empty, by name
                help_text=f"格式：{uploads.allowed_label(types)}；每个文件不超过 {limit}",
                widget=forms.FileInput(attrs={"accept": uploads.accept_attribute(types)}),
                error_messages={
                    "required": f"请上传“{material.name}”",
                    "invalid": f"“{material.name}”上传失败，请重新选择文件",
                    "missing": f"“{material.name}”上传失败，请重新选择文件",
                },
            )

    def clean(self):
        cleaned = super().clean()
        for name, material in self.materials.items():
            upload = cleaned.get(name)
            if not upload:
                continue
            try:
                self.checked[name] = uploads.check_material(upload, material)
            except uploads.UploadRejected as error:
                self.add_error(name, error)
        return cleaned

    def slots(self):
        """``[(bound field, material)]`` for the template."""
        return [(self[name], material) for name, material in self.materials.items()]

    def checked_files(self):
        """``[(material, CheckedUpload)]`` in the guide's order."""
        return [(self.materials[name], checked) for name, checked in self.checked.items()]


class ApplicationForm:
    """The three parts of the form for one guide, validated together."""

    def __init__(self, guide, kind, data=None, files=None):
        self.guide = guide
        self.kind = kind
        self.applicant = ApplicantForm(data, kind=kind, prefix=None)
        self.details = details_form_class(guide)(data, prefix="f")
        self.materials = MaterialsForm(data, files, materials=list(guide.materials.all()), prefix="m")
        self.extra_errors = []

    @property
    def parts(self):
        return (self.applicant, self.details, self.materials)

    def is_valid(self):
        valid = [part.is_valid() for part in self.parts]  # every part, so every error shows at once
        return all(valid) and not self.extra_errors

    @property
    def is_bound(self):
        return self.applicant.is_bound

    def add_error(self, message):
        """An error about the whole submission (e.g. the request was too large)."""
        self.extra_errors.append(message)

    def error_summary(self):
        items = [{"href": "", "label": "", "message": m} for m in self.extra_errors]
        if not self.is_bound:
            return items
        for part in self.parts:
            items += part.error_summary()
        return items
