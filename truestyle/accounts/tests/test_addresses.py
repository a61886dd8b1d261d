import pytest

from truestyle.accounts import services
from truestyle.accounts.models import Address
from truestyle.accounts.tests.factories import user_create
from truestyle.core.errors import NotFound, StoreError

HOME = {"label": "Home", "name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road", "city": "Bengaluru",
        "state": "Karnataka", "pincode": "560001"}


def test_first_address_is_the_default_and_the_choice_moves(db):
    user = user_create()
    home = services.address_create(user=user, values=HOME)
    work = services.address_create(user=user, values={**HOME, "label": "Work", "line1": "1 Residency Rd"})

    assert (home.is_default, work.is_default) == (True, False)
    services.address_set_default(user=user, address_id=work.pk)
    assert list(Address.objects.filter(user=user).order_by("label").values_list("label", "is_default")) == [
        ("Home", False), ("Work", True)]


def test_deleting_the_default_promotes_the_oldest_remaining(db):
    user = user_create()
    home = services.address_create(user=user, values=HOME)
    work = services.address_create(user=user, values={**HOME, "label": "Work"})

    services.address_delete(user=user, address_id=home.pk)

    assert Address.objects.get(pk=work.pk).is_default is True


def test_invalid_pincode_is_refused_and_nothing_saved(db):
    user = user_create()

    with pytest.raises(StoreError) as refusal:
        services.address_create(user=user, values={**HOME, "pincode": "5600"})

    assert refusal.value.fields == {"pincode": ["Enter a 6-digit PIN code."]}
    assert Address.objects.count() == 0


def test_another_users_address_is_not_found_and_unchanged(db):
    owner = user_create()
    stranger = user_create(email="ravi@example.com")
    address = services.address_create(user=owner, values=HOME)

    with pytest.raises(NotFound):
        services.address_update(user=stranger, address_id=address.pk, values={**HOME, "city": "Mysuru"})
    with pytest.raises(NotFound):
        services.address_delete(user=stranger, address_id=address.pk)

    assert Address.objects.get(pk=address.pk).city == "Bengaluru"
