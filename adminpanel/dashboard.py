"""The staff home: a tile per area the member may open and, for those who may see sales, the dashboard.

The period is a date range on the query string (the last 30 days by default); with htmx only the
figures are swapped and the URL is pushed. Charts are drawn by Chart.js from JSON in the page.
"""

from __future__ import annotations

from django import forms

from adminpanel.permissions import staff_permission_required
from adminpanel.views import staff_render
from truestyle.accounts.permissions import user_has_permission
from truestyle.analytics.dashboard import Period, dashboard_figures, period_last, store_today
from truestyle.analytics.selectors import trending_rows

MAX_DAYS = 366
TEMPLATE = "adminpanel/dashboard.html"


class _Date(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    since = forms.DateField(label="From", widget=_Date())
    until = forms.DateField(label="Until", widget=_Date())

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if until < since:
                self.add_error("until", "The end comes before the start.")
            elif (until - since).days >= MAX_DAYS:
                self.add_error("until", f"Choose at most {MAX_DAYS} days.")
            elif since > store_today():
                self.add_error("since", "The period starts in the future.")
        return data


def _chart_data(figures) -> dict:
    labels = {"pending_payment": "Awaiting payment"}
    return {
        "sales": {"labels": [row["day"] for row in figures.sales_by_day],
                  "revenue": [str(row["revenue"]) for row in figures.sales_by_day]},
        "top": {"labels": [row["name"] for row in figures.top_products],
                "revenue": [str(row["revenue"]) for row in figures.top_products]},
        "categories": {"labels": [row["category"] for row in figures.category_share],
                       "revenue": [str(row["revenue"]) for row in figures.category_share]},
        "statuses": {"labels": [labels.get(status, status.replace("_", " ").capitalize())
                                for status in figures.orders_by_status],
                     "orders": list(figures.orders_by_status.values())},
    }


@staff_permission_required("view_staff_area")
def dashboard(request):
    context: dict = {"can_see_sales": user_has_permission(request.user, "view_dashboard")}
    if context["can_see_sales"]:
        default = period_last(30)
        form = PeriodForm(request.GET or {"since": default.first, "until": default.last})
        period = Period(form.cleaned_data["since"], form.cleaned_data["until"]) if form.is_valid() else None
        figures = dashboard_figures(period=period) if period else None
        context.update(form=form, figures=figures, charts=_chart_data(figures) if figures else None,
                       trending=trending_rows(limit=10))
        if request.htmx and not request.htmx.history_restore_request:
            return staff_render(request, TEMPLATE + "#figures", context, status=200 if figures else 400)
    return staff_render(request, TEMPLATE, context)
