"""The address book: every action answers with the list fragment for htmx, a whole page (or a redirect) otherwise."""

from truestyle.accounts import services
from truestyle.accounts.models import Address
from truestyle.accounts.tests.factories import user_create

HTMX = {"HTTP_HX_REQUEST": "true"}
HOME = {"label": "Home", "name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road", "line2": "",
        "city": "Bengaluru", "state": "Karnataka", "pincode": "560001"}
WORK = {**HOME, "label": "Work", "line1": "5 Residency Road", "pincode": "560025"}


def _address(user, values=HOME):
    return services.address_create(user=user, values=values)


def _is_fragment(content: str) -> bool:
    return content.lstrip().startswith('<div id="address-book"') and "<html" not in content


def test_the_page_is_whole_without_htmx_and_only_the_fragment_with_it(shopper_client, shopper):
    _address(shopper)

    page = shopper_client.get("/account/addresses/").content.decode()
    fragment = shopper_client.get("/account/addresses/", **HTMX).content.decode()

    assert "<html" in page and 'id="address-book"' in page and "12 MG Road" in page
    assert _is_fragment(fragment) and "12 MG Road" in fragment


def test_every_htmx_control_keeps_a_real_link_or_action(shopper_client, shopper):
    address = _address(shopper)
    _address(shopper, WORK)

    page = shopper_client.get("/account/addresses/").content.decode()

    assert f'<a href="/account/addresses/{address.pk}/edit/" hx-get="/account/addresses/{address.pk}/edit/"' in page
    assert '<a class="button" href="/account/addresses/new/" hx-get="/account/addresses/new/"' in page
    assert page.count('method="post" action="/account/addresses/') == page.count('hx-post="/account/addresses/')


def test_add_without_htmx_redirects_to_the_book(shopper_client, shopper):
    response = shopper_client.post("/account/addresses/new/", HOME)

    assert response.status_code == 302
    assert response["Location"] == "/account/addresses/"
    (address,) = Address.objects.filter(user=shopper)
    assert (address.line1, address.pincode, address.is_default) == ("12 MG Road", "560001", True)


def test_add_with_htmx_answers_with_the_fragment(shopper_client, shopper):
    response = shopper_client.post("/account/addresses/new/", HOME, **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert _is_fragment(content)
    assert "Address added." in content and "12 MG Road" in content
    assert Address.objects.filter(user=shopper).count() == 1


def test_add_refuses_a_bad_pin_code_and_saves_nothing(shopper_client, shopper):
    full = shopper_client.post("/account/addresses/new/", {**HOME, "pincode": "012345"})
    partial = shopper_client.post("/account/addresses/new/", {**HOME, "pincode": "012345"}, **HTMX)

    assert full.status_code == 400 and "<html" in full.content.decode()
    # htmx swaps only 2xx answers, so the refused form comes back as 200.
    assert partial.status_code == 200 and _is_fragment(partial.content.decode())
    for response in (full, partial):
        assert '<p class="field-error" id="id_pincode_error">Enter a 6-digit PIN code.</p>' in response.content.decode()
    assert not Address.objects.filter(user=shopper).exists()


def test_the_add_form_opens_as_a_fragment_or_a_page(shopper_client):
    assert _is_fragment(shopper_client.get("/account/addresses/new/", **HTMX).content.decode())
    page = shopper_client.get("/account/addresses/new/").content.decode()
    assert "<html" in page and 'action="/account/addresses/new/"' in page


def test_edit_saves_and_can_make_the_address_the_default(shopper_client, shopper):
    first = _address(shopper)
    second = _address(shopper, WORK)

    response = shopper_client.post(f"/account/addresses/{second.pk}/edit/",
                                   {**WORK, "city": "Mysuru", "is_default": "on"}, **HTMX)

    assert response.status_code == 200 and _is_fragment(response.content.decode())
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.city, second.is_default, first.is_default) == ("Mysuru", True, False)


def test_edit_refuses_invalid_values_and_changes_nothing(shopper_client, shopper):
    address = _address(shopper)

    response = shopper_client.post(f"/account/addresses/{address.pk}/edit/", {**HOME, "phone": "12"})

    assert response.status_code == 400
    assert "Enter a valid phone number." in response.content.decode()
    address.refresh_from_db()
    assert address.phone == "9876543210"


def test_make_default_with_htmx_answers_with_the_fragment(shopper_client, shopper):
    first = _address(shopper)
    second = _address(shopper, WORK)

    response = shopper_client.post(f"/account/addresses/{second.pk}/default/", **HTMX)

    assert response.status_code == 200 and _is_fragment(response.content.decode())
    assert [a.pk for a in Address.objects.filter(user=shopper, is_default=True)] == [second.pk]
    first.refresh_from_db()
    assert first.is_default is False


def test_delete_without_htmx_redirects_and_the_next_becomes_default(shopper_client, shopper):
    first = _address(shopper)
    second = _address(shopper, WORK)

    response = shopper_client.post(f"/account/addresses/{first.pk}/delete/")

    assert response.status_code == 302
    assert list(Address.objects.filter(user=shopper).values_list("pk", "is_default")) == [(second.pk, True)]


def test_another_users_address_is_not_found_and_stays(shopper_client):
    stranger = user_create(email="stranger@example.com")
    theirs = _address(stranger)

    assert shopper_client.post(f"/account/addresses/{theirs.pk}/delete/", **HTMX).status_code == 404
    assert shopper_client.post(f"/account/addresses/{theirs.pk}/default/").status_code == 404
    assert shopper_client.post(f"/account/addresses/{theirs.pk}/edit/", {**HOME, "city": "Pune"}).status_code == 404
    assert shopper_client.get("/account/addresses/not-an-id/edit/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.city == "Bengaluru"


def test_delete_and_make_default_refuse_get(shopper_client, shopper):
    address = _address(shopper)

    assert shopper_client.get(f"/account/addresses/{address.pk}/delete/").status_code == 405
    assert Address.objects.filter(pk=address.pk).exists()
