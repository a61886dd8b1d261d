"""Writes for the catalogue."""

from truestyle.catalog.services.products import product_save, variant_grid_update, variant_matrix_generate
from truestyle.catalog.services.stock import NotEnoughStock, stock_adjust, waitlist_join, waitlist_notify
from truestyle.catalog.services.taxonomy import (
    brand_save,
    category_save,
    occasion_save,
    product_type_save,
    taxonomy_delete,
)

__all__ = [
    "NotEnoughStock", "brand_save", "category_save", "occasion_save", "product_save", "product_type_save",
    "stock_adjust", "taxonomy_delete", "variant_grid_update", "variant_matrix_generate", "waitlist_join",
    "waitlist_notify",
]
