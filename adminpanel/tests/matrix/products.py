"""Role-matrix inputs of the staff product and stock pages: URL names, a valid POST body, URL argument factories.

The POST body makes every form of these pages valid: the product a factory makes has sizes S and M
and no variants or images yet, so an empty grid save and an empty image order are valid no-ops.
Field names carry their form's prefix ("matrix-", "upload-", "adjust-") so they cannot collide with
another area's fields in the shared POST body.
"""

import io

from PIL import Image

NAMES = {
    "products", "product-create", "product", "product-variants", "product-variants-generate",
    "product-variants-save", "product-images", "product-images-upload", "product-images-order",
    "product-image-delete", "stock", "stock-product", "stock-variant", "stock-adjust",
}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), "teal").save(buffer, "PNG")
    return buffer.getvalue()


class RereadableUpload:
    """A file for the test client that gives its whole content on every read.

    One POST body serves every role's request; a real file would be empty after the first.
    """

    name = "front.png"
    content_type = "image/png"
    _content = _png()

    def read(self, *args) -> bytes:
        return self._content


POST_DATA = {
    "matrix-sizes": ["S", "M"], "matrix-colour_name": ["Indigo"], "matrix-colour_hex": ["#2E3A87"],
    "upload-images": RereadableUpload(), "upload-alt_text": "Front view",
    "adjust-delta": "5", "adjust-reason": "restock", "adjust-note": "Role matrix",
}


def _product():
    from truestyle.catalog.models import ProductType
    from truestyle.catalog.tests.factories import product_create, product_type_create

    product_type = ProductType.objects.filter(slug="matrix-tee").first() or product_type_create(
        name="Matrix-Tee", sizes=["S", "M"])
    return product_create(name="Matrix Tee", slug="matrix-tee", product_type=product_type)


def _variant():
    from truestyle.catalog.tests.factories import variant_create

    return variant_create(product=_product(), size="S", sku="MATRIX-TEE-S")


def _image():
    from truestyle.catalog.models import ProductImage

    # The stored file's name only; deleting a missing GridFS file does nothing.
    return ProductImage.objects.create(product=_product(), image="matrix-missing.png", alt_text="Front view")


ARGUMENTS = {
    "product_id": lambda: str(_product().pk),
    "variant_id": lambda: str(_variant().pk),
    "product_image_id": lambda: str(_image().pk),
}
