"""Store content that content editors write: banners, cards, steps, testimonials, FAQs, pages, store details.

Every list-like content type has a `position` (its place in the storefront's order, rewritten by
reorder) and `is_published` (only published items reach shoppers). Images are GridFS names (see
truestyle.core.storage), stored by the services after `normalize_image`, like product images.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class ContentItem(models.Model):
    position = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    # The name of the model's image field, if it has one (the services store uploads into it).
    IMAGE_FIELD = ""

    class Meta:
        abstract = True
        ordering = ["position"]


class HeroBanner(ContentItem):
    image = models.CharField(max_length=100, blank=True)
    headline = models.CharField(max_length=120)
    subheadline = models.CharField(max_length=250, blank=True)
    cta_label = models.CharField("Button label", max_length=40, blank=True)
    cta_url = models.CharField("Button link", max_length=300, blank=True)
    active_from = models.DateTimeField(null=True, blank=True)
    active_until = models.DateTimeField(null=True, blank=True)

    IMAGE_FIELD = "image"

    class Meta(ContentItem.Meta):
        db_table = "cms_hero_banners"

    def __str__(self) -> str:
        return self.headline


class Testimonial(ContentItem):
    name = models.CharField(max_length=80)
    location = models.CharField(max_length=80, blank=True)
    quote = models.TextField(max_length=600)
    rating = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1), MaxValueValidator(5)])
    photo = models.CharField(max_length=100, blank=True)

    IMAGE_FIELD = "photo"

    class Meta(ContentItem.Meta):
        db_table = "cms_testimonials"

    def __str__(self) -> str:
        return self.name


class PromoCard(ContentItem):
    PRIMARY, SECONDARY = "primary", "secondary"
    SETS = [(PRIMARY, "Primary"), (SECONDARY, "Secondary")]

    card_set = models.CharField("Set", max_length=10, choices=SETS, default=PRIMARY)
    title = models.CharField(max_length=100)
    text = models.CharField(max_length=300, blank=True)
    image = models.CharField(max_length=100, blank=True)
    link = models.CharField(max_length=300, blank=True)

    IMAGE_FIELD = "image"

    class Meta(ContentItem.Meta):
        db_table = "cms_promo_cards"

    def __str__(self) -> str:
        return self.title


class HowItWorksStep(ContentItem):
    ICONS = [("bag", "Bag"), ("ruler", "Ruler"), ("truck", "Truck"), ("return", "Return"), ("heart", "Heart"),
             ("star", "Star")]

    title = models.CharField(max_length=80)
    text = models.CharField(max_length=300)
    icon = models.CharField(max_length=20, choices=ICONS, default="bag")

    class Meta(ContentItem.Meta):
        db_table = "cms_how_it_works_steps"

    def __str__(self) -> str:
        return self.title


class Faq(ContentItem):
    group = models.CharField(max_length=80)
    question = models.CharField(max_length=250)
    answer = models.TextField(max_length=4000)

    class Meta(ContentItem.Meta):
        db_table = "cms_faqs"

    def __str__(self) -> str:
        return self.question


class ContentPage(ContentItem):
    ABOUT, SHIPPING, RETURNS, PRIVACY, TERMS = "about", "shipping-policy", "returns-policy", "privacy-policy", "terms"
    SLUGS = [(ABOUT, "About us"), (SHIPPING, "Shipping policy"), (RETURNS, "Returns policy"),
             (PRIVACY, "Privacy policy"), (TERMS, "Terms and conditions")]

    slug = models.CharField("Page", max_length=20, choices=SLUGS, unique=True)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=30000, help_text="Plain text; a blank line starts a new paragraph.")

    class Meta(ContentItem.Meta):
        db_table = "cms_content_pages"

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()]


class StoreDetails(models.Model):
    """One document: the store's name and contacts for the footer and the app."""

    name = models.CharField(max_length=80)
    address = models.TextField(max_length=400, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    hours = models.CharField(max_length=120, blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    facebook_url = models.URLField("Facebook", blank=True)
    x_url = models.URLField("X (Twitter)", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SOCIAL_FIELDS = ("instagram_url", "facebook_url", "x_url", "youtube_url")

    class Meta:
        db_table = "cms_store_details"

    def __str__(self) -> str:
        return self.name

    @property
    def social_links(self) -> list[dict]:
        return [{"name": self._meta.get_field(field).verbose_name, "url": getattr(self, field)}
                for field in self.SOCIAL_FIELDS if getattr(self, field)]
