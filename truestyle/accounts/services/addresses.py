"""The address book: several addresses per user, exactly one default when there are any."""

from __future__ import annotations

import re

from django.db.models import Q

from truestyle.accounts.models import Address, User
from truestyle.core.errors import NotFound, StoreError

ADDRESS_FIELDS = ("label", "name", "phone", "line1", "line2", "city", "state", "pincode")
_PINCODE = re.compile(r"^[1-9][0-9]{5}$")
_PHONE = re.compile(r"^\+?[0-9 ]{10,15}$")


def _clean(values: dict) -> dict:
    cleaned = {field: str(values.get(field, "") or "").strip() for field in ADDRESS_FIELDS}
    errors = {}
    for required in ("name", "phone", "line1", "city", "state", "pincode"):
        if not cleaned[required]:
            errors[required] = ["This field is required."]
    if cleaned["pincode"] and not _PINCODE.match(cleaned["pincode"]):
        errors["pincode"] = ["Enter a 6-digit PIN code."]
    if cleaned["phone"] and not _PHONE.match(cleaned["phone"]):
        errors["phone"] = ["Enter a valid phone number."]
    if errors:
        raise StoreError("Some fields are not valid.", code="invalid", fields=errors)
    return cleaned


def _owned(user: User, address_id) -> Address:
    address = Address.objects.filter(pk=address_id, user=user).first() if _valid_id(address_id) else None
    if address is None:
        raise NotFound("That address does not exist.", code="address_not_found")
    return address


def _valid_id(value) -> bool:
    from bson import ObjectId

    return ObjectId.is_valid(str(value))


def address_create(*, user: User, values: dict, make_default: bool = False) -> Address:
    """Add an address; the first one becomes the default."""
    cleaned = _clean(values)
    first = not Address.objects.filter(user=user).exists()
    address = Address.objects.create(user=user, is_default=first, **cleaned)
    if make_default and not first:
        address_set_default(user=user, address_id=address.pk)
        address.refresh_from_db()
    return address


def address_update(*, user: User, address_id, values: dict) -> Address:
    address = _owned(user, address_id)
    for field, value in _clean(values).items():
        setattr(address, field, value)
    address.save()
    return address


def address_set_default(*, user: User, address_id) -> Address:
    address = _owned(user, address_id)
    # Two single-statement updates: the chosen one first, so there is never a moment with none.
    Address.objects.filter(pk=address.pk).update(is_default=True)
    Address.objects.filter(Q(user=user) & ~Q(pk=address.pk)).update(is_default=False)
    address.is_default = True
    return address


def address_delete(*, user: User, address_id) -> None:
    """Remove an address; if it was the default, the oldest remaining one becomes the default."""
    address = _owned(user, address_id)
    was_default = address.is_default
    address.delete()
    if was_default:
        successor = Address.objects.filter(user=user).order_by("created_at").first()
        if successor is not None:
            Address.objects.filter(pk=successor.pk).update(is_default=True)
