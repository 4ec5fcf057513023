"""The supplier forms: registration, login, password reset (through the outbox) and saved searches.

Every field has a Chinese label and message; ``error_summary()`` links each error to its field (Django
names the hint and the error in ``aria-describedby`` and sets ``aria-invalid``)."""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from cms.casework.forms import ErrorSummaryMixin, PhoneMixin, phone_field, squeeze
from cms.casework.identity import USCC_ALPHABET, normalize_uscc, validate_uscc
from cms.core.models import Department
from cms.procurement.choices import Category, Method
from cms.procurement.models import SavedSearch, Supplier
from cms.procurement.suppliers.alerts import MAX_KEYWORDS, keyword_terms

MAX_SAVED_SEARCHES = 20
USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")
DUPLICATE_USCC = (
    "该统一社会信用代码已注册供应商账号。如是贵单位的账号，请直接登录；忘记密码可通过“找回密码”重置。"
)
DUPLICATE_EMAIL = "该电子邮箱已被其他供应商账号使用，请换用贵单位的其他邮箱，或用该邮箱找回密码。"


def _max_length_messages(form):
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.error_messages["max_length"] = (
                f"{field.label}最多 %(limit_value)d 个字（现为 %(show_value)d 个字）"
            )


class SupplierForm(ErrorSummaryMixin, forms.Form):
    pass


