from truestyle.accounts.models import User
from truestyle.contact.models import ContactMessage


def test_user_and_contact(db):
    User.objects.create_user("a@example.com", "a-long-password-1")
    ContactMessage.objects.create(name="A", email="a@example.com", subject="Hi", message="Hello")
    assert User.objects.count() == 1
    assert ContactMessage.objects.count() == 1


def test_isolated(db):
    assert User.objects.count() == 0
    assert ContactMessage.objects.count() == 0
