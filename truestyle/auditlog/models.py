"""Logs in PostgreSQL. Users live in MongoDB, so ids are stored as text, never as foreign keys."""

from django.db import models


class AuditEntry(models.Model):
    """A record of one action: who did what to which object, with before and after values."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.CharField(max_length=64, blank=True, db_index=True)
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        db_table = "audit_log"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


class RequestLogEntry(models.Model):
    """One HTTP request as the store answered it."""

    created_at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    status_code = models.PositiveSmallIntegerField(db_index=True)
    duration_ms = models.FloatField()
    user_id = models.CharField(max_length=64, blank=True, db_index=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        db_table = "request_log"
        ordering = ["-created_at"]
