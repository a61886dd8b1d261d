"""A demo catalogue for `make run`: brands, a category tree, occasions, product types with size charts,
and products in several colourways with generated images and varied stock.

Deterministic (a fixed random seed), so every machine shows the same store.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageDraw

from truestyle.catalog.models import (
    Brand,
    Category,
    Colourway,
    Occasion,
    Product,
    ProductImage,
    ProductType,
    StockMovement,
    Variant,
)
from truestyle.core.transactions import mongo_atomic

BRANDS = ["Loom & Lane", "Weave Studio", "Indigo Thread", "Kora", "Mira", "Northpeak"]
OCCASIONS = ["Casual", "Office", "Party", "Wedding", "Festive", "Travel"]
CATEGORY_TREE = {
    "Men": ["Shirts", "T-shirts", "Jeans", "Kurtas", "Jackets"],
    "Women": ["Dresses", "Tops", "Kurtas", "Sarees", "Jeans"],
}
COLOURS = [("Indigo", "#2E3A87"), ("White", "#F5F5F0"), ("Black", "#1C1C1C"), ("Sage", "#8FA98A"),
           ("Maroon", "#7A1F2B"), ("Mustard", "#D4A017"), ("Sky", "#7FB2E5"), ("Blush", "#E8B4B8")]
TYPES = {
    "Top": (["XS", "S", "M", "L", "XL", "XXL"], [("Chest", 84, 5), ("Length", 66, 2)],
            "Chest: measure around the fullest part, under the arms. Length: from the shoulder to the hem."),
    "Bottom": (["28", "30", "32", "34", "36", "38"], [("Waist", 71, 5), ("Inseam", 76, 1)],
               "Waist: measure around your natural waistline. Inseam: from the crotch to the ankle."),
    "Saree": (["Free size"], [("Length", 550, 0)], "One size: 5.5 m with a 0.8 m blouse piece."),
}
LEAF_TYPES = {"Jeans": "Bottom", "Sarees": "Saree"}
STYLES = {
    "Shirts": ["Oxford Shirt", "Linen Shirt", "Poplin Shirt", "Chambray Shirt"],
    "T-shirts": ["Crew Tee", "Pocket Tee", "Polo", "Henley"],
    "Jeans": ["Slim Jeans", "Straight Jeans", "Relaxed Jeans"],
    "Kurtas": ["Cotton Kurta", "Silk Kurta", "Block-print Kurta"],
    "Jackets": ["Denim Jacket", "Bomber Jacket", "Nehru Jacket"],
    "Dresses": ["Wrap Dress", "Shirt Dress", "Maxi Dress", "Midi Dress"],
    "Tops": ["Peplum Top", "Tunic Top", "Crop Top"],
    "Sarees": ["Chanderi Saree", "Cotton Saree", "Banarasi Saree"],
}
MATERIALS = ["100% cotton", "Linen blend", "Organic cotton", "Viscose", "Cotton-silk", "Stretch denim"]


def _image_bytes(*, label: str, hex_colour: str, size=(600, 800)) -> bytes:
    """A simple garment illustration in the colourway's colour (JPEG)."""
    image = Image.new("RGB", size, "#F4F1EC")
    draw = ImageDraw.Draw(image)
    w, h = size
    colour = hex_colour
    draw.polygon([(w * .3, h * .18), (w * .7, h * .18), (w * .9, h * .32), (w * .8, h * .42), (w * .72, h * .36),
                  (w * .72, h * .85), (w * .28, h * .85), (w * .28, h * .36), (w * .2, h * .42), (w * .1, h * .32)],
                 fill=colour, outline="#33302b")
    draw.ellipse([w * .43, h * .15, w * .57, h * .23], fill="#F4F1EC", outline="#33302b")
    draw.text((w * .08, h * .9), label[:40], fill="#33302b")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def _store_image(data: bytes, stem: str) -> str:
    return default_storage.save(f"{stem}.jpg", ContentFile(data, name=f"{stem}.jpg"))


def _taxonomy() -> tuple[list[Brand], list[Occasion], dict[str, ProductType], list[Category]]:
    """The demo brands, occasions, product types and category leaves, made where missing (by slug)."""
    brands = [Brand.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in BRANDS]
    occasions = [Occasion.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": i})[0]
                 for i, name in enumerate(OCCASIONS)]
    types = {}
    for name, (sizes, measurements, how) in TYPES.items():
        chart = {"unit": "cm", "sizes": sizes, "how_to_measure": how,
                 "measurements": [{"name": m, "values": {s: float(base + step * i) for i, s in enumerate(sizes)}}
                                  for m, base, step in measurements]}
        types[name] = ProductType.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "sizes": sizes, "size_chart": chart})[0]
    leaves = []
    for position, (root_name, children) in enumerate(CATEGORY_TREE.items()):
        root = Category.objects.get_or_create(
            path=slugify(root_name), defaults={"name": root_name, "slug": slugify(root_name), "position": position})[0]
        for child_position, child in enumerate(children):
            leaves.append(Category.objects.get_or_create(
                path=f"{root.path}/{slugify(child)}",
                defaults={"name": child, "slug": slugify(child), "parent": root, "depth": 1,
                          "position": child_position})[0])
    return brands, occasions, types, leaves


