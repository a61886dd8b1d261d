"""Contact us: the visitor's message goes to the staff inbox (PostgreSQL).

With htmx only the form card is swapped; without JavaScript the page posts and redirects. When the
message cannot be stored the form comes back with everything typed and a plain explanation.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from storefront.account_auth_views import client_ip, throttled_message
from storefront.contact_forms import ContactForm
from truestyle.contact.services import contact_message_submit
from truestyle.core.errors import StoreError, Throttled

TEMPLATE = "storefront/contact.html"
SENT_MESSAGE = "Thank you: your message is with our customer care team. We usually answer within a day."


def _render(request, form: ContactForm, *, sent: bool = False, status: int = 200):
    if request.htmx:
        # htmx swaps only 2xx answers: the card carries the errors, so it comes back as 200.
        return render(request, TEMPLATE + "#contact-card", {"form": form, "sent": sent})
    return render(request, TEMPLATE, {"form": form, "sent": sent}, status=status)


def contact(request):
    if request.method != "POST":
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.name, "email": request.user.email}
        return _render(request, ContactForm(initial=initial))
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    if not form.is_bot():
        data = {name: form.cleaned_data[name] for name in ("name", "email", "phone", "subject", "message")}
        try:
            contact_message_submit(**data, ip=client_ip(request), user=request.user)
        except Throttled as error:
            form.add_error(None, throttled_message("messages", error))
            return _render(request, form, status=429)
        except StoreError as error:
            form.add_error(None, error.message)
            return _render(request, form, status=error.status)
    if request.htmx:
        return _render(request, ContactForm(), sent=True)
    messages.success(request, SENT_MESSAGE)
    return redirect("storefront:contact")
