"""Staff review moderation: the queue (pending first, or approved / rejected), approve, reject with a reason.

The rules (who may, which moves exist, the product's figures) live in truestyle.reviews.services;
a refusal is shown on the queue as a message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from adminpanel.permissions import staff_permission_required
from adminpanel.views import client_ip, post_only, staff_render
from truestyle.core.errors import StoreError
from truestyle.reviews import selectors, services
from truestyle.reviews.models import Review, ReviewStatus

PERMISSION = "moderate_reviews"
PER_PAGE = 20
TEMPLATES = "adminpanel/reviews/"


class RejectForm(forms.Form):
    # Prefixed, so the field cannot be confused with another staff form's "reason".
    prefix = "moderation"
    reason = forms.CharField(max_length=services.REASON_MAX, label="Reason for rejecting")


def _status(request) -> str:
    status = request.GET.get("status", ReviewStatus.PENDING)
    return status if status in ReviewStatus.values else ReviewStatus.PENDING


@staff_permission_required(PERMISSION)
def review_queue(request):
    status = _status(request)
    page = Paginator(selectors.moderation_queue(status=status), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": ReviewStatus.choices, "reject_form": RejectForm(),
               "pending_count": Review.objects.filter(status=ReviewStatus.PENDING).count()}
    return staff_render(request, TEMPLATES + "queue.html", context)


def _review_or_404(review_id: str) -> Review:
    review = selectors.review_for_staff(review_id=review_id)
    if review is None:
        raise Http404("No such review")
    return review


def _outcome(request, review: Review, *, notice: str = "", error: str = ""):
    """With htmx, the review's row again, saying what happened; otherwise back to the queue with a message."""
    if request.htmx:
        return staff_render(request, TEMPLATES + "queue.html#review-row",
                            {"review": selectors.review_for_staff(review_id=review.pk), "reject_form": RejectForm(),
                             "notice": notice, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(reverse("adminpanel:reviews"))


def _moderate(request, review_id: str, decision: str, reason: str = ""):
    review = _review_or_404(review_id)
    try:
        services.review_moderate(actor=request.user, review_id=review.pk, decision=decision, reason=reason,
                                 ip=client_ip(request))
    except StoreError as error:
        return _outcome(request, review, error=error.message)
    verb = "approved: it is shown and counted" if decision == "approve" else "rejected"
    return _outcome(request, review, notice=f"Review “{review.title}” of {review.product.name} {verb}.")


@staff_permission_required(PERMISSION)
@post_only
def review_approve(request, review_id: str):
    return _moderate(request, review_id, "approve")


@staff_permission_required(PERMISSION)
@post_only
def review_reject(request, review_id: str):
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _outcome(request, _review_or_404(review_id), error="Say why the review is rejected.")
    return _moderate(request, review_id, "reject", form.cleaned_data["reason"])
