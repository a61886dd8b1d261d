from django.apps import AppConfig


class AuditlogConfig(AppConfig):
    """Audit and request logs, kept in PostgreSQL (the `default` database)."""

    name = "truestyle.auditlog"
    label = "auditlog"
    default_auto_field = "django.db.models.BigAutoField"
