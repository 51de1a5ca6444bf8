"""Applicants' phones get a keyed hash beside their ciphertext, so the queue's search finds a
whole number (gongkai.applications.services.queue.search_q); existing rows are hashed here."""

from django.conf import settings
from django.db import migrations, models

import gongkai.personaldata.fields


def hash_phones(apps, schema_editor):
    from gongkai.personaldata.keys import lookup_hash

    Application = apps.get_model("applications", "Application")
    for pk, phone in Application.objects.values_list("pk", "phone").iterator():
        if phone:  # decrypted by the field; a blank phone keeps its blank hash
            Application.objects.filter(pk=pk).update(phone_hash=lookup_hash(phone, purpose="phone"))


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("applications", "0008_extension_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="phone_hash",
            field=gongkai.personaldata.fields.LookupHashField(
                purpose="phone", source="phone", verbose_name="联系电话查询散列"
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["phone_hash"], name="application_phone_hash"),
        ),
        migrations.RunPython(hash_phones, migrations.RunPython.noop),
    ]
