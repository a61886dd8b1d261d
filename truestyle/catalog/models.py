"""The catalogue: brands, categories, occasions, product types, products, colourways and variants.

Stock is kept per variant (one size of one colourway), never per product, and
changes only through `services.stock_adjust`, which writes a ledger row in the
same transaction: a variant's stock always equals the sum of its ledger.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django_mongodb_backend.fields import ArrayField

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")


class Brand(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "brands"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A node of the category tree; `path` (slugs joined by "/") finds a subtree with one prefix query."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=400, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "categories"
        ordering = ["path"]

    def __str__(self):
        return self.name


class Occasion(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "occasions"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ProductType(models.Model):
    """A kind of garment with its size chart, kept as data.

    size_chart = {"unit": "cm", "sizes": ["S", "M"], "measurements": [{"name": "Chest", "values": {"S": 96, "M": 101}}],
                  "how_to_measure": "…"}
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    sizes = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    size_chart = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "product_types"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    material = models.CharField(max_length=200, blank=True)
    care = models.CharField(max_length=300, blank=True)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="products")
    occasions = models.ManyToManyField(Occasion, blank=True, related_name="products")
    mrp = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(max_length=3, default="INR")
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    is_active = models.BooleanField(default=True)
    is_featured = models.BooleanField(default=False)
    # Filled by orders and reviews; kept here so listings sort without joins.
    popularity = models.PositiveIntegerField(default=0)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0"))
    rating_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "products"
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def discount_percent(self) -> int:
        return discount_percent(price=self.price, mrp=self.mrp)


def discount_percent(*, price: Decimal, mrp: Decimal) -> int:
    """Whole percent off the MRP, rounded down (0 when there is no MRP or no saving)."""
    if mrp <= 0 or price >= mrp:
        return 0
    return int(((mrp - price) * 100 / mrp).to_integral_value(rounding="ROUND_FLOOR"))


class Colourway(models.Model):
    """One colour of a product: the storefront shows one card per colourway."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="colourways")
    name = models.CharField(max_length=60)
    hex = models.CharField(max_length=7, validators=[HEX_COLOUR])
    slug = models.SlugField(max_length=80)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "colourways"
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["product", "slug"], name="colourway_unique_per_product")]

    def __str__(self):
        return f"{self.product.name} — {self.name}"


class Variant(models.Model):
    """One size of one colourway: the unit that is stocked, sold and returned."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    colourway = models.ForeignKey(Colourway, on_delete=models.CASCADE, related_name="variants")
    size = models.CharField(max_length=10)
    sku = models.CharField(max_length=40, unique=True)
    # Changed only by services.stock_adjust (conditional update + ledger row).
    stock = models.IntegerField(default=0, validators=[MinValueValidator(0)])
    low_stock_threshold = models.PositiveIntegerField(default=3)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "variants"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["colourway", "size"], name="variant_unique_size_per_colourway")]

    def __str__(self):
        return self.sku


class StockMovement(models.Model):
    class Reason(models.TextChoices):
        RESTOCK = "restock", "Restock"
        SALE = "sale", "Sale"
        RETURN = "return", "Return"
        DAMAGE = "damage", "Damage"
        CORRECTION = "correction", "Correction"

    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="movements")
    delta = models.IntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    reference = models.CharField(max_length=64, blank=True, help_text="Order or return number, import id…")
    actor_id = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "stock_ledger"
        ordering = ["-created_at"]


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    colourway = models.ForeignKey(Colourway, null=True, blank=True, on_delete=models.SET_NULL, related_name="images")
    # GridFS names (see truestyle.core.storage); the thumbnail is made in the background.
    image = models.CharField(max_length=100)
    thumbnail = models.CharField(max_length=100, blank=True)
    alt_text = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "product_images"
        ordering = ["position"]


class BackInStockRequest(models.Model):
    """Someone waiting for a sold-out size; emailed once when it is restocked."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="waitlist")
    email = models.EmailField()
    user_id = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "back_in_stock_requests"
        constraints = [models.UniqueConstraint(fields=["variant", "email"], name="waitlist_once_per_email")]


class SizeProfile(models.Model):
    """The sizes a shopper wears, per product type, for the "in my size" filter."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="size_profile")
    sizes = models.JSONField(default=dict, help_text='{"product-type-slug": "M"}')

    class Meta:
        db_table = "size_profiles"


class CatalogImport(models.Model):
    """One CSV import of products and variants, run by a Celery task (services/csv_transfer.py).

    The task writes its progress here as it goes, so the staff page can poll it; the file itself
    stays in GridFS (`file`). `report` is the validation report: [{"row", "column", "message"}].
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        VALIDATING = "validating", "Checking every row"
        IMPORTING = "importing", "Importing"
        INVALID = "invalid", "Refused: nothing was imported"
        DONE = "done", "Imported"
        FAILED = "failed", "Stopped by an error"

    # The allowed moves, declared once; csv_transfer._status_move performs every one of them.
    TRANSITIONS = {
        Status.PENDING: {Status.VALIDATING, Status.FAILED},
        Status.VALIDATING: {Status.IMPORTING, Status.INVALID, Status.FAILED},
        Status.IMPORTING: {Status.DONE, Status.FAILED},
        Status.INVALID: set(),
        Status.DONE: set(),
        Status.FAILED: set(),
    }
    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)

    actor_id = models.CharField(max_length=24, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    # Shown to staff only, to tell their uploads apart; the stored name is GridFS's own.
    filename = models.CharField(max_length=100, blank=True)
    file = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    # Rows handled in the current phase (checking, then importing): the progress bar's numerator.
    processed_rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    products_created = models.PositiveIntegerField(default=0)
    products_updated = models.PositiveIntegerField(default=0)
    variants_created = models.PositiveIntegerField(default=0)
    variants_updated = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "catalog_imports"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import {self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def progress_percent(self) -> int:
        """Checking every row is the first half of the bar, importing the second; a finished job is 100."""
        if not self.is_running:
            return 100
        if self.status == self.Status.PENDING or not self.total_rows:
            return 0
        share = min(self.processed_rows, self.total_rows) * 50 // self.total_rows
        return share if self.status == self.Status.VALIDATING else 50 + share
