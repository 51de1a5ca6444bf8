"""Encrypt applicants' ID numbers, phones, e-mail and addresses at rest (docs/security.md).

Existing rows are encrypted in place with raw SQL (the historical model's fields would try
to decrypt the plaintext they still hold), in batches, on SQLite and PostgreSQL alike; the
keyed hash of each ID number is written beside it. Reversible: going back decrypts.
"""

import django.core.validators
from django.conf import settings
from django.db import migrations, models

import gongkai.personaldata.fields
from gongkai.personaldata.keys import decrypt, encrypt, key_id_of, lookup_hash

TABLE = "applications_application"
CONTEXT = "applications.application."
COLUMNS = ("id_number", "phone", "email", "address")
BATCH = 500


def _rows(cursor, quote, after):
    cursor.execute(
        f"SELECT id, {', '.join(quote(c) for c in COLUMNS)} FROM {quote(TABLE)}"
        f" WHERE id > %s ORDER BY id LIMIT {BATCH}",
        [after],
    )
    return cursor.fetchall()


def _convert(apps, schema_editor, change):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    after = -1
    with connection.cursor() as cursor:
        while rows := _rows(cursor, quote, after):
            for pk, *values in rows:
                new = {c: change(c, v or "") for c, v in zip(COLUMNS, values, strict=True)}
                sets = [f"{quote(c)} = %s" for c in COLUMNS]
                params = [new[c] for c in COLUMNS]
                if change is _encrypt:
                    plain_id = values[0] or ""
                    if key_id_of(plain_id) is not None:  # already encrypted: a re-run
                        plain_id = decrypt(plain_id, context=CONTEXT + "id_number")
                    sets.append(f"{quote('id_number_hash')} = %s")
                    params.append(lookup_hash(plain_id, purpose="id_number"))
                cursor.execute(
                    f"UPDATE {quote(TABLE)} SET {', '.join(sets)} WHERE id = %s", [*params, pk]
                )
            after = rows[-1][0]


def _encrypt(column, value):
    if not value or key_id_of(value) is not None:
        return value
    return encrypt(value, context=CONTEXT + column)


def _decrypt(column, value):
    if not value or key_id_of(value) is None:
        return value
    return decrypt(value, context=CONTEXT + column)


def encrypt_existing(apps, schema_editor):
    _convert(apps, schema_editor, _encrypt)


def decrypt_existing(apps, schema_editor):
    _convert(apps, schema_editor, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("applications", "0006_letters_on_the_platform"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="application",
            name="application_id_number",
        ),
        migrations.AddField(
            model_name="application",
            name="id_number_hash",
            field=gongkai.personaldata.fields.LookupHashField(
                purpose="id_number", source="id_number", verbose_name="证件号码查询散列"
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="personal_data_erased_on",
            field=models.DateField(blank=True, null=True, verbose_name="个人信息删除日期"),
        ),
        migrations.AlterField(
            model_name="application",
            name="address",
            field=gongkai.personaldata.fields.EncryptedTextField(
                blank=True, plain_max_length=200, verbose_name="通信地址"
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="email",
            field=gongkai.personaldata.fields.EncryptedTextField(
                blank=True,
                plain_max_length=254,
                validators=[django.core.validators.EmailValidator()],
                verbose_name="电子邮箱",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="id_number",
            field=gongkai.personaldata.fields.EncryptedTextField(
                blank=True, plain_max_length=32, verbose_name="证件号码"
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="phone",
            field=gongkai.personaldata.fields.EncryptedTextField(
                blank=True, plain_max_length=32, verbose_name="联系电话"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["id_number_hash"], name="application_id_number_hash"),
        ),
    ]
