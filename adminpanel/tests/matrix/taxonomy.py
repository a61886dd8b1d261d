"""Role-matrix inputs of the staff taxonomy pages: URL names, a valid POST body, URL argument factories.

Every taxonomy page answers GET (forms and delete confirmations post back to themselves), so the
matrix only opens them; the factories make one unused item of each kind.
"""

from truestyle.catalog.models import Brand, Category, Occasion
from truestyle.catalog.tests.factories import product_type_create

KINDS = {"brand": "brands", "category": "categories", "occasion": "occasions", "product-type": "product-types"}
NAMES = {"taxonomy"} | {f"taxonomy-{plural}" for plural in KINDS.values()} | {
    f"taxonomy-{kind}-{action}" for kind in KINDS for action in ("create", "edit", "delete")}
POST_DATA: dict = {}
ARGUMENTS = {
    "brand_id": lambda: str(Brand.objects.create(name="Matrix Brand", slug="matrix-brand").pk),
    "category_id": lambda: str(Category.objects.create(name="Matrix", slug="matrix", path="matrix").pk),
    "occasion_id": lambda: str(Occasion.objects.create(name="Matrix Occasion", slug="matrix-occasion").pk),
    "product_type_id": lambda: str(product_type_create(name="Matrix").pk),
}
