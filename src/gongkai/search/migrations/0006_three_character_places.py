from django.db import migrations


def index_anew(apps, schema_editor):
    """The places are now those of three-character grams, and items start at a multiple of 64
    places (docs/adr/search-exact-substring.md): build the index again from the published
    items. It calls the present code, which this schema is the one of; if a later migration
    changes these tables, this step becomes a no-op and the later one rebuilds: 0008 does."""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_posting_size"),
    ]

    operations = [
        migrations.RunPython(index_anew, migrations.RunPython.noop),
    ]
