"""The demo casework: cases in every state with histories made by the workflow, back-dated, idempotent."""

import datetime

import pytest
from django.utils import timezone

from cms.applications.models import Application, Rating
from cms.casework import dashboard
from cms.casework.models import Notification
from cms.disclosure_requests.models import DisclosureRequest
from cms.editors.groups import ensure_supervisor_group
from fixtures import casework
from fixtures.load import ensure_demo_users
from tests.casework_builders import make_guide, make_service_tree

pytestmark = pytest.mark.anydb

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 15, 30))


@pytest.fixture
def demo(portal):
    """The demo loaded once before any guide accepts applications, then again with two guides."""
    _, folders = make_service_tree(portal)
    ensure_supervisor_group()
    accounts = dict(ensure_demo_users())
    without_guides = casework.load(now=NOW)
    make_guide(folders["czj"], title="代理记账机构审批", item_code="CZJ-1", promised_days=5)
    make_guide(folders["czj"], title="会计人员信息采集", item_code="CZJ-2", promised_days=0)
    return accounts, without_guides, casework.load(now=NOW)


def test_the_demo_has_cases_in_every_state_made_by_the_workflow(demo):
    accounts, without_guides, result = demo
    assert {"czj_officer", "czj_editor", "jiancha"} <= set(accounts)
    # Without online guides the applications are skipped; the requests need none.
    assert without_guides["applications"] == 0
    assert without_guides["requests"] == len(casework.REQUEST_STORIES)
    assert (result["applications"], result["requests"]) == (len(casework.APPLICATION_STORIES), 0)
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {s for s, _ in Application._meta.get_field("state").choices} - {"denied"}  # completed
    assert set(DisclosureRequest.objects.values_list("state", flat=True)) == {
        "submitted",
        "supplement_requested",
        "consulting",
        "answered",
        "lapsed",
        "withdrawn",
    }
    # Only guides promising three working days or more tell the timing stories.
    assert not Application.objects.filter(promised_days=0).exists()
    # Back-dated over months, through the workflow: numbers carry the day of arrival.
    first = Application.objects.order_by("submitted_at").first()
    assert first.submitted_at < NOW - datetime.timedelta(days=60)
    assert first.tracking_number[2:10] == timezone.localtime(first.submitted_at).strftime("%Y%m%d")
    for case in [*Application.objects.all(), *DisclosureRequest.objects.all()]:
        events = list(case.events.order_by("at", "pk"))
        assert events[0].action == "submit" and events[0].at == case.submitted_at
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False))
        assert events[-1].at <= NOW
    officer = Application.objects.filter(events__action="accept").first().events.get(action="accept").actor
    assert officer.username == "czj_officer"

    everything = Application.objects.all()
    assert dashboard.overdue(everything, NOW.date()).exists()
    assert dashboard.due_soon(everything, NOW.date()).exists()
    assert (
        Application.objects.filter(on_time=False).exists()
        and Application.objects.filter(on_time=True).exists()
    )
    assert Rating.objects.exists()
    requests = DisclosureRequest.objects.all()
    assert requests.filter(extension_days__gt=0, state="answered").exists()
    assert set(requests.exclude(reply_kind="").values_list("reply_kind", flat=True)) >= {
        "disclosed",
        "partly",
        "withheld",
        "unavailable",
        "not_processed",
        "other",
    }
    decision = requests.filter(state="answered").first().events.get(action="reply")
    assert decision.attachment and decision.attachment_name.endswith(".docx")
    pending = Notification.objects.filter(sent_at__isnull=True)
    assert Notification.objects.count() > 50 and pending.count() <= 5


def test_the_demo_is_idempotent_and_its_query_codes_work(demo):
    _, _, result = demo
    again = casework.load(now=NOW)
    assert (again["applications"], again["requests"]) == (0, 0)
    assert again["try"] == result["try"] and result["try"]
    for _, number, code in result["try"]:
        model = Application if number.startswith("ZW") else DisclosureRequest
        assert model.objects.get(tracking_number=number).query_code_matches(code)
