"""The shopper's returns and exchanges under /account/returns/: what can come back, the request form,
tracking a request, and cancelling it before pickup.

Every rule (eligibility, the exchange hold, who may cancel when) lives in truestyle.returns.services;
these views only turn HTTP into calls. Another shopper's request or order line is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from truestyle.core.errors import StoreError
from truestyle.core.images import ACCEPT_ATTRIBUTE
from truestyle.orders.models import Order, OrderLine
from truestyle.returns import selectors, services
from truestyle.returns.models import ReturnKind, ReturnReason, ReturnRequest
from truestyle.returns.statuses import Actor, ReturnStatus, next_statuses_for

# The steps a shopper follows; a rejected or cancelled request shows its own history instead.
PROGRESS = [ReturnStatus.REQUESTED, ReturnStatus.APPROVED, ReturnStatus.PICKED_UP, ReturnStatus.RECEIVED,
            ReturnStatus.COMPLETED]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the service decodes and judges each photo."""

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReturnForm(forms.Form):
    """Only shapes the input; the service checks every rule and its field errors land here."""

    kind = forms.ChoiceField(choices=ReturnKind.choices, widget=forms.RadioSelect, initial=ReturnKind.RETURN,
                             label="What would you like?")
    quantity = forms.IntegerField(min_value=1, initial=1, label="How many pieces")
    reason = forms.ChoiceField(choices=[("", "Choose a reason")] + list(ReturnReason.choices), label="Reason")
    replacement_variant_id = forms.ChoiceField(required=False, label="Exchange for")
    refund_method = forms.ChoiceField(required=False, label="Refund as", choices=[
        ("bank_transfer", "Bank transfer"), ("store_credit", "Store credit")])
    comment = forms.CharField(required=False, max_length=2000, label="Anything we should know?",
                              widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(required=False, label=f"Photos (up to {services.MAX_PHOTOS})",
                               widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))

    def __init__(self, *args, line: OrderLine, available: int, options: list, cod: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"] = forms.IntegerField(min_value=1, max_value=available, initial=1,
                                                     label="How many pieces")
        self.fields["replacement_variant_id"].choices = [("", "Choose a size or colour")] + [
            (str(variant.pk), f"{variant.colourway.name}, {variant.size}") for variant in options]
        if not cod:
            del self.fields["refund_method"]


def _request_or_404(request, number: str) -> ReturnRequest:
    found = selectors.return_of_user(user=request.user, number=number)
    if found is None:
        raise Http404("No such return")
    return found


@login_required
def return_list(request):
    return render(request, "storefront/returns/list.html", {
        "requests": selectors.returns_of_user(user=request.user),
        "returnable": selectors.returnable_lines(user=request.user), "section": "returns",
    })


@login_required
def return_new(request, order_number: str, line_id: str):
    order = Order.objects.filter(user_id=request.user.pk, number=order_number).first()
    line = order.lines.filter(pk=line_id).first() if order and services.is_object_id(line_id) else None
    if line is None:
        raise Http404("No such item")
    eligible = next((item for item in selectors.returnable_lines(user=request.user)
                     if item["line"].pk == line.pk), None)
    context = {"order": order, "line": line, "eligible": eligible, "section": "returns"}
    if eligible is None:
        return render(request, "storefront/returns/new.html", context, status=409)
    form = ReturnForm(request.POST or None, request.FILES or None, line=line, available=eligible["available"],
                      options=selectors.exchange_options(line=line), cod=order.payment_method == "cod")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.return_request(
                    user=request.user, order_id=order.pk, line_id=line.pk, kind=data["kind"],
                    quantity=data["quantity"], reason=data["reason"], comment=data["comment"],
                    photos=data["photos"], replacement_variant_id=data["replacement_variant_id"],
                    refund_method=data.get("refund_method") or "")
            except StoreError as error:
                for name, errors in error.fields.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
                if not error.fields:
                    form.add_error(None, error.message)
            else:
                messages.success(request, f"Your request {created.number} is filed. We will email you at each step.")
                return redirect(reverse("storefront:return", args=[created.number]))
        status = 400
    return render(request, "storefront/returns/new.html", {**context, "form": form}, status=status)


def _progress(item: ReturnRequest) -> list[dict]:
    if item.status not in PROGRESS:
        return []
    reached = PROGRESS.index(ReturnStatus(item.status))
    return [{"label": step.label, "done": index <= reached, "current": index == reached}
            for index, step in enumerate(PROGRESS)]


@login_required
def return_detail(request, number: str):
    item = _request_or_404(request, number)
    return render(request, "storefront/returns/detail.html", {
        "item": item, "progress": _progress(item), "section": "returns",
        "events": [{"at": event.created_at, "label": ReturnStatus(event.to_status).label, "note": event.note}
                   for event in selectors.return_events(request=item)],
        "can_cancel": ReturnStatus.CANCELLED in next_statuses_for(item.status, Actor.CUSTOMER),
    })


@login_required
@require_POST
def return_cancel(request, number: str):
    item = _request_or_404(request, number)
    try:
        services.return_transition(request=item, to=ReturnStatus.CANCELLED, actor=request.user,
                                   note="Cancelled by the customer.")
    except StoreError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Request {item.number} is cancelled.")
    return redirect(reverse("storefront:return", args=[item.number]))
