from django.urls import path

from adminpanel import logs

urlpatterns = [
    path("audit/", logs.audit_log, name="logs-audit"),
    path("audit/<str:entry_id>/", logs.audit_entry, name="logs-audit-entry"),
    path("requests/", logs.request_log, name="logs-requests"),
]
