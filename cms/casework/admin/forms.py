"""The forms of the case page: one per action the officer may take now (``Flow.available``).

Each form asks for what its ``Transition`` needs: the reason (required where the transition says), the
decision document (checked by content, not by name), an extension's days, a reply's kind and sub-reason,
an assignee. ``details()`` gives the keyword arguments of ``cms.casework.workflow.perform``.
"""

from django import forms

from cms.casework import uploads
from cms.casework.workflow import NONE, REQUIRED

DOCUMENT_TYPES = ["pdf", "ofd", "docx"]
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class DocumentField(forms.FileField):
    """A decision document (决定文书/答复书): PDF, OFD or DOCX judged by its content (a renamed file or a
    zip bomb is refused with a sentence naming the file), at most 20 MB."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        checked = uploads.check(upload, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES)
        upload.original_name = checked.original_name  # no path, no control characters, at most 120 characters
        upload.name = checked.storage_name
        return upload


class AccessibleForm(forms.Form):
    """Fields point at their error and help text with ``aria-describedby`` (see includes/action_form.html)."""

    def describe_fields(self):
        # The ids are those Wagtail's formattedfield gives the error and help containers.
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if self.is_bound and name in self._errors_or_empty():
                described.append(f"{bound.auto_id}-errors")
            if field.help_text:
                described.append(f"{bound.auto_id}-helptext")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def _errors_or_empty(self):
        return self._errors or {}

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    def add_error(self, field, error):
        super().add_error(field, error)
        self.describe_fields()


class ActionForm(AccessibleForm):
    """The form of one transition of ``case`` (``step`` is a ``Transition``)."""

    def __init__(self, *args, case, step, **kwargs):
        kwargs.setdefault("prefix", step.action)
        super().__init__(*args, **kwargs)
        self.case, self.step = case, step
        if step.action == "assign":
            self._add_assignee()
        if step.action == "extend":
            self._add_extension_days()
        if step.action == "reply":
            self._add_reply_kind()
        if step.action == "request_supplement" and hasattr(case, "supplement_due_on"):
            self._add_supply_days()
        if step.reason != NONE:
            self.fields["reason"] = forms.CharField(
                label=step.reason_label,
                required=step.reason == REQUIRED,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="申请人可在查询页和邮件中看到此内容" if step.public else "",
                error_messages={"required": f"请填写{step.reason_label}"},
            )
        if step.attachment != NONE:
            self.fields["attachment"] = DocumentField(
                label="答复文书" if step.action == "reply" else "决定文书",
                required=step.attachment == REQUIRED,
                help_text="PDF、OFD 或 Word (docx) 文件，不超过 20 MB",
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.ofd,.docx"}),
                error_messages={"required": "请上传答复文书" if step.action == "reply" else "请上传决定文书"},
            )
        self.describe_fields()

    def _add_assignee(self):
        from cms.casework.permissions import officers_of

        field = forms.ModelChoiceField(
            label="承办人",
            queryset=officers_of(self.case.department),
            empty_label="请选择",
            initial=self.case.assignee_id,
            error_messages={
                "required": "请选择承办人",
                "invalid_choice": "所选人员不是本部门承办组成员，请重新选择",
            },
            help_text="只能分配给本部门承办组的人员",
        )
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["assignee"] = field

    def _add_extension_days(self):
        from cms.disclosure_requests.models.flow import MAX_EXTENSION_DAYS

        self.fields["days"] = forms.IntegerField(
            label="延长工作日数",
            min_value=1,
            max_value=MAX_EXTENSION_DAYS,
            help_text=f"只能延长一次，最多 {MAX_EXTENSION_DAYS} 个工作日（《政府信息公开条例》第三十三条）",
            error_messages={
                "required": "请填写延长的工作日数",
                "invalid": "请填写整数",
                "min_value": f"延长的期限应为1至{MAX_EXTENSION_DAYS}个工作日",
                "max_value": f"延长的期限应为1至{MAX_EXTENSION_DAYS}个工作日",
            },
        )

    def _add_supply_days(self):
        from cms.disclosure_requests.models.flow import MAX_SUPPLY_DAYS, SUPPLY_DAYS

        self.fields["supply_days"] = forms.IntegerField(
            label="补正期限（工作日）",
            min_value=1,
            max_value=MAX_SUPPLY_DAYS,
            initial=SUPPLY_DAYS,
            help_text="申请人应在此期限内补正；逾期未补正的，可按“逾期未补正，不再处理”办结",
            error_messages={
                "required": "请填写补正期限",
                "invalid": "请填写整数",
                "min_value": f"补正期限应为1至{MAX_SUPPLY_DAYS}个工作日",
                "max_value": f"补正期限应为1至{MAX_SUPPLY_DAYS}个工作日",
            },
        )

    def _add_reply_kind(self):
        from cms.disclosure_requests.choices import REPLY_REASONS, ReplyKind
        from cms.disclosure_requests.models.request import AFTER_SUPPLEMENT_REASON, LAPSE_REASON

        self.fields["reply_kind"] = forms.ChoiceField(
            label="答复类型",
            choices=[("", "请选择"), *ReplyKind.choices],
            error_messages={"required": "请选择答复类型"},
        )
        # "Not supplied in time" is the lapse action's; "still unclear" needs a supplement asked for.
        hidden = {LAPSE_REASON} | (
            set() if self.case.supplement_requested_once else {AFTER_SUPPLEMENT_REASON}
        )
        groups = [
            (ReplyKind(kind).label, [choice for choice in reasons if choice[0] not in hidden])
            for kind, reasons in REPLY_REASONS.items()
        ]
        self.fields["reply_reason"] = forms.ChoiceField(
            label="具体理由",
            choices=[("", "不适用"), *groups],
            required=False,
            help_text="不予公开、无法提供、不予处理和其他处理须选择对应的理由（年度报告按此统计）",
        )

    def clean(self):
        data = super().clean()
        if self.step.action == "reply" and data.get("reply_kind"):
            from cms.disclosure_requests.choices import REPLY_REASONS, ReplyKind

            allowed = [code for code, _ in REPLY_REASONS.get(data["reply_kind"], [])]
            reason = data.get("reply_reason") or ""
            if allowed and reason not in allowed:
                label = ReplyKind(data["reply_kind"]).label
                self.add_error("reply_reason", f"请选择“{label}”的具体理由")
            elif not allowed and reason:
                self.add_error("reply_reason", "所选答复类型无需选择具体理由，请选“不适用”")
        return data

    def details(self):
        """Keyword arguments for ``workflow.perform`` besides ``by`` and ``user``."""
        data = self.cleaned_data
        attachment = data.get("attachment") or None
        details = {
            "reason": data.get("reason", ""),
            "attachment": attachment,
            "attachment_name": getattr(attachment, "original_name", ""),
        }
        if self.step.action == "assign":
            details["assignee"] = data["assignee"]
        if self.step.action == "extend":
            details["days"] = data["days"]
        if "supply_days" in data:
            details["supply_days"] = data["supply_days"]
        if self.step.action == "reply":
            details["reply_kind"] = data["reply_kind"]
            details["reply_reason"] = data.get("reply_reason") or ""
        return details
