"""The public form of a disclosure request, after the national template of 政府信息公开申请表: the applicant
(a person, or an organisation with its kind), how to reach them, the information wanted, and how it is to
be delivered. The JSON endpoint validates through this same form."""

import re

from django import forms
from django.core.exceptions import ValidationError

from cms.casework.forms import PhoneMixin, address_field, email_field, phone_field
from cms.casework.forms import squeeze as _squeeze
from cms.casework.identity import normalize_resident_id, validate_resident_id, validate_uscc
from cms.core.models import Department

from .choices import ApplicantKind, DeliveryForm, DeliveryMethod, IdType
from .form_support import AccessibleForm
from .models import DisclosureRequest

POSTCODE_RE = re.compile(r"^\d{6}$")
# Other identity documents: the formats printed on them (the resident ID has its own check digit).
ID_FORMATS = {
    IdType.PASSPORT: (re.compile(r"^[A-Z0-9]{5,17}$"), "护照号码应为5至17位字母或数字"),
    IdType.HK_MACAO: (re.compile(r"^[HM]\d{8,10}$"), "港澳居民来往内地通行证号码应为H或M开头加8至10位数字"),
    IdType.TAIWAN: (re.compile(r"^\d{8}(?:\d{2})?$"), "台湾居民来往大陆通行证号码应为8位或10位数字"),
    IdType.OTHER: (re.compile(r"^[A-Z0-9-]{4,18}$"), "证件号码应为4至18位字母、数字或连字符"),
}
MIN_DESCRIPTION = 5

PERSON_FIELDS = ("name", "id_type", "id_number")
ORGANISATION_FIELDS = ("organisation_name", "uscc", "legal_representative", "contact_name")


