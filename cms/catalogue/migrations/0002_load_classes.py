from django.db import migrations

from cms.catalogue.codes import level_of, parent_code
from cms.catalogue.data.classes import CLASSES


def load(apps, schema_editor):
    ResourceClass = apps.get_model("catalogue", "ResourceClass")
    by_code = {}
    for code, name in CLASSES:  # parents come first in CLASSES
        parent = by_code.get(parent_code(code))
        by_code[code], _ = ResourceClass.objects.update_or_create(
            code=code, defaults={"name": name, "level": level_of(code), "parent": parent}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
