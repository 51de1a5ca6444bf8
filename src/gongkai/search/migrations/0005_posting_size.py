from django.db import migrations, models


def store_plain(apps, schema_editor):
    """On PostgreSQL the bitmaps, added again, are stored uncompressed as in 0003."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_posting ALTER COLUMN bits SET STORAGE EXTERNAL")


def index_anew(apps, schema_editor):
    """Every posting now has its size; 0006 builds the index again from the published items
    (three-character places), so this step does nothing now (it would build it twice)."""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_dense_places"),
    ]

    operations = [
        # The bitmaps are dropped and added again after the size (the index is built anew
        # below): on SQLite a column after a large blob is reached only through its pages.
        migrations.RemoveField(model_name="posting", name="bits"),
        migrations.AddField(
            model_name="posting",
            name="size",
            field=models.IntegerField(
                default=0, help_text="集合中的个数（不读集合即可计数）", verbose_name="个数"
            ),
        ),
        migrations.AddField(
            model_name="posting",
            name="bits",
            field=models.BinaryField(default=b"", verbose_name="集合"),
            preserve_default=False,
        ),
        migrations.RunPython(store_plain, migrations.RunPython.noop),
        migrations.RunPython(index_anew, migrations.RunPython.noop),
    ]
