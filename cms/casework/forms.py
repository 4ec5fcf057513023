"""Form parts the public forms of every kind of case share (办件, 依申请公开).

* How to reach the applicant: ``phone_field``, ``email_field``, ``address_field`` (declare them in the
  form's own body, so each form keeps its field order), and ``PhoneMixin`` for the phone's cleaning.
* ``ErrorSummaryMixin``: the entries of a form's error summary, each linked to its field (``anchor``).
* The tracking lookup: ``tracking_lookup_fields`` (tracking number + query code), e.g.
  ``tracking_number, query_code = tracking_lookup_fields(...)`` in a form's body; ``public.find_case``
  checks what was entered.

Labels and the common error messages are fixed here; what the forms word differently (help text, lengths,
the phone's error message and normalisation) is passed in.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.forms import NON_FIELD_ERRORS

# A mobile number, or a fixed line with its area code (and an optional extension).
PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")


def squeeze(value):
    """``value`` without any whitespace ("" for None)."""
    return "".join((value or "").split())


class ErrorSummaryMixin:
    """``error_summary()`` for a form; ``anchor(name)`` is the id a field's entry links to."""

    def anchor(self, name):
        return self[name].auto_id

    def error_summary(self):
        """``[{"href": "#id_phone", "label": "联系电话", "message": "..."}]`` in the order of the form."""
        items = [{"href": "", "label": "", "message": m} for m in self.errors.get(NON_FIELD_ERRORS, [])]
        for name in self.fields:
            for message in self.errors.get(name, []):
                items.append({"href": f"#{self.anchor(name)}", "label": self[name].label, "message": message})
        return items


# --- how to reach the applicant ---------------------------------------------------------------


def phone_field(*, max_length, help_text):
    return forms.CharField(
        label="联系电话",
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        error_messages={"required": "请填写联系电话"},
    )


def email_field(*, help_text):
    return forms.EmailField(
        label="电子邮箱",
        max_length=254,
        required=False,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "请填写正确的电子邮箱地址，如 name@example.com"},
    )


def address_field(*, help_text=""):
    return forms.CharField(
        label="通信地址",
        max_length=200,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        error_messages={"required": "请填写通信地址"},
    )


class PhoneMixin:
    """``clean_phone`` for a form with a ``phone`` field: normalised (``normalize_phone``), then checked
    against ``PHONE_RE``; ``phone_error`` is the message when it does not match."""

    phone_error = "联系电话格式不正确"

    def normalize_phone(self, value):
        return squeeze(value)

    def clean_phone(self):
        value = self.normalize_phone(self.cleaned_data.get("phone"))
        if not PHONE_RE.match(value):
            raise ValidationError(self.phone_error, code="phone")
        return value


# --- the tracking lookup ----------------------------------------------------------------------


def _lookup_field(label, help_text, too_long):
    return forms.CharField(
        label=label,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": f"请填写{label}", "max_length": too_long.format(label=label)},
    )


def tracking_lookup_fields(*, number_help, code_help, too_long):
    """``(tracking_number, query_code)``: the two fields of a tracking lookup form. ``too_long`` is the
    message for an overlong entry, with ``{label}`` for the field's label."""
    return (
        _lookup_field("受理编号", number_help, too_long),
        _lookup_field("查询码", code_help, too_long),
    )
