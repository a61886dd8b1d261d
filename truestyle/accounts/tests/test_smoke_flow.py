from django.core import mail
from django.test import RequestFactory

from truestyle.accounts import services
from truestyle.accounts.models import PasswordResetCode, RefreshSession


def test_flow(db):
    user = services.user_register(email="A@Example.com", name="Asha", phone="9876543210", password="correct horse battery")
    rf = RequestFactory().post("/")
    assert services.sign_in_authenticate(request=rf, email="a@example.com", password="correct horse battery", ip="1.2.3.4") == user
    access, refresh = services.token_pair_issue(user=user, device="phone", ip="1.2.3.4")
    access2, refresh2 = services.token_refresh_rotate(refresh_token=refresh, device="phone", ip="1.2.3.4")
    assert RefreshSession.objects.count() == 2
    services.password_reset_request(email="a@example.com", ip="1.2.3.4")
    assert PasswordResetCode.objects.count() == 1
    code = mail.outbox[0].body.split("\n")[4].strip()
    services.password_reset_confirm(email="a@example.com", code=code, new_password="another long passphrase", ip="1.2.3.4")
    assert RefreshSession.objects.filter(revoked_at__isnull=True).count() == 0
    assert len(mail.outbox) == 2
