"""Load the State Council topic tree (主题分类): reference data every site needs."""

from django.db import migrations


def load_topics(apps, schema_editor):
    from cms.core.data.topics import TOPICS

    Topic = apps.get_model("core", "Topic")
    for top in TOPICS:
        parent, _ = Topic.objects.update_or_create(
            code=top["code"], defaults={"name": top["name"], "parent": None}
        )
        for child in top.get("children", []):
            Topic.objects.update_or_create(
                code=child["code"], defaults={"name": child["name"], "parent": parent}
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_topics, migrations.RunPython.noop)]
