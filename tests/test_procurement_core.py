"""The project's status follows from its notices and the clock; timing rules refuse bad notices."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.procurement.choices import Status
from cms.procurement.models import ProcurementProject, TenderNotice
from cms.procurement.trust.versions import verify_version
from tests.procurement_builders import (
    make_award,
    make_correction,
    make_procurement_tree,
    make_project,
    make_tender,
    make_termination,
)

pytestmark = [pytest.mark.django_db, pytest.mark.anydb]


def _status_in_sql(project):
    return ProcurementProject.objects.with_status().get(pk=project.pk).current_status


def test_status_follows_the_notices(portal):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    assert project.status() == Status.UPCOMING == _status_in_sql(project)
    make_tender(project, days=25)
    assert project.status() == Status.OPEN == _status_in_sql(project)
    soon = project.bid_deadline - datetime.timedelta(hours=10)
    assert project.status(soon) == Status.CLOSING
    assert project.status(project.bid_deadline) == Status.CLOSED
    make_award(project)
    project.refresh_from_db()
    assert project.status() == Status.AWARDED == _status_in_sql(project)


def test_a_correction_moves_the_deadline_and_termination_ends_it(portal):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    make_tender(project, days=25)
    new_deadline = (timezone.now() + datetime.timedelta(days=40)).replace(second=0, microsecond=0)
    make_correction(project, new_bid_deadline=new_deadline)
    assert project.bid_deadline == new_deadline
    assert project.opening_at == new_deadline
    make_termination(project)
    assert project.status() == Status.TERMINATED == _status_in_sql(project)
    assert [n.notice_type for n in project.notices()] == ["tender", "correction", "termination"]


def test_a_tender_with_too_short_a_period_is_refused_with_the_rule(portal):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    with pytest.raises(ValidationError) as refused:
        make_tender(project, days=12)
    assert "不得少于二十日" in str(refused.value)
    assert not TenderNotice.objects.exists()


def test_a_late_correction_that_keeps_the_deadline_is_refused(portal):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    start = timezone.now() - datetime.timedelta(days=12)
    tender = TenderNotice(
        title="t",
        slug="tender",
        documents_from=start,
        documents_until=start + datetime.timedelta(days=8),
        bid_deadline=start + datetime.timedelta(days=22),
        opening_at=start + datetime.timedelta(days=22),
    )
    tender.skip_timing_rules = True  # published 12 days ago
    project.add_child(instance=tender)
    tender.save_revision().publish()
    with pytest.raises(ValidationError) as refused:
        make_correction(project)
    assert "至少15日前" in str(refused.value)


def test_tender_documents_are_signed_and_published_with_the_notice(portal):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    make_tender(project)
    version = project.files.get().published_version()
    assert version is not None and len(version.sha256) == 64
    assert verify_version(version)


def test_deadlines_in_the_past_are_refused_in_chinese():
    from cms.procurement import rules

    now = timezone.now()
    past = now - datetime.timedelta(days=1)
    errors = rules.check_tender("open", now, now + datetime.timedelta(days=8), past, past, now)
    assert "已经过去" in errors["bid_deadline"]
    errors = rules.check_correction("open", now + datetime.timedelta(days=30), True, past, past, now)
    assert "已经过去" in errors["new_bid_deadline"]