class DisclosureRequestForm(PhoneMixin, AccessibleForm):
    phone_error = "联系电话格式不正确：请填写11位手机号码，或带区号的固定电话"

    applicant_kind = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人类型"},
    )
    # A person (公民).
    name = forms.CharField(
        label="姓名",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(
        label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID, required=False
    )
    id_number = forms.CharField(
        label="证件号码",
        max_length=18,
        required=False,
        help_text="居民身份证为18位，最后一位可能是X",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # An organisation (法人或其他组织).
    organisation_name = forms.CharField(
        label="单位名称",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        required=False,
        help_text="18位，见营业执照或登记证书",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    legal_representative = forms.CharField(label="法定代表人或负责人", max_length=50, required=False)
    contact_name = forms.CharField(
        label="联系人姓名",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # How to reach the applicant.
    phone = phone_field(max_length=20, help_text="手机号码或带区号的固定电话，如 0391-6633001")
    email = email_field(help_text="填写后，受理回执和办理进展将发送到此邮箱")
    address = address_field()
    postcode = forms.CharField(
        label="邮政编码",
        max_length=6,
        required=False,
        help_text="选择邮寄时必填",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    # What is asked for, and from whom.
    department = forms.ModelChoiceField(
        label="申请公开的机关",
        queryset=Department.objects.order_by("sort_order", "name"),
        empty_label="请选择",
        error_messages={"required": "请选择申请公开的机关", "invalid_choice": "请从列表中选择申请公开的机关"},
    )
    description = forms.CharField(
        label="所需政府信息的内容描述",
        max_length=2000,
        help_text="请尽量具体地描述所需信息，如涉及的事项、时间、地点等，便于准确查找（2000字以内）",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请描述所需的政府信息"},
    )
    document_hint = forms.CharField(
        label="文件名称、文号或其他特征",
        max_length=300,
        required=False,
        help_text="选填，如《××关于××的通知》（济政〔2025〕1号）",
    )
    delivery_form = forms.ChoiceField(
        label="获取信息的载体形式",
        choices=DeliveryForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的载体形式"},
    )
    delivery_method = forms.ChoiceField(
        label="获取信息的方式",
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的方式"},
    )
    consent = forms.BooleanField(
        label="我已阅读申请须知，承诺所填信息真实有效，并同意行政机关为办理本申请使用上述信息",
        error_messages={"required": "请阅读申请须知并勾选承诺"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = (
                    f"{field.label}不能超过%(limit_value)d个字（已填%(show_value)d个字）"
                )
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = f"请从列表中选择{field.label}"
            field.error_messages["null_characters_not_allowed"] = (
                f"{field.label}含有不可见的控制字符，请删除后重新填写"
            )

    # --- single fields ---

    def clean_id_number(self):
        return normalize_resident_id(self.cleaned_data.get("id_number"))

    def clean_uscc(self):
        return _squeeze(self.cleaned_data.get("uscc")).upper()

    def normalize_phone(self, value):
        return _squeeze(value).replace("－", "-")

    def clean_postcode(self):
        postcode = _squeeze(self.cleaned_data.get("postcode"))
        if postcode and not POSTCODE_RE.match(postcode):
            raise ValidationError("邮政编码应为6位数字", code="postcode")
        return postcode

    def clean_description(self):
        description = (self.cleaned_data.get("description") or "").strip()
        if len(description) < MIN_DESCRIPTION:
            raise ValidationError(
                f"内容描述过于简单（至少{MIN_DESCRIPTION}个字），请具体说明所需的政府信息", code="too_short"
            )
        return description

    # --- the form as a whole ---

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind == ApplicantKind.PERSON:
            self._clean_person(data)
        elif kind:
            self._clean_organisation(data)
        self._clean_delivery(data)
        return data

    def _require(self, data, name, message):
        if not data.get(name) and name not in self.errors:
            self.add_error(name, ValidationError(message, code="required"))
            return False
        return name not in self.errors

    def _clean_person(self, data):
        self._require(data, "name", "请填写申请人姓名")
        if not data.get("id_type"):
            data["id_type"] = IdType.RESIDENT_ID
        if not self._require(data, "id_number", "请填写证件号码"):
            return
        number, id_type = data["id_number"], data["id_type"]
        try:
            if id_type == IdType.RESIDENT_ID:
                validate_resident_id(number)
            else:
                pattern, message = ID_FORMATS[id_type]
                if not pattern.match(number):
                    raise ValidationError(message, code="format")
        except ValidationError as error:
            self.add_error("id_number", error)

    def _clean_organisation(self, data):
        self._require(data, "organisation_name", "请填写单位名称")
        if self._require(data, "uscc", "请填写统一社会信用代码"):
            try:
                validate_uscc(data["uscc"])
            except ValidationError as error:
                self.add_error("uscc", error)
        self._require(data, "legal_representative", "请填写法定代表人或负责人")
        self._require(data, "contact_name", "请填写联系人姓名")

    def _clean_delivery(self, data):
        form, method = data.get("delivery_form"), data.get("delivery_method")
        if method == DeliveryMethod.EMAIL:
            self._require(data, "email", "选择以电子邮件获取时，请填写电子邮箱")
        if method == DeliveryMethod.POST:
            self._require(data, "postcode", "选择邮寄时，请填写邮政编码")
        if form == DeliveryForm.PAPER and method in (DeliveryMethod.EMAIL, DeliveryMethod.ONLINE):
            self.add_error(
                "delivery_method",
                ValidationError(
                    "纸质文本只能邮寄或当面领取；如需电子邮件或网上获取，请选择“电子数据”", code="mismatch"
                ),
            )

    # --- the result ---

    def build_request(self, submission_key):
        """An unsaved ``DisclosureRequest`` from the cleaned data (fields of the other applicant kind are
        dropped, so a person's request keeps no half-typed organisation data and vice versa)."""
        data = self.cleaned_data
        person = data["applicant_kind"] == ApplicantKind.PERSON
        return DisclosureRequest(
            submission_key=submission_key,
            department=data["department"],
            applicant_kind=data["applicant_kind"],
            applicant_name=data["name"] if person else data["organisation_name"],
            id_type=data["id_type"] if person else "",
            id_number=data["id_number"] if person else "",
            uscc="" if person else data["uscc"],
            legal_representative="" if person else data["legal_representative"],
            contact_name="" if person else data["contact_name"],
            phone=data["phone"],
            email=data.get("email") or "",
            address=data["address"],
            postcode=data.get("postcode") or "",
            description=data["description"],
            document_hint=data.get("document_hint") or "",
            delivery_form=data["delivery_form"],
            delivery_method=data["delivery_method"],
        )

    def fields_of(self, names):
        return [self[name] for name in names]
