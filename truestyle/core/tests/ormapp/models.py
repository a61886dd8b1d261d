"""A miniature catalogue that exercises every ORM feature the store relies on (ARCHITECTURE.md fact 11)."""

from django.db import models
from django_mongodb_backend.fields import ArrayField, EmbeddedModelField
from django_mongodb_backend.models import EmbeddedModel


class Brand(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        db_table = "orm_brand"


class Category(models.Model):
    name = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        db_table = "orm_category"


class Measurements(EmbeddedModel):
    chest_cm = models.DecimalField(max_digits=6, decimal_places=1, null=True)
    length_cm = models.DecimalField(max_digits=6, decimal_places=1, null=True)


class Product(models.Model):
    name = models.CharField(max_length=200)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    price = models.DecimalField(max_digits=10, decimal_places=2)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    measurements = EmbeddedModelField(Measurements, null=True, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "orm_product"


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=40, unique=True)
    size = models.CharField(max_length=10)
    stock = models.IntegerField(default=0)

    class Meta:
        db_table = "orm_variant"
        constraints = [models.UniqueConstraint(fields=["product", "size"], name="orm_variant_one_per_size")]


class Sale(models.Model):
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="sales")
    quantity = models.IntegerField()
    buyer = models.CharField(max_length=40)

    class Meta:
        db_table = "orm_sale"


class CrossDatabaseProbe(models.Model):
    """A MongoDB model that names a PostgreSQL row: the router must refuse the relation."""

    contact = models.ForeignKey("contact.ContactMessage", null=True, on_delete=models.DO_NOTHING, db_constraint=False)

    class Meta:
        db_table = "orm_cross_database_probe"
