from django.db import migrations, models


def index_anew(apps, schema_editor):
    """The index keeps its rows and tables per year of 发布日期 instead of per month
    (``gongkai.search.index.PERIOD_MONTHS``, docs/adr/search-exact-substring.md): build it again
    from the published items, with the present code, which this schema is the one of (at
    1,000,000 items this takes some 15 minutes on PostgreSQL; a county's tens of thousands, a
    few seconds)."""
    from gongkai.search import index

    index.rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_title_sizes_in_tables"),
    ]

    operations = [
        migrations.AlterField(
            model_name="posting",
            name="month",
            field=models.IntegerField(
                help_text="发布日期所在时段（一年）的首月：年×100+月", verbose_name="月份"
            ),
        ),
        migrations.RunPython(index_anew, migrations.RunPython.noop),
    ]
