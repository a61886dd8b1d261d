"""Filters of the staff log pages (django-filter): the URL's query string is the filter, so a
filtered view can be bookmarked and shared."""

from __future__ import annotations

import django_filters
from django import forms

from truestyle.auditlog.models import AuditEntry, RequestLogEntry
from truestyle.auditlog.selectors import audit_actions


class _Date(forms.DateInput):
    input_type = "date"


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=[], empty_label="Any action")
    actor = django_filters.CharFilter(field_name="actor_email", lookup_expr="icontains", label="Staff email")
    object_type = django_filters.CharFilter(lookup_expr="iexact", label="Object type")
    object_id = django_filters.CharFilter(lookup_expr="exact", label="Object id")
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From",
                                      widget=_Date())
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="Until",
                                      widget=_Date())

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["action"].extra["choices"] = [(action, action) for action in audit_actions()]


STATUS_CLASSES = [("2", "2xx success"), ("3", "3xx redirect"), ("4", "4xx refused"), ("5", "5xx error")]


class RequestLogFilter(django_filters.FilterSet):
    method = django_filters.ChoiceFilter(
        choices=[(m, m) for m in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")],
        empty_label="Any method")
    status = django_filters.ChoiceFilter(choices=STATUS_CLASSES, method="filter_status_class",
                                         empty_label="Any status", label="Status")
    path = django_filters.CharFilter(lookup_expr="icontains", label="Path contains")
    user = django_filters.CharFilter(field_name="user_id", lookup_expr="exact", label="User id")
    slower_than = django_filters.NumberFilter(field_name="duration_ms", lookup_expr="gte", label="Slower than (ms)")
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From",
                                      widget=_Date())
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="Until",
                                      widget=_Date())

    class Meta:
        model = RequestLogEntry
        fields: list[str] = []

    def filter_status_class(self, queryset, name, value):
        hundred = int(value) * 100
        return queryset.filter(status_code__gte=hundred, status_code__lt=hundred + 100)
