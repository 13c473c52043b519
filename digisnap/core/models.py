"""Operational state shared by all app servers: the task workers' heartbeats and the shared cache."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by every task worker every few seconds; /healthz reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class CacheEntry(models.Model):
    """A row of Django's database cache (the table `createcachetable` would make).

    Declared as a model so that `migrate` creates it from a clean checkout: without REDIS_URL the
    cache — rate limits above all — must be shared by every process, which a per-process memory
    cache is not.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "digisnap_cache"

    def __str__(self) -> str:
        return self.cache_key
