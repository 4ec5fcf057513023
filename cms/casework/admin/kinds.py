"""The two kinds of case the back office handles, described once for the queues, case pages and exports."""

from dataclasses import dataclass

from django.utils.text import Truncator


@dataclass(frozen=True)
class CaseKind:
    key: str  # URL segment and export name
    label: str  # 办件 / 依申请公开
    menu_label: str
    icon: str
    subject_label: str

    @property
    def model(self):
        if self.key == "applications":
            from cms.applications.models import Application

            return Application
        from cms.disclosure_requests.models import DisclosureRequest

        return DisclosureRequest

    @property
    def url_namespace(self):
        return f"casework_{self.key}"

    def subject(self, case):
        if self.key == "applications":
            return case.service_title
        return Truncator(case.description).chars(40)

    @property
    def states(self):
        return self.model._meta.get_field("state").choices


APPLICATIONS = CaseKind("applications", "办件", "网上办件", "form", "事项名称")
REQUESTS = CaseKind("requests", "依申请公开", "依申请公开", "mail", "申请内容")
KINDS = {kind.key: kind for kind in (APPLICATIONS, REQUESTS)}


def kind_of(case):
    return APPLICATIONS if case._meta.model_name == "application" else REQUESTS
