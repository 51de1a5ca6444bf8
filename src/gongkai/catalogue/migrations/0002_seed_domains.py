from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.catalogue.domains import NOTE, RECONSTRUCTED

    Domain = apps.get_model("catalogue", "Domain")
    for order, name in enumerate(RECONSTRUCTED, start=1):
        Domain.objects.get_or_create(name=name, defaults={"sort_order": order * 10, "note": NOTE})


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
