"""The staff contact inbox: find messages, change their status, answer them by email."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from truestyle.accounts.tests.factories import user_create
from truestyle.contact.models import ContactMessage, ContactReply


@pytest.fixture
def support(db):
    agent = user_create(email="support@example.com", name="Support Agent")
    agent.groups.add(Group.objects.get(name="support_agent"))
    client = Client()
    client.force_login(agent)
    return client


def _message(**fields):
    values = {"name": "Meera Iyer", "email": "meera@example.com", "subject": "Kurta sizes",
              "message": "Does the cotton kurta run small?"}
    return ContactMessage.objects.create(**{**values, **fields})


def test_the_inbox_filters_by_status_and_search(support):
    _message(subject="Late delivery", status="in_progress")
    _message(subject="Refund question", email="ravi@example.com", name="Ravi")
    _message(subject="Kurta sizes", status="resolved")

    new = support.get("/staff/messages/?status=new").content.decode()
    ravi = support.get("/staff/messages/?q=ravi", HTTP_HX_REQUEST="true").content.decode()

    assert "Refund question" in new and "Late delivery" not in new and "Kurta sizes" not in new
    assert "1 new · 1 in progress · 1 resolved" in new
    assert ravi.lstrip().startswith('<div id="contact-results"')
    assert "Refund question" in ravi and "Late delivery" not in ravi


def test_a_reply_is_mailed_and_listed_and_the_status_can_be_resolved(support):
    message = _message()

    sent = support.post(f"/staff/messages/{message.pk}/reply/", {"body": "It runs true to size."}, follow=True)
    resolved = support.post(f"/staff/messages/{message.pk}/status/", {"status": "resolved"}, follow=True)

    assert "Reply sent to meera@example.com." in sent.content.decode()
    assert "It runs true to size." in resolved.content.decode()
    assert ContactMessage.objects.get().status == "resolved"
    assert [(m.to, m.subject) for m in mail.outbox] == [(["meera@example.com"], "Re: Kurta sizes")]


def test_an_empty_reply_is_refused_on_the_form_and_nothing_is_sent(support):
    message = _message()

    response = support.post(f"/staff/messages/{message.pk}/reply/", {"body": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert ContactReply.objects.count() == 0
    assert mail.outbox == []
    assert ContactMessage.objects.get().status == "new"


def test_a_missing_message_is_404_and_a_content_editor_is_refused(db, support):
    assert support.get("/staff/messages/999999/").status_code == 404
    assert support.get("/staff/messages/not-a-number/").status_code == 404
    editor = user_create(email="editor@example.com")
    editor.groups.add(Group.objects.get(name="content_editor"))
    client = Client()
    client.force_login(editor)
    message = _message()

    assert client.post(f"/staff/messages/{message.pk}/status/", {"status": "resolved"}).status_code == 403
    assert ContactMessage.objects.get().status == "new"