def demo_catalogue_load(*, products: int = 64, seed: int = 20261125, with_images: bool = True,
                        progress: Callable[[int, int], None] | None = None) -> int:
    """Create the demo products that do not exist yet; returns how many it made.

    Each product is written in one transaction, so an interrupted first `make run`
    resumes where it stopped instead of leaving a half catalogue. The random
    choices are drawn for every product, made or skipped, so every machine gets
    the same store.
    """
    rng = random.Random(seed)
    brands, occasions, types, leaves = _taxonomy()
    existing = set(Product.objects.values_list("slug", flat=True))
    made = 0
    for index in range(products):
        category = leaves[index % len(leaves)]
        style = rng.choice(STYLES[category.name])
        brand = rng.choice(brands)
        product_type = types[LEAF_TYPES.get(category.name, "Top")]
        mrp = Decimal(rng.choice([799, 999, 1299, 1499, 1999, 2499, 2999, 3999, 4999]))
        price = (mrp * Decimal(rng.choice([1, 1, 0.9, 0.8, 0.7, 0.6]))).quantize(Decimal("1")) - Decimal("0.01") \
            if mrp > 799 else mrp
        name = f"{brand.name.split()[0]} {style}"
        plan = {
            "index": index, "name": name, "slug": f"{slugify(name)}-{index + 1}", "brand": brand,
            "category": category, "product_type": product_type, "style": style, "mrp": mrp, "price": price,
            "material": rng.choice(MATERIALS), "tag": rng.choice(["summer", "classic", "new"]),
            "popularity": rng.randint(0, 500), "occasions": rng.sample(occasions, k=rng.randint(1, 3)),
            "colours": [(colour, hex_colour, [rng.choice([0, 0, 2, 5, 8, 12, 20]) for _ in product_type.sizes])
                        for colour, hex_colour in rng.sample(COLOURS, k=rng.randint(1, 3))],
        }
        if plan["slug"] in existing:
            continue
        # GridFS refuses to write inside a transaction: the images go first.
        images = [_store_image(_image_bytes(label=f"{name} · {colour}", hex_colour=hex_colour),
                               f"demo-{index + 1}-{slugify(colour)}") if with_images else None
                  for colour, hex_colour, _ in plan["colours"]]
        mongo_atomic(_product_create, plan, images)
        made += 1
        if progress is not None:
            progress(index + 1, products)
    from truestyle.catalog.cache import catalog_cache_bump

    catalog_cache_bump()
    return made


def _product_create(plan: dict, images: list[str | None]) -> Product:
    name, style, category, index = plan["name"], plan["style"], plan["category"], plan["index"]
    product = Product.objects.create(
        name=name, slug=plan["slug"], brand=plan["brand"], category=category, product_type=plan["product_type"],
        description=f"A {style.lower()} from {plan['brand'].name}, cut for an easy, true-to-size fit.",
        material=plan["material"], care="Machine wash cold, dry in shade.", mrp=plan["mrp"], price=plan["price"],
        tags=sorted({style.split()[-1].lower(), category.name.lower(), plan["tag"]}),
        is_featured=index % 7 == 0, popularity=plan["popularity"],
    )
    product.occasions.set(plan["occasions"])
    for c_position, ((colour, hex_colour, stocks), stored) in enumerate(zip(plan["colours"], images, strict=True)):
        colourway = Colourway.objects.create(product=product, name=colour, slug=slugify(colour), hex=hex_colour,
                                             position=c_position)
        variants = [Variant(product=product, colourway=colourway, size=size, position=s_position,
                            sku=f"TS{index + 1:04d}-{colour[:3].upper()}-{slugify(size).upper()}"[:40], stock=stock)
                    for s_position, (size, stock) in enumerate(zip(plan["product_type"].sizes, stocks, strict=True))]
        Variant.objects.bulk_create(variants)
        StockMovement.objects.bulk_create([StockMovement(variant=v, delta=v.stock, reason="restock",
                                                         note="demo catalogue") for v in variants if v.stock])
        if stored is not None:
            ProductImage.objects.create(product=product, colourway=colourway, image=stored, thumbnail="",
                                        alt_text=f"{name} in {colour.lower()}", position=c_position,
                                        width=600, height=800)
    return product
