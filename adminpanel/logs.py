"""Staff log pages: the audit log (who changed what, before and after) and the request log.

Both live in PostgreSQL; filtering is django-filter on the query string, and with htmx only the
results are swapped (the URL is pushed, so a filtered view is shareable).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404

from adminpanel.log_filters import AuditFilter, RequestLogFilter
from adminpanel.permissions import staff_permission_required
from adminpanel.views import staff_render
from truestyle.auditlog import selectors

PERMISSION = "view_logs"
PER_PAGE = 50
TEMPLATES = "adminpanel/logs/"


def _list(request, filterset, template: str, extra: dict | None = None):
    # An invalid filter (a bad date) shows its error and no rows rather than everything.
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), **(extra or {})}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, template + "#results", context)
    return staff_render(request, template, context)


@staff_permission_required(PERMISSION)
def audit_log(request):
    filterset = AuditFilter(request.GET or None, queryset=selectors.audit_entries())
    return _list(request, filterset, TEMPLATES + "audit.html")


@staff_permission_required(PERMISSION)
def audit_entry(request, entry_id: str):
    entry = selectors.audit_entry_for_staff(entry_id=entry_id)
    if entry is None:
        raise Http404("No such audit entry")
    return staff_render(request, TEMPLATES + "audit_entry.html",
                        {"entry": entry, "changes": selectors.audit_changes(entry)})


@staff_permission_required(PERMISSION)
def request_log(request):
    filterset = RequestLogFilter(request.GET or None, queryset=selectors.request_log_entries())
    return _list(request, filterset, TEMPLATES + "requests.html")
