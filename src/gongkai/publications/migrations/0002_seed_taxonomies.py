from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.publications.seed import seed_taxonomies

    seed_taxonomies(
        apps.get_model("publications", "Topic"), apps.get_model("publications", "CatalogueCategory")
    )


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
