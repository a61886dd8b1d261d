"""The built-in sandbox provider: a hosted page (payments/sandbox_urls.py) and HMAC-signed callbacks.

It plays both sides of a real provider honestly: the hosted page only learns what a provider
would (reference, amount), and the store accepts its callbacks only through `verify_callback`,
exactly as it would a real provider's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from django.conf import settings
from django.urls import reverse

from truestyle.payments.gateways import CALLBACK_STATUSES, CallbackEvent, CallbackRejected, PaymentGateway

_last_sequence = 0


def sandbox_sign(body: bytes) -> str:
    return hmac.new(settings.PAYMENT_SANDBOX_SECRET.encode(), body, hashlib.sha256).hexdigest()


def sandbox_callback_build(*, reference: str, status: str, sequence: int | None = None,
                           timestamp: int | None = None, event_id: str | None = None) -> tuple[bytes, str]:
    """The provider's side: a signed callback body and its signature."""
    global _last_sequence
    if sequence is None:
        # Nanosecond clock, forced to grow within this process: later clicks always carry larger numbers.
        sequence = _last_sequence = max(time.time_ns(), _last_sequence + 1)
    payload = {
        "event_id": event_id or uuid.uuid4().hex,
        "reference": reference,
        "status": status,
        "sequence": sequence,
        "timestamp": int(time.time()) if timestamp is None else timestamp,
    }
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return body, sandbox_sign(body)


class SandboxGateway(PaymentGateway):
    name = "sandbox"

    def create_payment(self, *, payment, return_url: str = "") -> str:
        return reverse("payments:sandbox_page", kwargs={"reference": payment.gateway_reference})

    def verify_callback(self, *, body: bytes, signature: str) -> CallbackEvent:
        if not signature or not hmac.compare_digest(sandbox_sign(body), signature.strip().lower()):
            raise CallbackRejected("The callback signature is not valid.", code="forged_signature")
        try:
            payload = json.loads(body)
            event = CallbackEvent(event_id=str(payload["event_id"]), reference=str(payload["reference"]),
                                  status=str(payload["status"]), sequence=int(payload["sequence"]),
                                  timestamp=int(payload["timestamp"]), payload=payload)
        except (ValueError, KeyError, TypeError):
            raise CallbackRejected("The callback could not be read.", code="malformed")
        if event.status not in CALLBACK_STATUSES or not event.event_id:
            raise CallbackRejected("The callback could not be read.", code="malformed")
        return event

    def refund(self, *, refund) -> str:
        # The sandbox refunds at once; a real provider would be called here (outside any transaction).
        return f"sbx_rf_{uuid.uuid4().hex[:16]}"
