"""Small service-guide trees, officers and cases for the tests of issue 4 (services, applications,
disclosure requests, back office). Builds on ``tests.builders.build_portal``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from cms.applications.models import Application
from cms.disclosure_requests.models import DisclosureRequest
from cms.services.models import (
    ApplicationFormField,
    ServiceDepartmentPage,
    ServiceGuidePage,
    ServiceIndexPage,
    ServiceMaterial,
    ServiceStep,
)
from tests.builders import add

VALID_RESIDENT_ID = "11010519491231002X"  # GB 11643's own example
VALID_USCC = "91110000600037341L"


def make_service_tree(portal):
    """/zwfw/ with a folder per department of ``portal``; returns ``{slug: folder}`` and the index."""
    index = add(portal.home, ServiceIndexPage(title="办事服务", slug="zwfw"))
    folders = {
        slug: add(index, ServiceDepartmentPage(title=dept.name, slug=slug, department=dept))
        for slug, dept in portal.departments.items()
    }
    return index, folders


def make_guide(folder, title="个体工商户设立登记", item_code="11419001000000000X4000117001", **fields):
    """An online-capable guide with two materials (one optional) and two editor-defined fields."""
    defaults = {
        "item_type": "licensing",
        "legal_basis": "《促进个体工商户发展条例》第八条",
        "conditions": "申请人具有完全民事行为能力。",
        "statutory_days": 15,
        "promised_days": 3,
        "place": "济源市民之家二楼B区12号窗口",
        "hours": "工作日 9:00-12:00，13:00-17:00",
        "phone": "0391-6633001",
        "complaint_phone": "0391-12345",
        "visits": 0,
        "online_level": "full",
        "for_persons": True,
    }
    defaults.update(fields)
    guide = ServiceGuidePage(title=title, item_code=item_code, **defaults)
    guide.materials = [
        ServiceMaterial(name="经营者身份证明", required=True, upload_types="pdf,jpg,png", max_size_mb=5),
        ServiceMaterial(name="经营场所使用证明", required=False, upload_types="pdf", max_size_mb=5),
    ]
    guide.steps = [ServiceStep(name="申请"), ServiceStep(name="受理"), ServiceStep(name="审查与决定")]
    guide.form_fields = [
        ApplicationFormField(label="经营场所", field_type="singleline", required=True),
        ApplicationFormField(
            label="经营范围", field_type="multiline", required=True, help_text="如：日用百货零售"
        ),
    ]
    return add(folder, guide)


def make_officer(department, username=None, with_group=True):
    """A user of ``department``'s officers group (created with the two handle permissions if missing)."""
    user = get_user_model().objects.create_user(
        username=username or f"{department.slug}_officer", password="pw-officer-1", first_name="承办员"
    )
    if with_group:
        group, _ = Group.objects.get_or_create(name=f"{department.display_name}承办")
        group.permissions.add(
            *Permission.objects.filter(
                codename__in=["access_admin", "handle_application", "handle_disclosurerequest"]
            )
        )
        user.groups.add(group)
    return user


def make_application(guide, email="applicant@example.com", **fields):
    """An application submitted now, as the public form would create it. Returns (application, query code)."""
    application = Application(
        guide=guide,
        department=guide.department,
        service_title=guide.title,
        service_code=guide.item_code,
        applicant_name=fields.pop("applicant_name", "王小明"),
        id_number=fields.pop("id_number", VALID_RESIDENT_ID),
        phone=fields.pop("phone", "13903910001"),
        email=email,
        statutory_days=guide.statutory_days,
        promised_days=guide.promised_days,
        submission_key=fields.pop("submission_key", None) or timezone.now().isoformat(),
        **fields,
    )
    code = application.issue_codes()
    application.begin(timezone.localdate())
    application.save()
    return application, code


def make_request(department, email="requester@example.com", **fields):
    """A disclosure request received now. Returns (request, query code)."""
    defaults = {
        "applicant_kind": "person",
        "applicant_name": "李华",
        "id_type": "resident_id",
        "id_number": VALID_RESIDENT_ID,
        "phone": "13903910002",
        "address": "济源市济水大街1号",
        "description": "2025年济源市城区道路改造项目的预算批复文件",
        "delivery_form": "electronic",
        "delivery_method": "email",
        "submission_key": timezone.now().isoformat(),
    }
    defaults.update(fields)
    request = DisclosureRequest(department=department, email=email, **defaults)
    code = request.issue_codes()
    request.begin(timezone.localdate())
    request.save()
    return request, code
