"""Payment gateways: one interface, a registry by name (settings.PAYMENT_GATEWAYS).

Adding a provider means one new `PaymentGateway` subclass and one line in settings; the
services only ever speak to this interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from truestyle.core.errors import StoreError

CALLBACK_STATUSES = frozenset({"paid", "failed", "pending"})
ONLINE_PAYMENT_UNAVAILABLE = "Online payment is not available right now; choose cash on delivery."


@dataclass(frozen=True)
class CallbackEvent:
    """A verified callback: the gateway vouches for every field."""

    event_id: str
    reference: str  # our Payment.gateway_reference
    status: str  # paid | failed | pending
    sequence: int  # grows with every event the gateway sends for a payment
    timestamp: int  # Unix seconds, when the gateway sent it
    payload: dict


class CallbackRejected(StoreError):
    """A callback that cannot be trusted or read; `code` is the outcome logged (forged_signature, malformed)."""

    code = "callback_rejected"
    status = 400


class PaymentGateway(ABC):
    name: str = ""

    @abstractmethod
    def create_payment(self, *, payment, return_url: str) -> str:
        """Register the payment with the provider; return the URL of its hosted payment page."""

    @abstractmethod
    def verify_callback(self, *, body: bytes, signature: str) -> CallbackEvent:
        """Check the signature of a callback and read it; raises CallbackRejected."""

    @abstractmethod
    def refund(self, *, refund) -> str:
        """Ask the provider to refund; return its refund reference. Raises on failure."""


@cache
def _gateway_class(name: str) -> type[PaymentGateway]:
    return import_string(settings.PAYMENT_GATEWAYS[name])


def online_payment_available() -> bool:
    """Whether UPI and card orders can be paid: the default gateway is configured. Without one an
    online order could be placed but never paid, so checkout offers cash on delivery only."""
    return settings.PAYMENT_DEFAULT_GATEWAY in settings.PAYMENT_GATEWAYS


def gateway_get(name: str) -> PaymentGateway:
    if name not in settings.PAYMENT_GATEWAYS:
        raise StoreError("Unknown payment gateway.", code="gateway_unknown", status=404)
    return _gateway_class(name)()
