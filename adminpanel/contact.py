"""Staff contact inbox: list (status, search), a message with its replies, status changes, email replies.

The rules (what a status may be, that a reply is mailed once committed) live in
truestyle.contact.services; every change is in the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect

from adminpanel.contact_forms import ContactReplyForm, ContactSearchForm, ContactStatusForm
from adminpanel.permissions import staff_permission_required
from adminpanel.views import client_ip, post_only, staff_render
from storefront.account_forms import add_service_errors
from truestyle.contact import selectors, services
from truestyle.core.errors import StoreError

PERMISSION = "handle_contact_messages"
PER_PAGE = 25
TEMPLATES = "adminpanel/contact/"


def _message_or_404(message_id: str):
    message = selectors.contact_message_for_staff(message_id=message_id)
    if message is None:
        raise Http404("No such message")
    return message


@staff_permission_required(PERMISSION)
def contact_list(request):
    form = ContactSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "status": ""}
    page = Paginator(selectors.contact_messages(status=filters["status"], query=filters["q"]),
                     PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "counts": selectors.contact_counts()}
    if request.htmx and not request.htmx.history_restore_request:
        return staff_render(request, TEMPLATES + "list.html#results", context)
    return staff_render(request, TEMPLATES + "list.html", context)


def _detail(request, message, *, reply_form=None, status: int = 200):
    context = {"message": message, "replies": selectors.contact_replies(message=message),
               "reply_form": reply_form or ContactReplyForm(),
               "status_form": ContactStatusForm(initial={"status": message.status})}
    return staff_render(request, TEMPLATES + "detail.html", context, status=status)


@staff_permission_required(PERMISSION)
def contact_detail(request, message_id: str):
    return _detail(request, _message_or_404(message_id))


@staff_permission_required(PERMISSION)
@post_only
def contact_status(request, message_id: str):
    message = _message_or_404(message_id)
    form = ContactStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
        return redirect("adminpanel:contact-message", message_id=message.pk)
    message = services.contact_message_set_status(actor=request.user, message_id=message.pk,
                                                  status=form.cleaned_data["status"], ip=client_ip(request))
    messages.success(request, f"Marked {message.get_status_display().lower()}.")
    return redirect("adminpanel:contact-message", message_id=message.pk)


@staff_permission_required(PERMISSION)
@post_only
def contact_reply(request, message_id: str):
    message = _message_or_404(message_id)
    form = ContactReplyForm(request.POST)
    if form.is_valid():
        try:
            services.contact_message_reply(actor=request.user, message_id=message.pk,
                                           body=form.cleaned_data["body"], ip=client_ip(request))
        except StoreError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Reply sent to {message.email}.")
            return redirect("adminpanel:contact-message", message_id=message.pk)
    return _detail(request, message, reply_form=form, status=400)
