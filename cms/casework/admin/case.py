"""The case page (办件详情): details, the applicant's form and files, the clock, the read-only history, the
emails sent to the applicant, and a form for each action the officer may take now.

Actions are POSTed to their own URL and go through ``cms.casework.workflow.perform`` (one transaction:
state, history entry, outbox row); a ``TransitionError`` comes back as a form error. Files are served
only by the download views below, from private storage, to the handling department's officers."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.casework import permissions, workflow
from cms.casework.identity import mask_phone, mask_resident_id
from cms.casework.models import Notification
from cms.casework.storage import private_storage
from cms.casework.workflow import OFFICER, TransitionError

from .forms import ActionForm
from .queues import CaseAccessMixin


def mask_email(value):
    if not value or "@" not in value:
        return value
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_text(value, keep=3):
    value = value or ""
    return value[:keep] + "****" if len(value) > keep else value


def person_name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


class CaseMixin(CaseAccessMixin):
    @cached_property
    def case(self):
        return permissions.get_case_or_404(self.request.user, self.kind.model, self.kwargs["pk"])

    @cached_property
    def can_act(self):
        return permissions.can_act(self.request.user, self.case)


class CaseView(CaseMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "casework/admin/case.html"
    header_icon = "form"

    def get_page_title(self):
        return f"{self.kind.label} {self.case.tracking_number}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{self.kind.url_namespace}:index"), "label": self.kind.menu_label},
            {"url": "", "label": self.case.tracking_number},
        ]

    # --- what the page shows ---------------------------------------------------------------------

    def applicant_rows(self):
        case, full = self.case, self.can_act
        rows = [
            ("申请人", case.applicant_name if full else case.masked_name),
            ("申请人类型", case.get_applicant_kind_display()),
        ]
        if getattr(case, "organisation_name", ""):
            rows.append(("单位名称", case.organisation_name))
        if getattr(case, "id_type", ""):
            rows.append(("证件类型", case.get_id_type_display()))
        if case.id_number:
            rows.append(("证件号码", case.id_number if full else mask_resident_id(case.id_number)))
        if case.uscc:
            rows.append(("统一社会信用代码", case.uscc))
        for field in ("legal_representative", "contact_name"):
            value = getattr(case, field, "")
            if value:
                label = case._meta.get_field(field).verbose_name
                rows.append((label, value if full else value[:1] + "**"))
        rows.append(("联系电话", case.phone if full else mask_phone(case.phone)))
        if case.email:
            rows.append(("电子邮箱", case.email if full else mask_email(case.email)))
        if getattr(case, "address", ""):
            rows.append(("通信地址", case.address if full else mask_text(case.address, 6)))
            if getattr(case, "postcode", ""):
                rows.append(("邮政编码", case.postcode))
        return rows

    def subject_rows(self):
        case = self.case
        if self.kind.key == "applications":
            rows = [("事项名称", case.service_title), ("事项编码", case.service_code)]
            if case.guide_id:
                rows.append(("法定/承诺时限", f"{case.statutory_days} / {case.promised_days} 个工作日"))
            return rows
        rows = [("所需政府信息的内容描述", case.description)]
        if case.document_hint:
            rows.append(("文件名称、文号或其他特征", case.document_hint))
        rows += [
            ("获取信息的载体形式", case.get_delivery_form_display()),
            ("获取信息的方式", case.get_delivery_method_display()),
        ]
        if case.reply_kind:
            rows.append(("答复类型", case.get_reply_kind_display()))
        if case.reply_reason:
            rows.append(("答复理由", case.get_reply_reason_display()))
        return rows

    def form_rows(self):
        """The applicant's answers as the form labelled them (escaped by the template). The public form
        stores ``[{"name", "label", "value"}]`` in the form's order; a plain mapping is read too."""
        data = getattr(self.case, "form_data", None) or []
        items = data.items() if isinstance(data, dict) else ((None, item) for item in data)
        rows = []
        for key, item in items:
            if isinstance(item, dict):
                label, value = item.get("label") or item.get("name") or key, item.get("value", "")
            else:
                label, value = key, item
            if isinstance(value, list):
                value = "、".join(str(part) for part in value)
            rows.append((label or "", value))
        return rows

    def clock_rows(self):
        case = self.case
        rows = [
            ("提交时间", timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M")),
            ("起算日期", case.received_on),
            ("时限", f"{case.allowed_days} 个工作日"),
        ]
        if case.extension_days:
            rows.append(("延期", f"{case.extension_days} 个工作日：{case.extension_reason}"))
        if case.paused_workdays:
            rows.append(("暂停计时累计", f"{case.paused_workdays} 个工作日"))
        if case.clock_stopped_on:
            rows.append(("暂停计时自", case.clock_stopped_on))
        rows.append(("办理期限", case.due_on))
        supply_by = getattr(case, "supplement_due_on", None)
        if supply_by and case.state == "supplement_requested":
            rows.append(("申请人补正期限", supply_by))
        third_party_by = getattr(case, "third_party_due_on", None)
        if third_party_by:
            rows.append(("第三方答复期限", third_party_by))
        supplement_deadline = getattr(case, "supplement_deadline", None)
        if supplement_deadline and not case.is_closed and not case.supplement_requested_once:
            rows.append(("补正告知截止", supplement_deadline))
        if case.closed_at:
            rows.append(("办结时间", timezone.localtime(case.closed_at).strftime("%Y-%m-%d %H:%M")))
            if case.workdays_used is not None:
                rows.append(("用时", f"{case.workdays_used} 个工作日"))
            if case.on_time is not None:
                rows.append(("按时办结", "是" if case.on_time else "否（超期）"))
        return rows

    def files(self):
        if self.kind.key != "applications":
            return []
        return [
            {
                "file": item,
                "url": self.case_download_url("file", item.pk) if self.can_act else "",
            }
            for item in self.case.files.all()
        ]

    def case_download_url(self, name, pk):
        return reverse(f"{self.kind.url_namespace}:{name}", args=[self.case.pk, pk])

    def history(self):
        labels = dict(self.kind.states)
        entries = []
        for event in self.case.events.select_related("actor"):
            entries.append(
                {
                    "event": event,
                    "from_label": labels.get(event.from_state, event.from_state),
                    "to_label": labels.get(event.to_state, event.to_state),
                    "url": self.case_download_url("attachment", event.pk)
                    if event.attachment and self.can_act
                    else "",
                }
            )
        return entries

    def notices(self):
        full = self.can_act
        items = []
        for notice in Notification.objects.filter(case_label=self.case.tracking_number).order_by(
            "created_at"
        ):
            if notice.sent_at:
                status, tone = "已发送", "sent"
            elif notice.attempts:
                status, tone = "发送失败，等待重试", "retrying"
            else:
                status, tone = "待发送", "pending"
            items.append(
                {
                    "notice": notice,
                    "to": notice.to if full else mask_email(notice.to),
                    "status": status,
                    "tone": tone,
                }
            )
        return items

    def action_forms(self, bound=None):
        if not self.can_act:
            return []
        forms = []
        for step in self.case.flow.available(self.case, OFFICER):
            form = bound if bound is not None and bound.step.action == step.action else None
            form = form or ActionForm(case=self.case, step=step)
            forms.append(
                {
                    "form": form,
                    "step": step,
                    "url": reverse(f"{self.kind.url_namespace}:act", args=[self.case.pk, step.action]),
                    "open": form is bound,
                }
            )
        return forms

    def get_context_data(self, bound_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case
        context.update(
            {
                "case": case,
                "kind": self.kind,
                "can_act": self.can_act,
                "applicant_rows": self.applicant_rows(),
                "subject_rows": self.subject_rows(),
                "form_rows": self.form_rows() if self.can_act else [],
                "has_form_data": bool(getattr(case, "form_data", None)),
                "clock_rows": self.clock_rows(),
                "days_left": case.days_left(),
                "files": self.files(),
                "history": self.history(),
                "notices": self.notices(),
                "actions": self.action_forms(bound_form),
                "bound_form": bound_form,
                "assignee_name": person_name(case.assignee) or "未分配",
                "rating": getattr(case, "rating", None) if self.kind.key == "applications" else None,
            }
        )
        return context


class ActionView(CaseView):
    """POST one action; invalid input re-renders the case page (400) with the form open and its errors."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        case = self.case
        if not self.can_act:
            raise PermissionDenied
        steps = {step.action: step for step in case.flow.available(case, OFFICER)}
        step = steps.get(kwargs["action"])
        if step is None:
            messages.error(request, "该办件当前不能执行此操作（可能已被他人处理），请查看最新状态。")
            return redirect(self.case_url(case), permanent=False)
        form = ActionForm(request.POST, request.FILES, case=case, step=step)
        if form.is_valid():
            try:
                workflow.perform(case, step.action, by=OFFICER, user=request.user, **form.details())
            except TransitionError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"已{step.label}：{case.tracking_number}")
                return redirect(self.case_url(case))
        return self.render_to_response(self.get_context_data(bound_form=form), status=400)


class DownloadView(CaseMixin, View):
    """An applicant's material or a decision document, from private storage, to the handling department."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if not self.can_act:
            # The case is visible (a supervisor) but its files are personal data of the applicant.
            raise PermissionDenied
        name, filename, file_type = self.locate(kwargs["item"])
        try:
            handle = private_storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404("文件不存在或已被清理") from None
        content_type = mimetypes.guess_type(f"x.{file_type}")[0] if file_type else None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=filename,
            content_type=content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class MaterialDownloadView(DownloadView):
    def locate(self, pk):
        if self.kind.key != "applications":
            raise Http404
        item = self.case.files.filter(pk=pk).first()
        if item is None or not item.file:
            raise Http404("没有找到该材料")
        return item.file.name, item.original_name, item.file_type


class AttachmentDownloadView(DownloadView):
    def locate(self, pk):
        event = self.case.events.filter(pk=pk).first()
        if event is None or not event.attachment:
            raise Http404("没有找到该附件")
        name = event.attachment_name or event.attachment.name.rsplit("/", 1)[-1]
        return event.attachment.name, name, name.rsplit(".", 1)[-1].lower() if "." in name else ""
