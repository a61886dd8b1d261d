"""The demo content: loaded once through the staff services, published, with working coupons."""

from decimal import Decimal

from truestyle.accounts.tests.factories import user_create
from truestyle.cms.demo import demo_content_load
from truestyle.cms import models as cms
from truestyle.promotions.models import Coupon


def test_the_demo_content_loads_once_and_is_published(db, client):
    admin = user_create(email="admin@example.com")

    assert demo_content_load(actor=admin) is True
    assert demo_content_load(actor=admin) is False

    counts = [model.objects.filter(is_published=True).count()
              for model in (cms.HeroBanner, cms.HowItWorksStep, cms.Testimonial, cms.PromoCard, cms.Faq,
                            cms.ContentPage)]
    assert counts == [2, 4, 3, 4, 4, 5]
    assert all(banner.image for banner in cms.HeroBanner.objects.all())
    assert cms.StoreDetails.objects.get().email == "care@truestyle.example"
    assert sorted(Coupon.objects.values_list("code", "value", "is_active")) == [
        ("FLAT200", Decimal("200.00"), True), ("WELCOME10", Decimal("10.00"), True)]
    home = client.get("/").content.decode()
    assert "Festive edit: kurtas, sarees and more" in home
    assert client.get("/faqs/").status_code == 200
