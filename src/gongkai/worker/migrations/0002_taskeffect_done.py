"""The effects ledger records the intent before the action and its outcome after it
(gongkai.worker.effects): rows written before this migration were written after their action,
so they are done."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("worker", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskeffect",
            name="done",
            field=models.BooleanField(default=True, verbose_name="已完成"),
        ),
        migrations.AlterField(
            model_name="taskeffect",
            name="done",
            field=models.BooleanField(default=False, verbose_name="已完成"),
        ),
        migrations.AlterField(
            model_name="taskeffect",
            name="done_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
        ),
    ]
