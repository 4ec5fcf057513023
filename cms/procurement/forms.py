"""Admin forms of projects and notices: checks that need the parent page or span several rows.

During validation a new page is not in the tree yet; the forms hand the model's ``clean`` the parent the
editor is adding under (``_parent_page``), so the department and the timing rules are known."""

from wagtail.admin.forms import WagtailAdminPageForm

from cms.procurement.choices import MAX_BUDGET


class ParentAwareForm(WagtailAdminPageForm):
    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        if parent_page is not None:
            self.instance._parent_page = parent_page.specific


class ProjectForm(ParentAwareForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = self.fields.get("project_number")
        project = self.instance
        # The number is in every signed statement of its documents and in the OCDS ocid: fixed once public.
        if number is not None and project.pk and (project.first_published_at or project.files.exists()):
            number.disabled = True
            number.help_text = (
                "项目已发布（或已有签名的采购文件）：项目编号是电子签名和开放数据标识的一部分，不能再修改。"
            )

    def clean(self):
        cleaned = super().clean()
        lots = self.formsets.get("lots")
        if lots is None or not lots.is_valid():
            return cleaned
        rows = [f.cleaned_data for f in lots.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        numbers = [row["number"] for row in rows]
        if len(numbers) != len(set(numbers)):
            self.add_error(None, "包号不能重复。")
        budget = cleaned.get("budget")
        if budget is None or not 0 < budget <= MAX_BUDGET:
            return cleaned  # the field's own message says what is wrong with it
        total = sum(row["budget"] for row in rows)
        if rows and total > budget:
            self.add_error("budget", f"各包预算合计 {total:,.2f} 元，超过了项目预算 {budget:,.2f} 元。")
        return cleaned


TENDER_SCHEDULE = ("documents_from", "documents_until", "bid_deadline", "opening_at", "opening_place")


class NoticeForm(ParentAwareForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A published tender's schedule changes only through a correction notice, which is what reaches
        # every supplier who downloaded the documents (87号令第二十七条).
        if self.instance.pk and self.instance.first_published_at and self.instance.notice_type == "tender":
            for name in TENDER_SCHEDULE:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[
                        name
                    ].help_text = (
                        "采购公告已发布：时间安排的变更请发布更正公告，以通知已获取采购文件的供应商。"
                    )
