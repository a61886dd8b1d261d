"""The benchmark dataset: a fixed-seed catalogue, shoppers and coupons of a chosen size.

`manage.py seed_bench --size default` (the embedded MongoDB) makes 300 products × 4 colours × 5 sizes with
one GridFS image per colourway, 200 shoppers with a default address, and 50 coupons; `--size large`
makes 2,000 products for a real MongoDB. Every figure in docs/benchmarks.md names the dataset it ran on,
because writes on the embedded server grow with the collection (ARCHITECTURE.md, fact 12).

Rows go in with `bulk_create`, one transaction per batch of products: the dataset is a fixture, not a
shop's history, so it skips the per-product services (and their audit entries) the demo catalogue uses.
The stock ledger still agrees with the stock: every variant's opening stock is one restock movement.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from truestyle.accounts.models import Address, User
from truestyle.catalog.demo import COLOURS, MATERIALS, STYLES, _taxonomy
from truestyle.catalog.models import Colourway, Product, ProductImage, StockMovement, Variant
from truestyle.core.transactions import mongo_atomic
from truestyle.promotions.models import Coupon

SEED = 20261205
SHOPPER_PASSWORD = "bench-shopper-pass-1"  # a published benchmark fixture, never a real account
SHOPPER_EMAIL = "shopper{index:04d}@bench.truestyle.example"
BATCH = 5  # products per transaction: 100 variants per insert keeps each well inside the socket timeout


@dataclass(frozen=True)
class DatasetSize:
    name: str
    products: int
    colours: int
    sizes: int
    shoppers: int
    coupons: int
    images: bool = True


SIZES = {
    "default": DatasetSize("default", products=300, colours=4, sizes=5, shoppers=200, coupons=50),
    "large": DatasetSize("large", products=2000, colours=4, sizes=5, shoppers=1000, coupons=50),
    # The query-budget smoke test: one full listing page and a few shoppers.
    "smoke": DatasetSize("smoke", products=30, colours=2, sizes=3, shoppers=4, coupons=2, images=True),
}
SIZE_LABELS = ["XS", "S", "M", "L", "XL", "XXL"]


def dataset_describe(size: DatasetSize) -> str:
    return (f"{size.products:,} products × {size.colours} colours × {size.sizes} sizes "
            f"({size.products * size.colours * size.sizes:,} variants), "
            f"{'one GridFS image per colourway, ' if size.images else ''}"
            f"{size.shoppers:,} shoppers, {size.coupons} coupons (seed {SEED})")


def shopper_email(index: int) -> str:
    return SHOPPER_EMAIL.format(index=index)


def dataset_seed(*, size: DatasetSize, progress: Callable[[str], None] = lambda message: None) -> dict:
    """Write the dataset into empty collections; returns what it made. Refuses to seed twice."""
    if Product.objects.filter(slug__startswith="bench-").exists():
        raise ValueError("the benchmark dataset is already here; seed an empty database")
    rng = random.Random(SEED)
    brands, occasions, _types, leaves = _taxonomy()
    swatches = {name: _image_bytes(hex_colour) for name, hex_colour in COLOURS}
    made = {"products": 0, "variants": 0, "images": 0}
    for start in range(0, size.products, BATCH):
        plans = [_product_plan(rng, index, size, brands, occasions, leaves)
                 for index in range(start, min(start + BATCH, size.products))]
        # GridFS refuses to write inside a transaction: a batch's images go first.
        stored = {(plan["index"], colour): _image_store(swatches[colour], plan, colour) if size.images else None
                  for plan in plans for colour, _hex in plan["colours"]}
        counts = mongo_atomic(_products_create, plans, stored)
        for key, value in counts.items():
            made[key] += value
        progress(f"products {made['products']}/{size.products}")
    made["shoppers"] = _shoppers_create(size.shoppers)
    progress(f"shoppers {made['shoppers']}")
    made["coupons"] = _coupons_create(rng, size.coupons)
    from truestyle.catalog.cache import catalog_cache_bump

    catalog_cache_bump()
    return made


def _image_bytes(hex_colour: str) -> bytes:
    image = Image.new("RGB", (480, 640), "#F4F1EC")
    draw = ImageDraw.Draw(image)
    draw.rectangle([96, 120, 384, 560], fill=hex_colour, outline="#33302b")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _image_store(data: bytes, plan: dict, colour: str) -> str:
    name = f"bench-{plan['index'] + 1}-{colour.lower()}.jpg"
    return default_storage.save(name, ContentFile(data, name=name))


def _product_plan(rng: random.Random, index: int, size: DatasetSize, brands, occasions, leaves) -> dict:
    category = leaves[index % len(leaves)]
    style = rng.choice(STYLES[category.name])
    brand = rng.choice(brands)
    mrp = Decimal(rng.choice([799, 999, 1299, 1499, 1999, 2499, 2999]))
    discount = Decimal(rng.choice(["1", "1", "0.9", "0.8", "0.7"]))
    return {
        "index": index, "name": f"{brand.name.split()[0]} {style} {index + 1}", "brand": brand,
        "category": category, "style": style, "mrp": mrp, "price": (mrp * discount).quantize(Decimal("1")),
        "material": rng.choice(MATERIALS), "popularity": rng.randint(0, 1000),
        "occasions": rng.sample(occasions, k=rng.randint(1, 3)),
        "colours": rng.sample(COLOURS, k=size.colours),
        # Generous stock, so a long soak sells without running the shelves dry.
        "stocks": [[rng.randint(40, 120) for _ in range(size.sizes)] for _ in range(size.colours)],
        "sizes": SIZE_LABELS[:size.sizes],
    }


def _products_create(plans: list[dict], stored: dict) -> dict:
    from truestyle.catalog.models import ProductType

    # One product type per size count, made on first use, so the size chart matches the variants.
    sizes = plans[0]["sizes"]
    product_type, _ = ProductType.objects.get_or_create(
        slug=f"bench-top-{len(sizes)}", defaults={"name": f"Bench top ({len(sizes)} sizes)", "sizes": sizes,
                                                  "size_chart": {"unit": "cm", "sizes": sizes, "measurements": []}})
    products = Product.objects.bulk_create([
        Product(name=plan["name"], slug=f"bench-{plan['index'] + 1}", brand=plan["brand"], category=plan["category"],
                product_type=product_type, description=f"A {plan['style'].lower()} from {plan['brand'].name}.",
                material=plan["material"], care="Machine wash cold.", mrp=plan["mrp"], price=plan["price"],
                tags=[plan["category"].name.lower()], popularity=plan["popularity"],
                is_featured=plan["index"] % 9 == 0)
        for plan in plans])
    Through = Product.occasions.through
    Through.objects.bulk_create([Through(product=product, occasion=occasion)
                                 for product, plan in zip(products, plans, strict=True)
                                 for occasion in plan["occasions"]])
    colourways = Colourway.objects.bulk_create([
        Colourway(product=product, name=name, slug=name.lower(), hex=hex_colour, position=position)
        for product, plan in zip(products, plans, strict=True)
        for position, (name, hex_colour) in enumerate(plan["colours"])])
    by_product = iter(colourways)
    variants, images = [], []
    for product, plan in zip(products, plans, strict=True):
        for position, ((name, _hex), stocks) in enumerate(zip(plan["colours"], plan["stocks"], strict=True)):
            colourway = next(by_product)
            variants += [Variant(product=product, colourway=colourway, size=size_label, position=s_position,
                                 sku=f"BN{plan['index'] + 1:05d}-{name[:3].upper()}-{size_label}", stock=stock)
                         for s_position, (size_label, stock) in enumerate(zip(plan["sizes"], stocks, strict=True))]
            image = stored[(plan["index"], name)]
            if image is not None:
                images.append(ProductImage(product=product, colourway=colourway, image=image, thumbnail="",
                                           alt_text=f"{plan['name']} in {name.lower()}", position=position,
                                           width=480, height=640))
    variants = Variant.objects.bulk_create(variants)
    StockMovement.objects.bulk_create([StockMovement(variant=variant, delta=variant.stock, reason="restock",
                                                     note="benchmark dataset") for variant in variants])
    ProductImage.objects.bulk_create(images)
    return {"products": len(products), "variants": len(variants), "images": len(images)}


def _shoppers_create(count: int) -> int:
    # One hash for every shopper: hashing 200 passwords would be most of the seeding time.
    password = make_password(SHOPPER_PASSWORD)
    users = User.objects.bulk_create([User(email=shopper_email(index), name=f"Bench Shopper {index}",
                                           password=password) for index in range(count)])
    Address.objects.bulk_create([
        Address(user=user, label="Home", name=user.name, phone="9876543210", line1=f"{index + 1} MG Road",
                city="Bengaluru", state="Karnataka", pincode="560001", is_default=True)
        for index, user in enumerate(users)])
    return len(users)


def _coupons_create(rng: random.Random, count: int) -> int:
    coupons = []
    for index in range(count):
        percent = index % 2 == 0
        coupons.append(Coupon(
            code=f"BENCH{index + 1:02d}", description="Benchmark coupon",
            kind=Coupon.Kind.PERCENT if percent else Coupon.Kind.FLAT,
            value=Decimal(rng.choice([5, 10, 15])) if percent else Decimal(rng.choice([100, 150, 200])),
            max_discount=Decimal("500") if percent else None, min_order_value=Decimal("0"),
            # Every fifth coupon is scarce, so a soak meets the use limit and proves it holds.
            usage_limit=25 if index % 5 == 0 else None, is_active=True))
    return len(Coupon.objects.bulk_create(coupons))
