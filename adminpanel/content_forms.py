"""Forms of the staff content pages, and the registry the generic content views are driven by.

A content type is declared once in CONTENT_TYPES: its URL slug, labels, model, form and the
columns of its list. The forms check input shape only; images go through the store's image
validator here and are normalised and stored by truestyle.cms.services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.validators import URLValidator

from truestyle.cms.models import ContentPage, Faq, HeroBanner, HowItWorksStep, PromoCard, StoreDetails, Testimonial
from truestyle.core.images import StoreImageFormField

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def validate_link(value: str) -> None:
    """A link is a path on this store ("/shop/") or a full http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"], message="Enter a path starting with / or a full https:// address.")(value)


class _LocalDateTime(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format=DATETIME_LOCAL)


class ContentForm(forms.ModelForm):
    """A content item's fields, `is_published`, and an optional image upload for the model's image field."""

    image_upload = StoreImageFormField(label="Image", required=False, help_text="JPEG, PNG or WebP.")
    image_required = False
    link_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self._meta.model.IMAGE_FIELD:
            del self.fields["image_upload"]
        for name in self.link_fields:
            self.fields[name].validators.append(validate_link)

    def clean(self):
        cleaned = super().clean()
        image_field = self._meta.model.IMAGE_FIELD
        if (self.image_required and image_field and not cleaned.get("image_upload")
                and not getattr(self.instance, image_field, "") and "image_upload" not in self.errors):
            self.add_error("image_upload", "Choose an image.")
        return cleaned

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "image_upload"}


class HeroBannerForm(ContentForm):
    image_required = True
    link_fields = ("cta_url",)

    class Meta:
        model = HeroBanner
        fields = ["headline", "subheadline", "cta_label", "cta_url", "active_from", "active_until", "is_published"]
        field_classes = {"active_from": forms.DateTimeField, "active_until": forms.DateTimeField}
        widgets = {"active_from": _LocalDateTime(), "active_until": _LocalDateTime()}
        help_texts = {"active_from": "Empty means now (store time, Asia/Kolkata).",
                      "active_until": "Empty means no end.", "cta_url": "A path like /shop/ or a full address."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("active_from", "active_until"):
            self.fields[name].input_formats = [DATETIME_LOCAL]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("active_from"), cleaned.get("active_until")
        if start and end and end <= start:
            self.add_error("active_until", "The end must be after the start.")
        if cleaned.get("cta_label") and not cleaned.get("cta_url") and "cta_url" not in self.errors:
            self.add_error("cta_url", "A button needs a link.")
        return cleaned


class TestimonialForm(ContentForm):
    class Meta:
        model = Testimonial
        fields = ["name", "location", "quote", "rating", "is_published"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 4}),
                   "rating": forms.Select(choices=[(n, f"{n} / 5") for n in range(5, 0, -1)])}


class PromoCardForm(ContentForm):
    link_fields = ("link",)

    class Meta:
        model = PromoCard
        fields = ["card_set", "title", "text", "link", "is_published"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class HowItWorksStepForm(ContentForm):
    class Meta:
        model = HowItWorksStep
        fields = ["title", "text", "icon", "is_published"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class FaqForm(ContentForm):
    class Meta:
        model = Faq
        fields = ["group", "question", "answer", "is_published"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}


class ContentPageForm(ContentForm):
    class Meta:
        model = ContentPage
        fields = ["slug", "title", "body", "is_published"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}


class StoreDetailsForm(forms.ModelForm):
    class Meta:
        model = StoreDetails
        fields = ["name", "address", "phone", "email", "hours", *StoreDetails.SOCIAL_FIELDS]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"hours": "For example: Mon–Sat, 10:00–19:00 IST"}

    def clean(self):
        cleaned = super().clean()
        for name in StoreDetails.SOCIAL_FIELDS:
            if cleaned.get(name) and not cleaned[name].startswith("https://"):
                self.add_error(name, "Use an https:// address.")
        return cleaned


@dataclass(frozen=True)
class ContentType:
    slug: str
    label: str
    singular: str
    model: type
    form: type[ContentForm]
    columns: tuple[tuple[str, str], ...]  # (attribute, heading); the first one links to the edit page


CONTENT_TYPES = {content_type.slug: content_type for content_type in (
    ContentType("hero-banners", "Hero banners", "hero banner", HeroBanner, HeroBannerForm,
                (("headline", "Headline"), ("cta_label", "Button"), ("active_from", "From"),
                 ("active_until", "Until"))),
    ContentType("promo-cards", "Promo cards", "promo card", PromoCard, PromoCardForm,
                (("title", "Title"), ("get_card_set_display", "Set"), ("link", "Link"))),
    ContentType("how-it-works", "How it works", "step", HowItWorksStep, HowItWorksStepForm,
                (("title", "Title"), ("get_icon_display", "Icon"))),
    ContentType("testimonials", "Testimonials", "testimonial", Testimonial, TestimonialForm,
                (("name", "Name"), ("location", "Location"), ("rating", "Rating"))),
    ContentType("faqs", "FAQs", "FAQ", Faq, FaqForm, (("question", "Question"), ("group", "Group"))),
    ContentType("pages", "Pages", "page", ContentPage, ContentPageForm,
                (("title", "Title"), ("get_slug_display", "Page"))),
)}
