"""Staff returns queue: filtered list, a request with its photos and history, and its next moves.

Every status change goes through `return_transition` (truestyle/returns/services.py), which owns the
transition table, the rejection-reason and inspection rules and the consequences (exchange hold,
restock of sellable units, refund, mail). Its refusals come back here as messages and write nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from adminpanel.permissions import staff_permission_required
from adminpanel.views import post_only, staff_render
from truestyle.accounts.models import User
from truestyle.core.errors import StoreError
from truestyle.returns import selectors
from truestyle.returns.models import Inspection, ReturnKind, ReturnRequest
from truestyle.returns.services import return_transition
from truestyle.returns.statuses import STAFF_PERMISSION, Actor, ReturnStatus, next_statuses_for

PER_PAGE = 25
TEMPLATES = "adminpanel/returns/"
# The button of each move, as staff say it.
MOVE_LABELS = {
    ReturnStatus.APPROVED: "Approve",
    ReturnStatus.REJECTED: "Reject",
    ReturnStatus.PICKED_UP: "Mark picked up",
    ReturnStatus.RECEIVED: "Mark received",
    ReturnStatus.COMPLETED: "Complete (refund or dispatch)",
}


class ReturnFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=40, label="Request or order number")
    status = forms.ChoiceField(required=False, choices=[("", "Open and closed")] + list(ReturnStatus.choices),
                               label="Status")
    kind = forms.ChoiceField(required=False, choices=[("", "Returns and exchanges")] + list(ReturnKind.choices),
                             label="Type")


class ReturnTransitionForm(forms.Form):
    # Prefixed, so its fields cannot be confused with another staff form's.
    prefix = "return"
    to = forms.ChoiceField(choices=ReturnStatus.choices)
    note = forms.CharField(required=False, max_length=300, label="Note (the reason, when rejecting)")
    inspection = forms.ChoiceField(required=False, choices=[("", "—")] + list(Inspection.choices),
                                   label="Inspection")


@staff_permission_required(STAFF_PERMISSION)
def return_queue(request):
    form = ReturnFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    requests = selectors.returns_queue(status=data.get("status", ""), kind=data.get("kind", ""),
                                       query=data.get("q", ""))
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "open_count": ReturnRequest.objects.filter(status=ReturnStatus.REQUESTED).count()}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, TEMPLATES + "queue.html#results", context)
    return staff_render(request, TEMPLATES + "queue.html", context)


def _request_or_404(number: str) -> ReturnRequest:
    found = selectors.return_by_number(number=number)
    if found is None:
        raise Http404("No such return")
    return found


@staff_permission_required(STAFF_PERMISSION)
def return_detail(request, return_number: str):
    item = _request_or_404(return_number)
    events = selectors.return_events(request=item)
    people = {str(user.pk): user for user in User.objects.filter(pk__in=[e.actor_id for e in events if e.actor_id])}

    def who(actor_id: str) -> str:
        if actor_id == str(item.user_id):
            return "Customer"
        person = people.get(actor_id)
        return (person.name or person.email) if person else "Staff"

    return staff_render(request, TEMPLATES + "detail.html", {
        "item": item, "form": ReturnTransitionForm(),
        "moves": [(to, MOVE_LABELS.get(to, to)) for to in next_statuses_for(item.status, Actor.STAFF)],
        "events": [{"event": event, "who": who(event.actor_id), "label": ReturnStatus(event.to_status).label}
                   for event in events],
        "inspections": Inspection.choices,
    })


@staff_permission_required(STAFF_PERMISSION)
@post_only
def return_transition_view(request, return_number: str):
    item = _request_or_404(return_number)
    form = ReturnTransitionForm(request.POST)
    back = redirect(reverse("adminpanel:return", args=[item.number]))
    if not form.is_valid():
        messages.error(request, "Choose a valid next step.")
        return back
    data = form.cleaned_data
    try:
        moved = return_transition(request=item, to=data["to"], actor=request.user, note=data["note"],
                                  inspection=data["inspection"])
    except StoreError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Request {moved.number} is now {moved.get_status_display().lower()}.")
    return back
