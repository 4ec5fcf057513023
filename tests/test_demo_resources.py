"""The demo information resource catalogue in the database: loaded in bulk, once."""

import io

import pytest

from cms.catalogue.models import DataItem, Resource
from fixtures.generator import DEMO_RESOURCE_COUNT, FLAGSHIP_RESOURCES
from fixtures.load import DemoLoader

pytestmark = pytest.mark.django_db


def load_catalogue(**options):
    """Only the steps the catalogue needs: departments, then resources."""
    loader = DemoLoader(**options)
    loader.load_settings_and_departments()
    loader.load_resources()
    return loader


def test_demo_catalogue_loads_once():
    out = io.StringIO()
    first = load_catalogue(stdout=out)
    assert first.created["resources"] == Resource.objects.count() == DEMO_RESOURCE_COUNT
    items = DataItem.objects.count()
    assert first.created["data_items"] == items > 5 * DEMO_RESOURCE_COUNT
    assert f"信息资源目录：新建资源 {DEMO_RESOURCE_COUNT} 条" in out.getvalue()

    second = load_catalogue()
    assert second.created["resources"] == second.created["data_items"] == 0
    assert Resource.objects.count() == DEMO_RESOURCE_COUNT and DataItem.objects.count() == items


def test_flagships_are_stored_as_written():
    load_catalogue(resource_count=len(FLAGSHIP_RESOURCES) + 40)
    for data in FLAGSHIP_RESOURCES:
        resource = Resource.objects.with_relations().get(code=data["code"])
        assert (resource.name, resource.department.slug, resource.openness, resource.sharing) == (
            data["name"],
            data["department"],
            data["openness"],
            data["sharing"],
        )
        assert resource.classification.code == data["classification"] == resource.front_code
        assert resource.released_on.isoformat() == data["released_on"]
        stored = list(resource.data_items.order_by("sort_order").values_list("name", "data_type"))
        assert stored == [(i["name"], i["data_type"]) for i in data["data_items"]]
    household = Resource.objects.get(code="101001/000001")
    assert household.department.slug == "gaj" and not household.shows_details


def test_loaded_resources_pass_model_validation():
    load_catalogue(resource_count=300)
    for resource in Resource.objects.with_relations():
        resource.full_clean()  # codes, choices, lengths and related codes, as the admin checks them
        for item in resource.data_items.all():
            item.full_clean(exclude=["resource"])
