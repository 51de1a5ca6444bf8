"""The workers' leases and the tasks' recorded effects (gongkai.worker.leases, .effects)."""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """A running worker's lease: renewed every few seconds while its process lives.

    A task that is RUNNING under a worker whose lease has lapsed (or whose process is gone, on
    this host) is put back in the queue by :func:`gongkai.worker.leases.recover_lost_tasks`.
    """

    worker_id = models.CharField("工作进程", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    beat_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作进程租约"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class TaskEffect(models.Model):
    """One effect of a task run (a mail sent, …), so that the run, retried after its worker
    died, does not have it again (:func:`gongkai.worker.effects.once`).

    Written before the action (``done`` false: it may have happened, if the worker died then)
    and marked ``done`` right after it."""

    task_id = models.CharField("任务", max_length=64)
    key = models.CharField("效果", max_length=255)
    done = models.BooleanField("已完成", default=False)
    done_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务已完成的效果"
        constraints = [
            models.UniqueConstraint(fields=["task_id", "key"], name="worker_effect_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.key}"
