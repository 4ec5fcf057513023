"""Turning a valid form into an application: one transaction for the application, its first history entry,
its files and the email receipt (an outbox row, sent later by the worker). Used by the HTML form and the
JSON endpoint alike."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cms.casework import notify, public, uploads
from cms.services.choices import Audience
from cms.services.models import ServiceMaterial

from .models import Application, ApplicationEvent, ApplicationFile, State

# Per request, whatever the guide's materials add up to (each material has its own limit as well).
DEFAULT_MAX_REQUEST_MB = 60


def max_request_bytes(materials):
    """The most one request may upload in total: the materials' own limits added up, capped by
    ``APPLICATIONS_MAX_REQUEST_MB``."""
    cap = getattr(settings, "APPLICATIONS_MAX_REQUEST_MB", DEFAULT_MAX_REQUEST_MB) * 1024 * 1024
    total = sum(m.max_size_mb for m in materials) * 1024 * 1024
    return min(total or cap, cap)


@dataclass(frozen=True)
class OtherMaterial:
    """The upload slot for a supplement that is none of the guide's materials (e.g. a written statement)."""

    pk: str = "other"
    name: str = "其他补正材料"
    required: bool = False
    upload_types: str = "pdf,jpg,png,docx,ofd"
    max_size_mb: int = 10

    @property
    def allowed_types(self):
        return self.upload_types.split(",")


def supply_materials_of(guide):
    return list(guide.materials.all()) if guide is not None else []


def supply_materials(application):
    """The slots a supplement may fill: the guide's materials and one for anything else."""
    return [*supply_materials_of(application.guide), OtherMaterial()]


def supplement_round(application):
    """The number of supplement requests so far: files supplied now belong to that round."""
    return application.events.filter(action="request_supplement").count()


def store_files(application, checked_files, stored, round_=0):
    """Save ``[(material or None, CheckedUpload)]`` as ApplicationFile rows; ``stored`` (an
    ``uploads.StoredFiles``) deletes them again if the transaction fails."""
    rows = []
    for material, checked in checked_files:
        row = ApplicationFile(
            application=application,
            material=material if isinstance(material, ServiceMaterial) else None,
            material_name=material.name,
            original_name=checked.original_name,
            file_type=checked.file_type,
            size=checked.size,
            sha256=checked.sha256,
            supplement_round=round_,
        )
        stored.add(row.file.storage, uploads.store(checked, row.file))
        row.save()
        rows.append(row)
    return rows


def build(guide, form, key):
    """The unsaved application for a valid ``ApplicationForm``."""
    data = form.applicant.cleaned_data
    organisation = form.kind == Audience.ORGANISATION
    return Application(
        guide=guide,
        department=guide.department,
        service_title=guide.title,
        service_code=guide.item_code,
        applicant_kind=form.kind,
        applicant_name=data["organisation_name"] if organisation else data["name"],
        organisation_name=data.get("organisation_name", ""),
        uscc=data.get("uscc", ""),
        contact_name=data.get("contact_name", ""),
        id_number=data.get("id_number", ""),
        phone=data["phone"],
        email=data.get("email", ""),
        address=data["address"],
        form_data=form.details.entries(),
        statutory_days=guide.statutory_days,
        promised_days=guide.promised_days,
        submission_key=key,
    )


def creator(guide, form, key, stored, after_create=None):
    """The ``create`` callable for ``public.submit_once``: saves everything, returns (application, code).
    ``after_create(application, code)`` runs in the same transaction (the API caches its answer there)."""

    def create():
        application = build(guide, form, key)
        code = application.issue_codes()
        now = timezone.now()
        application.submitted_at = now
        application.begin(timezone.localdate(now))
        application.save()
        ApplicationEvent.objects.create(
            case=application,
            action="submit",
            action_label="提交申请",
            to_state=State.SUBMITTED,
            actor_name="申请人",
            at=now,
            public=True,
        )
        store_files(application, form.materials.checked_files(), stored)
        queue_receipt(application)
        if after_create is not None:
            after_create(application, code)
        return application, code

    return create


def submit(request, guide, form, key, after_create=None):
    """Create the application once for ``key``; returns ``(application, created)``. Files written by an
    attempt that did not create anything are deleted. ``request=None`` (the API) keeps no session."""
    with uploads.StoredFiles() as stored:
        create = creator(guide, form, key, stored, after_create)
        application, created = public.submit_once(request, Application, key, create)
        if not created:
            stored.discard()
    return application, created


def queue_receipt(application):
    """The email receipt (受理回执), in the caller's transaction. It never contains the query code: the
    outbox keeps its messages, and the database must not reveal the codes."""
    if not application.email:
        return None
    context = {
        "application": application,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
        "files": application.files.all(),
    }
    subject = (
        f"【济源市人民政府】网上申请已提交：{application.service_title}（{application.tracking_number}）"
    )
    body = render_to_string("applications/email/receipt.txt", context)
    return notify.queue(application.email, subject, body, application.tracking_number)
