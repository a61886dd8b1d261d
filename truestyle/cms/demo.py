"""Demo store content and coupons for the local run: loaded once, through the same services staff use."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from truestyle.cms.models import ContentPage, Faq, HeroBanner, HowItWorksStep, PromoCard, StoreDetails, Testimonial
from truestyle.cms.services import content_save, store_details_save

BANNERS = [
    ("Festive edit: kurtas, sarees and more", "Colours for every celebration, in every size.", "Shop festive",
     "/shop/occasion/festive/", (178, 52, 92)),
    ("Linen season", "Breathable shirts and trousers for warm days.", "Shop linen", "/shop/?q=linen", (46, 94, 120)),
]
STEPS = [("Find your fit", "Every piece has a size chart, and reviews say how it runs.", "ruler"),
         ("Order your way", "Pay by UPI, card or cash on delivery.", "bag"),
         ("Fast delivery", "Free standard shipping on orders of ₹999 or more.", "truck"),
         ("Easy returns", "Return or exchange for another size within the window.", "return")]
TESTIMONIALS = [("Ananya", "Pune", "The size chart was spot on, and the exchange for a bigger size took two days.", 5),
                ("Rahul", "Bengaluru", "Linen shirts that actually fit. Delivery was quick.", 5),
                ("Fatima", "Hyderabad", "Loved the festive kurta; the colour is exactly as in the photos.", 4)]
CARDS = [("primary", "New arrivals", "Fresh styles every week.", "/shop/?sort=newest"),
         ("primary", "Under ₹999", "Everyday favourites at easy prices.", "/shop/?price=500-999"),
         ("secondary", "Workwear", "Shirts and trousers for the office.", "/shop/occasion/work/"),
         ("secondary", "Weekend", "Easy fits for days off.", "/shop/occasion/casual/")]
FAQS = [("Orders", "Can I change my order after placing it?",
         "You can cancel an order until it is shipped, from the order's page, and place a new one."),
        ("Orders", "Which payment methods do you accept?",
         "UPI, cards, and cash on delivery for serviceable PIN codes on orders below ₹10,000."),
        ("Returns", "How do I exchange for another size?",
         "Open the order, choose the item and ask for an exchange: the new size is held for you at once."),
        ("Returns", "When do I get my refund?",
         "Once the item reaches us and is checked, the refund goes to your original payment method.")]
PAGES = [(ContentPage.ABOUT, "About TrueStyle",
          "TrueStyle started with one idea: clothes that fit.\n\nWe show a size chart for every piece and ask every "
          "buyer how it fits, so the next person chooses the right size the first time."),
         (ContentPage.SHIPPING, "Shipping policy",
          "Standard shipping costs ₹79 and is free on orders of ₹999 or more. Express shipping costs ₹149.\n\n"
          "Orders ship within two working days; you get a tracking number by email."),
         (ContentPage.RETURNS, "Returns policy",
          "Most items can be returned or exchanged within 30 days of delivery. Innerwear cannot be returned.\n\n"
          "Refunds go to the original payment; cash-on-delivery orders are refunded by bank transfer or store "
          "credit."),
         (ContentPage.PRIVACY, "Privacy policy",
          "We keep what we need to deliver your orders and never sell your data."),
         (ContentPage.TERMS, "Terms and conditions",
          "Prices include GST. An order is a contract once it is confirmed.")]
COUPONS = [{"code": "WELCOME10", "description": "10% off a first order", "kind": "percent", "value": Decimal("10"),
            "max_discount": Decimal("300"), "min_order_value": Decimal("999"), "per_customer_limit": 1},
           {"code": "FLAT200", "description": "₹200 off orders of ₹1,999", "kind": "flat", "value": Decimal("200"),
            "min_order_value": Decimal("1999"), "usage_limit": 500}]


def _banner_image(title: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 420), colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, 1200, 40):  # a soft diagonal weave, so the banner is not a flat block
        draw.line([(step, 0), (step - 300, 420)], fill=tuple(min(255, c + 18) for c in colour), width=12)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{title[:20].lower().replace(' ', '-')}.jpg", buffer.getvalue(),
                              content_type="image/jpeg")


def demo_content_load(*, actor) -> bool:
    """Load the demo content and coupons unless the store already has details; returns whether it loaded."""
    if StoreDetails.objects.exists():
        return False
    from truestyle.promotions.models import Coupon
    from truestyle.promotions.services import coupon_save

    for headline, sub, label, url, colour in BANNERS:
        content_save(actor=actor, model=HeroBanner, upload=_banner_image(headline, colour),
                     data={"headline": headline, "subheadline": sub, "cta_label": label, "cta_url": url,
                           "is_published": True})
    for title, text, icon in STEPS:
        content_save(actor=actor, model=HowItWorksStep, data={"title": title, "text": text, "icon": icon,
                                                               "is_published": True})
    for name, location, quote, rating in TESTIMONIALS:
        content_save(actor=actor, model=Testimonial, data={"name": name, "location": location, "quote": quote,
                                                            "rating": rating, "is_published": True})
    for card_set, title, text, link in CARDS:
        content_save(actor=actor, model=PromoCard, data={"card_set": card_set, "title": title, "text": text,
                                                          "link": link, "is_published": True})
    for group, question, answer in FAQS:
        content_save(actor=actor, model=Faq, data={"group": group, "question": question, "answer": answer,
                                                    "is_published": True})
    for slug, title, body in PAGES:
        content_save(actor=actor, model=ContentPage, data={"slug": slug, "title": title, "body": body,
                                                            "is_published": True})
    for data in COUPONS:
        if not Coupon.objects.filter(code=data["code"]).exists():
            coupon_save(actor=actor, data={**data, "is_active": True})
    store_details_save(actor=actor, data={
        "name": "TrueStyle", "address": "12 MG Road, Bengaluru, Karnataka 560001", "phone": "+91 80 4000 1234",
        "email": "care@truestyle.example", "hours": "Mon–Sat, 10:00–19:00",
        "instagram_url": "https://instagram.com/truestyle"})
    return True
