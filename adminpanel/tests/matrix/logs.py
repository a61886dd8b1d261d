"""Role-matrix inputs of the staff log pages (read-only)."""

from truestyle.auditlog.models import AuditEntry

NAMES = {"logs-audit", "logs-audit-entry", "logs-requests"}
POST_DATA: dict = {}
ARGUMENTS = {"entry_id": lambda: str(AuditEntry.objects.create(action="matrix.check", object_type="test").pk)}
