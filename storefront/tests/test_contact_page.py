"""The contact page: a message reaches the inbox; bad input, bots, bursts and a PostgreSQL outage do not."""

from __future__ import annotations

from django.test import Client

from storefront.tests.conftest import signed_in_client
from truestyle.contact.models import ContactMessage
from truestyle.testing.network import sql_database_unreachable

FORM = {"name": "Meera Iyer", "email": "meera@example.com", "phone": "", "subject": "Kurta sizes",
        "message": "Does the cotton kurta run small?", "website": ""}


def test_a_message_is_sent_and_the_visitor_thanked(db):
    client = Client()

    response = client.post("/contact/", FORM, follow=True)

    assert response.status_code == 200
    assert "your message is with our customer care team" in response.content.decode()
    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.subject, message.message, message.user_id) == (
        "Meera Iyer", "meera@example.com", "Kurta sizes", "Does the cotton kurta run small?", "")


def test_with_htmx_only_the_form_card_comes_back_and_it_is_empty_again(db):
    response = Client().post("/contact/", FORM, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="contact-card"')
    assert "<html" not in body
    assert "your message is with our customer care team" in body
    assert 'value="Meera Iyer"' not in body
    assert ContactMessage.objects.count() == 1


def test_a_signed_in_shopper_finds_their_name_filled_in_and_the_message_linked(shopper):
    client = signed_in_client(shopper)

    page = client.get("/contact/").content.decode()
    client.post("/contact/", {**FORM, "email": shopper.email})

    assert f'value="{shopper.name}"' in page
    assert ContactMessage.objects.get().user_id == str(shopper.pk)


def test_invalid_input_shows_each_error_keeps_the_text_and_stores_nothing(db):
    response = Client().post("/contact/", {**FORM, "email": "not-an-email", "message": "Hi"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in body
    assert "Tell us a little more (at least 10 characters)." in body
    assert 'value="Kurta sizes"' in body
    assert ContactMessage.objects.count() == 0


def test_a_filled_honeypot_is_thanked_like_anyone_and_stores_nothing(db):
    response = Client().post("/contact/", {**FORM, "website": "http://spam.example"}, follow=True)

    assert "your message is with our customer care team" in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_the_sixth_message_within_the_hour_is_refused_with_the_text_kept(db):
    client = Client(REMOTE_ADDR="203.0.113.77")
    for _ in range(5):
        assert client.post("/contact/", FORM).status_code == 302

    response = client.post("/contact/", {**FORM, "subject": "One more thing"})

    body = response.content.decode()
    assert response.status_code == 429
    assert "Too many messages. Please wait" in body
    assert 'value="One more thing"' in body
    assert ContactMessage.objects.count() == 5


def test_with_postgresql_down_the_visitor_is_told_and_keeps_what_they_typed(db):
    with sql_database_unreachable():
        response = Client().post("/contact/", FORM)

    body = response.content.decode()
    assert response.status_code == 503
    assert "We could not send your message just now." in body
    assert 'value="Meera Iyer"' in body
    assert "Does the cotton kurta run small?" in body
    assert ContactMessage.objects.count() == 0
