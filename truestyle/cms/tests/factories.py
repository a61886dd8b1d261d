"""Content for tests: items written straight to the database, and a small real image upload."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from truestyle.cms.models import ContentPage, Faq, HeroBanner, HowItWorksStep, PromoCard, Testimonial


def png_upload(name: str = "banner.png", colour: str = "teal", size=(64, 32)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def banner_create(headline: str = "Monsoon sale", *, position: int = 0, is_published: bool = True, **fields):
    return HeroBanner.objects.create(headline=headline, position=position, is_published=is_published, **fields)


def testimonial_create(name: str = "Meera", *, position: int = 0, is_published: bool = True, **fields):
    fields.setdefault("quote", "The kurta fits perfectly.")
    return Testimonial.objects.create(name=name, position=position, is_published=is_published, **fields)


def card_create(title: str = "Festive edit", *, position: int = 0, is_published: bool = True, **fields):
    return PromoCard.objects.create(title=title, position=position, is_published=is_published, **fields)


def step_create(title: str = "Pick your size", *, position: int = 0, is_published: bool = True, **fields):
    fields.setdefault("text", "Every piece has a size chart.")
    return HowItWorksStep.objects.create(title=title, position=position, is_published=is_published, **fields)


def faq_create(question: str = "How long is delivery?", *, group: str = "Delivery", position: int = 0,
               is_published: bool = True, **fields):
    fields.setdefault("answer", "Three to five days.")
    return Faq.objects.create(question=question, group=group, position=position, is_published=is_published, **fields)


def page_create(slug: str = "about", *, title: str = "About us", body: str = "We make clothes.\n\nThat fit.",
                is_published: bool = True):
    return ContentPage.objects.create(slug=slug, title=title, body=body, is_published=is_published)
