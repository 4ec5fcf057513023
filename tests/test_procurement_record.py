"""The public record stays consistent: what a notice publishes goes out with it and is withdrawn with it;
a project's notices go with the project; published schedules change only by correction; copying and
deleting in the admin cannot break the record or answer 500."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.procurement.models import CorrectionNotice, NoticeDocument, ProcurementProject
from cms.procurement.trust.versions import add_version
from search.models import SearchEntry
from tests import test_editors
from tests.procurement_builders import (
    make_file,
    make_procurement_tree,
    make_project,
    make_supplier,
    make_tender,
    pdf_bytes,
)
from tests.test_editors import login, page_form_data

pytestmark = pytest.mark.anydb

people = test_editors.people

FIRST, SECOND = pdf_bytes("第一版"), pdf_bytes("第二版")


@pytest.fixture
def tender(portal):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    tender = make_tender(project, days=30, files=[("招标文件", FIRST)])
    pfile = project.files.get()
    add_version(pfile, io.BytesIO(SECOND), "招标文件（更正）.pdf")
    return project, tender, pfile


def _correction_with_file(project, pfile, **fields):
    correction = CorrectionNotice(title="更正公告", slug="correction-1", affects_bids=True, **fields)
    correction.documents = [NoticeDocument(file=pfile)]
    project.add_child(instance=correction)
    return correction


def _download(client, version):
    return client.get(reverse("procurement:download", args=[version.pk]))


def test_a_scheduled_correction_releases_its_version_only_when_it_goes_live(tender, client):
    project, _, pfile = tender
    later = timezone.now() + datetime.timedelta(days=3)
    correction = _correction_with_file(project, pfile, new_bid_deadline=later + datetime.timedelta(days=30))
    correction.go_live_at = later
    correction.save_revision().publish()
    second = pfile.versions.get(number=2)
    assert second.published_at is None
    client.force_login(make_supplier().user)
    assert _download(client, second).status_code == 404
    assert pfile.published_version().number == 1


def test_a_withdrawn_correction_takes_its_version_back(tender, client):
    project, _, pfile = tender
    correction = _correction_with_file(
        project, pfile, new_bid_deadline=timezone.now() + datetime.timedelta(days=40)
    )
    correction.save_revision().publish()
    second = pfile.versions.get(number=2)
    assert pfile.published_version() == second
    client.force_login(make_supplier().user)
    assert _download(client, second).status_code == 200

    correction.refresh_from_db()
    correction.unpublish()
    assert pfile.published_version().number == 1
    assert _download(client, second).status_code == 404
    assert "第二版" not in client.get(project.url).content.decode()
    # Republished, it offers its version again.
    correction.refresh_from_db()
    correction.save_revision().publish()
    assert pfile.published_version() == second


def test_a_restricted_or_unpublished_project_answers_nothing_about_its_signatures(tender, client):
    project, _, pfile = tender
    version = pfile.published_version()
    statement = reverse("procurement:statement", args=[version.pk])
    assert client.get(statement).status_code == 200
    PageViewRestriction.objects.create(page=project, restriction_type="password", password="x")
    assert client.get(statement).status_code == 404
    answer = client.get(reverse("procurement:verify") + f"?sha256={version.sha256}").content.decode()
    assert project.title not in answer


def test_a_projects_notices_go_with_it(tender, client):
    project, tender_notice, _ = tender
    assert client.get(tender_notice.url).status_code == 200
    project.unpublish()
    assert client.get(tender_notice.url).status_code == 404
    from search.entries import refresh

    refresh([f"page:{tender_notice.pk}"])
    assert not SearchEntry.objects.filter(key=f"page:{tender_notice.pk}").exists()


def test_a_published_tenders_schedule_changes_only_by_correction(people, tender, client):
    project, tender_notice, _ = tender
    login(client, people["czj_editor"])
    url = reverse("wagtailadmin_pages:edit", args=[tender_notice.pk])
    earlier = timezone.localtime(tender_notice.bid_deadline - datetime.timedelta(days=9))
    data = page_form_data(client, url, bid_deadline=earlier.strftime("%Y-%m-%d %H:%M"))
    assert "请发布更正公告" in client.get(url).content.decode()
    client.post(url, data)
    tender_notice.refresh_from_db()
    assert tender_notice.get_latest_revision_as_object().bid_deadline == tender_notice.bid_deadline


def test_a_scheduled_correction_is_judged_at_its_go_live_moment(tender):
    project, _, _ = tender
    correction = CorrectionNotice(title="更正公告", slug="correction-1", affects_bids=True)
    correction.go_live_at = project.bid_deadline - datetime.timedelta(days=10)
    with pytest.raises(Exception, match="至少15日前"):
        project.add_child(instance=correction)
        correction.full_clean()


def test_a_nul_in_the_path_is_a_400_not_a_500(db, client):
    for path in ("/zfcg/supplier/unsubscribe/%00/", "/api/zfcg/projects/JYCG%00", "/zfcg/%00/"):
        assert client.get(path).status_code == 400, path


def test_procurement_pages_cannot_be_copied_or_deleted_once_public(people, tender, client):
    project, tender_notice, _ = tender
    login(client, people["site_admin"])
    copy = client.post(
        reverse("wagtailadmin_pages:copy", args=[project.pk]), {"new_title": "副本", "new_slug": "copy"}
    )
    assert copy.status_code == 302 and ProcurementProject.objects.count() == 1
    delete = client.post(reverse("wagtailadmin_pages:delete", args=[project.pk]))
    assert delete.status_code == 302 and ProcurementProject.objects.filter(pk=project.pk).exists()


def test_a_project_that_never_went_out_is_deleted_with_its_draft_files(people, portal, client):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    project.unpublish()
    ProcurementProject.objects.filter(pk=project.pk).update(first_published_at=None)
    make_file(project)
    login(client, people["site_admin"])
    response = client.post(reverse("wagtailadmin_pages:delete", args=[project.pk]))
    assert response.status_code == 302
    assert not ProcurementProject.objects.filter(pk=project.pk).exists()


def test_a_terminated_project_shows_no_countdown(tender, client):
    from tests.procurement_builders import make_termination

    project, _, _ = tender
    assert "距投标截止还有" in client.get(project.url).content.decode()
    make_termination(project)
    page = client.get(project.url).content.decode()
    assert "本项目已终止采购" in page and "距投标截止还有" not in page
