"""Index numbers stay unique when several editors publish at the same moment (PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection

from cms.core.models import Topic
from cms.disclosure.models import DisclosureDocument
from tests.builders import build_portal

WRITERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_publishing_issues_unique_index_numbers():
    portal = build_portal()
    folder = portal.folders["czj"]
    topic = Topic.objects.get(code="03")
    drafts = []
    for i in range(WRITERS):
        doc = DisclosureDocument(
            title=f"并发发布测试文件{i}",
            topic=topic,
            written_on=datetime.date(2025, 1, 1),
            published_on=datetime.date(2025, 1, 2),
        )
        folder.add_child(instance=doc)
        drafts.append(doc.save_revision())
    barrier = threading.Barrier(WRITERS)
    errors = []

    def publish(revision):
        try:
            barrier.wait()
            revision.publish()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection; release it

    threads = [threading.Thread(target=publish, args=(r,)) for r in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = list(
        DisclosureDocument.objects.filter(title__startswith="并发发布测试文件").values_list(
            "index_number", flat=True
        )
    )
    assert len(numbers) == WRITERS and None not in numbers
    assert len(set(numbers)) == WRITERS
    assert sorted(int(n[-5:]) for n in numbers) == list(range(2, 2 + WRITERS))
