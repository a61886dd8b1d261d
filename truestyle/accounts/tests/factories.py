"""Test data for accounts."""

from truestyle.accounts.models import User

PASSWORD = "correct horse battery staple"


def user_create(*, email: str = "asha@example.com", name: str = "Asha Rao", password: str = PASSWORD, **fields) -> User:
    return User.objects.create_user(email=email, password=password, name=name, phone="9876543210", **fields)
