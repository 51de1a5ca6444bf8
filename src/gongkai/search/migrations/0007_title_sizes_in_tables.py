import secrets

import numpy as np
from django.db import migrations, models
from pyroaring import BitMap


def titles_into_tables(apps, schema_editor):
    """A month's table now holds each run's title size, a third column (start, item, title
    size), instead of the title places under the key ``T`` (docs/adr/search-exact-substring.md):
    each table gets it from the month's ``T`` (the places of a run in ``T`` are its title),
    then the ``T`` rows go. Tables written by the present code (migration 0006's rebuild, or a
    new database) have no ``T`` rows and are already in the new form: nothing to do then."""
    Posting = apps.get_model("search", "Posting")
    Month = apps.get_model("search", "Month")
    if not Posting.objects.filter(key="T").exists():
        return
    titles = {m: bytes(b) for m, b in Posting.objects.filter(key="T").values_list("month", "bits")}
    for month, slots in Month.objects.values_list("month", "slots").iterator(chunk_size=20):
        rows = np.frombuffer(bytes(slots or b""), dtype="<u4").reshape(-1, 2)
        if not len(rows):
            continue
        places = BitMap.deserialize(titles[month]) if month in titles else BitMap()
        inside = np.frombuffer(places.to_array(), dtype=np.uint32)
        sizes = np.diff(np.searchsorted(inside, rows[:, 0])).astype(np.uint32)
        table = np.column_stack((rows, np.append(sizes, 0))).astype("<u4")
        Month.objects.filter(month=month).update(
            slots=table.tobytes(), version=secrets.randbits(62)
        )
    Posting.objects.filter(key="T").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_three_character_places"),
    ]

    operations = [
        migrations.AlterField(
            model_name="month",
            name="slots",
            field=models.BinaryField(
                default=b"",
                help_text="（起始位置, 政府信息, 标题长度），按位置排列",
                verbose_name="位置表",
            ),
        ),
        migrations.RunPython(titles_into_tables, migrations.RunPython.noop),
    ]
