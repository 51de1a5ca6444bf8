"""Evidence.publication_id (a bare number) becomes a foreign key to publications.Publication.

Numbers that name no item are cleared first (they were recorded before the publications app
was installed); the 索引号 or URL and the date recorded with them are kept.
"""

import django.db.models.deletion
from django.db import migrations, models


def clear_dangling(apps, schema_editor):
    Evidence = apps.get_model("catalogue", "Evidence")
    Publication = apps.get_model("publications", "Publication")
    linked = Evidence.objects.exclude(publication__isnull=True)
    known = Publication.objects.values("pk")
    linked.exclude(publication__in=known).update(publication=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_seed_domains"),
        ("publications", "0002_seed_taxonomies"),
    ]

    operations = [
        migrations.RenameField("evidence", "publication_id", "publication"),
        migrations.RunPython(clear_dangling, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence",
            name="publication",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="catalogue_evidence",
                to="publications.publication",
                verbose_name="政府信息",
            ),
        ),
    ]
