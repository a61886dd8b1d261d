"""Test data for the catalogue."""

from decimal import Decimal

from truestyle.catalog.models import Brand, Category, Colourway, Occasion, Product, ProductType, Variant

SIZES = ["XS", "S", "M", "L", "XL"]


def product_type_create(*, name: str = "Shirt", sizes: list[str] | None = None) -> ProductType:
    sizes = sizes or SIZES
    return ProductType.objects.create(name=name, slug=name.lower(), sizes=sizes, size_chart={
        "unit": "cm", "sizes": sizes, "how_to_measure": "Measure across the chest.",
        "measurements": [{"name": "Chest", "values": {s: 86.0 + 5 * i for i, s in enumerate(sizes)}}]})


def product_create(*, name: str = "Oxford Shirt", brand: str = "Loom", category: str = "Shirts", price: str = "1499.00",
                   mrp: str = "1999.00", product_type: ProductType | None = None, tags=None, **fields) -> Product:
    brand_obj, _ = Brand.objects.get_or_create(name=brand, defaults={"slug": brand.lower()})
    category_obj, _ = Category.objects.get_or_create(path=category.lower(), defaults={"name": category, "slug": category.lower()})
    product_type = product_type or ProductType.objects.filter(slug="shirt").first() or product_type_create()
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    return Product.objects.create(name=name, slug=slug, brand=brand_obj, category=category_obj,
                                  product_type=product_type, price=Decimal(price), mrp=Decimal(mrp),
                                  tags=tags or [], **fields)


def variant_create(*, product: Product, colour: str = "Indigo", hex: str = "#2E3A87", size: str = "M",
                   stock: int = 0, sku: str | None = None) -> Variant:
    colourway, _ = Colourway.objects.get_or_create(product=product, slug=colour.lower(), defaults={"name": colour, "hex": hex})
    variant = Variant.objects.create(product=product, colourway=colourway, size=size,
                                     sku=sku or f"{product.slug[:8].upper()}-{colour[:3].upper()}-{size}")
    if stock:
        from truestyle.catalog.services import stock_adjust

        stock_adjust(variant_id=variant.pk, delta=stock, reason="restock")
        variant.refresh_from_db()
    return variant


def occasion_create(name: str = "Office") -> Occasion:
    return Occasion.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0]