class RegistrationForm(PhoneMixin, SupplierForm):
    phone_error = "请填写正确的联系电话：11位手机号码，或带区号的固定电话（如 0391-6633001）"

    company_name = forms.CharField(
        label="单位名称",
        max_length=100,
        help_text="与营业执照上的名称一致",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "请填写单位名称"},
    )
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        help_text="18位，见营业执照；也是登录账号",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": "请填写统一社会信用代码"},
    )
    contact_name = forms.CharField(
        label="联系人",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "请填写联系人姓名"},
    )
    phone = phone_field(max_length=30, help_text="手机号码，或带区号的固定电话，如 0391-6633001")
    email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        help_text="接收验证邮件、更正公告和订阅提醒；验证后才能下载采购文件",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "请填写电子邮箱",
            "invalid": "请填写正确的电子邮箱地址，如 name@example.com",
        },
    )
    password1 = forms.CharField(
        label="密码",
        strip=False,
        max_length=128,
        help_text="至少8位，不能全是数字，不能与账号信息相近，不能是常见密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请设置密码"},
    )
    password2 = forms.CharField(
        label="确认密码",
        strip=False,
        max_length=128,
        help_text="再输入一次密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再输入一次密码"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _max_length_messages(self)

    def clean_company_name(self):
        return " ".join(self.cleaned_data["company_name"].split())

    def clean_contact_name(self):
        return " ".join(self.cleaned_data["contact_name"].split())

    def clean_uscc(self):
        value = validate_uscc(normalize_uscc(self.cleaned_data["uscc"]))
        taken = Supplier.objects.filter(uscc=value).exists()
        if taken or get_user_model().objects.filter(username=value).exists():
            raise ValidationError(DUPLICATE_USCC, code="duplicate")
        return value

    def clean_email(self):
        value = self.cleaned_data["email"].strip().lower()
        if Supplier.objects.filter(email__iexact=value).exists():
            raise ValidationError(DUPLICATE_EMAIL, code="duplicate")
        return value

    def normalize_phone(self, value):
        return squeeze(value).removeprefix("+86")

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致")
        elif first:
            user = get_user_model()(username=cleaned.get("uscc", ""), email=cleaned.get("email", ""))
            user.first_name = cleaned.get("contact_name", "")
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(SupplierForm):
    account = forms.CharField(
        label="账号",
        max_length=254,
        help_text="统一社会信用代码或注册邮箱",
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={"required": "请填写统一社会信用代码或注册邮箱"},
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写密码"},
    )

    def username(self):
        """What axes counts failures under and Django authenticates: the account's credit code
        (an email address is looked up; an unknown one, or another user name, is used as typed)."""
        account = self.cleaned_data.get("account", "").strip()
        if "@" in account:
            supplier = Supplier.objects.filter(email__iexact=account).only("uscc").first()
            return supplier.uscc if supplier else account.lower()
        code = normalize_uscc(account)
        return code if USCC_RE.match(code) else account


class SupplierPasswordResetForm(ErrorSummaryMixin, PasswordResetForm):
    """Django's reset form for supplier accounts only, its email through the outbox (with retries).
    The answer is the same whether or not the address is registered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "注册邮箱"
        email.help_text = "填写注册供应商账号时使用的电子邮箱"
        email.error_messages = {"required": "请填写注册邮箱", "invalid": "请填写正确的电子邮箱地址"}

    def get_users(self, email):
        suppliers = Supplier.objects.filter(email__iexact=email.strip(), user__is_active=True)
        for supplier in suppliers.select_related("user"):
            if supplier.user.has_usable_password():
                yield supplier.user

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        from cms.procurement.suppliers import notify

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        notify.queue(to_email, subject, body, notify.supplier_label(context["user"].supplier))


class SupplierSetPasswordForm(ErrorSummaryMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = "至少8位，不能全是数字，不能与账号信息相近，不能是常见密码"
        self.fields["new_password2"].label = "确认新密码"
        self.fields["new_password2"].help_text = "再输入一次新密码"


# --- saved searches ---------------------------------------------------------------------------


def buyer_choices():
    """The departments that buy through the portal (those with a procurement folder), by slug."""
    departments = Department.objects.filter(procurement_page__isnull=False).order_by("name")
    return [("", "全部采购人")] + [(d.slug, d.name) for d in departments]


class SavedSearchForm(SupplierForm):
    category = forms.ChoiceField(label="采购品目", required=False)
    method = forms.ChoiceField(label="采购方式", required=False)
    buyer = forms.ChoiceField(label="采购人", required=False)
    keywords = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        help_text="在项目名称、项目编号和采购需求中查找；多个关键词用空格分开，须同时包含",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    frequency = forms.ChoiceField(
        label="提醒方式",
        choices=[
            (SavedSearch.Frequency.IMMEDIATE, "即时提醒：每条新公告发布后发送一封邮件"),
            (SavedSearch.Frequency.DAILY, "每日汇总：每天上午8时发送一封汇总邮件"),
        ],
        initial=SavedSearch.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择提醒方式", "invalid_choice": "请选择提醒方式"},
    )

    def __init__(self, *args, supplier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.supplier = supplier
        self.fields["category"].choices = [("", "全部品目"), *Category.choices]
        self.fields["method"].choices = [("", "全部采购方式"), *Method.choices]
        self.fields["buyer"].choices = buyer_choices()
        for name in ("category", "method", "buyer"):
            label = self.fields[name].label
            self.fields[name].error_messages["invalid_choice"] = f"所选{label}不存在，请重新选择"
        _max_length_messages(self)

    def anchor(self, name):
        field = self[name]
        return f"{field.auto_id}_0" if field.use_fieldset else field.auto_id

    def clean_keywords(self):
        # Stored as matching reads it, so "救护车，担架" and "救护车 担架" are one subscription.
        terms = keyword_terms(self.cleaned_data["keywords"], limit=None)
        if len(terms) > MAX_KEYWORDS:
            raise ValidationError(f"最多填写 {MAX_KEYWORDS} 个关键词，请删去一些")
        keywords = " ".join(terms)
        if len(keywords) > SavedSearch._meta.get_field("keywords").max_length:
            raise ValidationError("关键词过长，请删去一些")
        return keywords

    def clean_buyer(self):
        slug = self.cleaned_data["buyer"]
        return Department.objects.filter(slug=slug).first() if slug else None

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.supplier is None:
            return cleaned
        existing = SavedSearch.objects.filter(supplier=self.supplier)
        if existing.count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(f"每个供应商最多保存 {MAX_SAVED_SEARCHES} 个订阅，请先删除不再需要的订阅。")
        same = existing.filter(
            category=cleaned["category"],
            method=cleaned["method"],
            buyer=cleaned["buyer"],
        )
        terms = set(keyword_terms(cleaned["keywords"]))
        # Compared as terms: the order does not change what matches, and older rows may be unnormalised.
        if any(set(keyword_terms(search.keywords)) == terms for search in same.only("keywords")):
            raise ValidationError("已有相同条件的订阅，无需重复添加。")
        return cleaned

    def save(self):
        return SavedSearch.objects.create(
            supplier=self.supplier,
            category=self.cleaned_data["category"],
            method=self.cleaned_data["method"],
            buyer=self.cleaned_data["buyer"],
            keywords=self.cleaned_data["keywords"],
            frequency=self.cleaned_data["frequency"],
        )
