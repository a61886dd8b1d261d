"""Plain Django views: a gateway's callback in, the sandbox provider's hosted page out. No rules here."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from truestyle.core.errors import StoreError
from truestyle.payments.gateways.sandbox import sandbox_callback_build
from truestyle.payments.selectors import payment_by_reference
from truestyle.payments.services import payment_callback_receive

SIGNATURE_HEADER = "X-Signature"
ACCEPTED = {"applied", "unchanged"}
SANDBOX_DECISIONS = {"approve": "paid", "decline": "failed", "pending": "pending"}


@csrf_exempt  # the gateway cannot hold our CSRF token: the HMAC signature authenticates the call
@require_POST
def payment_callback(request: HttpRequest, gateway: str) -> HttpResponse:
    """Server-to-server (JSON body, signature in X-Signature) or through the shopper's browser
    (form fields `payload` and `signature`, as hosted pages return): same verification either way."""
    if request.content_type == "application/json":
        body, signature, browser = request.body, request.headers.get(SIGNATURE_HEADER, ""), False
    else:
        body = request.POST.get("payload", "").encode()
        signature, browser = request.POST.get("signature", ""), True
    try:
        outcome, payment = payment_callback_receive(gateway_name=gateway, body=body, signature=signature)
    except StoreError as refusal:
        return JsonResponse({"error": {"code": refusal.code, "message": refusal.message, "fields": {}}},
                            status=refusal.status)
    if not browser:
        return JsonResponse({"outcome": outcome}, status=200 if outcome in ACCEPTED else 409)
    order = payment.order if payment is not None else None
    return render(request, "payments/result.html", {"outcome": outcome, "payment": payment, "order": order},
                  status=200 if outcome in ACCEPTED else 400)


@require_http_methods(["GET", "POST"])
def sandbox_page(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the hosted page (amount, Approve / Decline / Leave pending). POST: sign the shopper's
    decision and send the browser back to the store's callback with it."""
    payment = payment_by_reference(gateway="sandbox", reference=reference)
    if payment is None or "sandbox" not in settings.PAYMENT_GATEWAYS:
        raise Http404("Unknown payment.")
    if request.method == "GET":
        return render(request, "payments/sandbox_page.html", {"payment": payment, "order": payment.order})
    status = SANDBOX_DECISIONS.get(request.POST.get("decision", ""))
    if status is None:
        return render(request, "payments/sandbox_page.html",
                      {"payment": payment, "order": payment.order, "error": "Choose one of the buttons."}, status=400)
    body, signature = sandbox_callback_build(reference=reference, status=status)
    return render(request, "payments/sandbox_return.html", {
        "callback_url": reverse("payments:callback", kwargs={"gateway": "sandbox"}),
        "payload": body.decode(), "signature": signature, "status": status,
    })
