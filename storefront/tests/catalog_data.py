"""A small storefront catalogue for the view and browser tests, with real images in GridFS."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from truestyle.catalog.models import Category, ProductImage
from truestyle.catalog.tests.factories import occasion_create, product_create, variant_create


def stored_image(name: str, hex_colour: str) -> str:
    """A small JPEG in the colour, saved through default_storage (GridFS); returns the stored name."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), hex_colour).save(buffer, "JPEG")
    return default_storage.save(f"{name}.jpg", ContentFile(buffer.getvalue(), name=f"{name}.jpg"))


def catalogue_create() -> dict:
    """Oxford Shirt (Loom, men/shirts, office): Indigo M in stock, L sold out; White S in stock, M sold out.
    Linen Kurta (Weave, men/kurtas, party): Sage L in stock. Graphic Tee (Loom, women/tees): Black M sold out."""
    now = timezone.now()
    men = Category.objects.create(name="Men", slug="men", path="men")
    Category.objects.create(name="Shirts", slug="shirts", parent=men, path="men/shirts", depth=1)
    Category.objects.create(name="Kurtas", slug="kurtas", parent=men, path="men/kurtas", depth=1)
    women = Category.objects.create(name="Women", slug="women", path="women", position=1)
    Category.objects.create(name="Tees", slug="tees", parent=women, path="women/tees", depth=1)
    office, party = occasion_create("Office"), occasion_create("Party")

    oxford = product_create(name="Oxford Shirt", brand="Loom", category="men/shirts", price="1499.00", mrp="1999.00",
                            created_at=now - timedelta(days=3), tags=["cotton"], is_featured=True,
                            description="A crisp oxford.", material="100% cotton", care="Machine wash cold.")
    oxford.occasions.set([office])
    indigo_m = variant_create(product=oxford, colour="Indigo", hex="#2E3A87", size="M", stock=4)
    indigo_l = variant_create(product=oxford, colour="Indigo", hex="#2E3A87", size="L", stock=0)
    white_s = variant_create(product=oxford, colour="White", hex="#FFFFFF", size="S", stock=2)
    white_m = variant_create(product=oxford, colour="White", hex="#FFFFFF", size="M", stock=0)
    images = {}
    for position, (variant, hex_colour) in enumerate([(indigo_m, "#2E3A87"), (white_s, "#FFFFFF")]):
        name = stored_image(f"oxford-{variant.colourway.slug}", hex_colour)
        ProductImage.objects.create(product=oxford, colourway=variant.colourway, image=name, position=position,
                                    alt_text=f"Oxford Shirt in {variant.colourway.name.lower()}", width=60, height=80)
        images[variant.colourway.slug] = name

    linen = product_create(name="Linen Kurta", brand="Weave", category="men/kurtas", price="2499.00", mrp="2999.00",
                           created_at=now - timedelta(days=1))
    linen.occasions.set([party])
    variant_create(product=linen, colour="Sage", hex="#9CAF88", size="L", stock=1)

    tee = product_create(name="Graphic Tee", brand="Loom", category="women/tees", price="799.00", mrp="799.00",
                         created_at=now - timedelta(days=2))
    variant_create(product=tee, colour="Black", hex="#111111", size="M", stock=0)
    return {"oxford": oxford, "linen": linen, "tee": tee, "images": images, "indigo_m": indigo_m,
            "indigo_l": indigo_l, "white_s": white_s, "white_m": white_m}
