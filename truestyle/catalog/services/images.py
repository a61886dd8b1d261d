"""Product images in GridFS: upload (validated and re-encoded), order, delete, thumbnails in the background."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from PIL import Image

from truestyle.auditlog.services import audit_record
from truestyle.catalog.cache import catalog_cache_bump
from truestyle.catalog.models import Colourway, Product, ProductImage
from truestyle.core.errors import NotFound, StoreError
from truestyle.core.images import normalize_image

THUMBNAIL_BOX = (360, 480)


def product_image_add(*, actor, product: Product, upload, alt_text: str, colourway: Colourway | None = None) -> ProductImage:
    """Store an uploaded image at the end of the gallery and queue its thumbnail.

    The file is recognised by its content, limited in bytes and pixels and
    re-encoded (truestyle.core.images); a refused file writes nothing.
    """
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise StoreError("Describe the image for people who cannot see it.", code="invalid",
                         fields={"alt_text": ["Describe the image for people who cannot see it."]})
    if colourway is not None and colourway.product_id != product.pk:
        raise StoreError("That colour belongs to another product.", code="invalid", fields={"colourway": ["Choose a colour of this product."]})
    try:
        normalized = normalize_image(upload)
    except ValidationError as error:
        raise StoreError(error.messages[0], code="invalid_image", fields={"image": list(error.messages)})
    stored = default_storage.save(normalized.name, normalized)
    last = ProductImage.objects.filter(product=product).aggregate(last=Max("position"))["last"]
    image = ProductImage.objects.create(product=product, colourway=colourway, image=stored, alt_text=alt_text[:200],
                                        position=(last + 1) if last is not None else 0,
                                        width=normalized.width, height=normalized.height)
    from truestyle.catalog.tasks import product_image_thumbnail_make

    catalog_cache_bump()
    product_image_thumbnail_make.delay(str(image.pk))
    audit_record(actor=actor, action="product.image_add", object_type="product", object_id=str(product.pk),
                 after={"image": stored})
    return image


def product_images_reorder(*, actor, product: Product, ordered_ids: list[str]) -> list[ProductImage]:
    """Put the gallery in the given order; the ids must be exactly this product's images."""
    images = {str(i.pk): i for i in ProductImage.objects.filter(product=product)}
    if sorted(map(str, ordered_ids)) != sorted(images):
        raise StoreError("The order must list each image of this product once.", code="invalid",
                         fields={"order": ["List each image of this product once."]})
    for position, image_id in enumerate(ordered_ids):
        if images[str(image_id)].position != position:
            ProductImage.objects.filter(pk=images[str(image_id)].pk).update(position=position)
    audit_record(actor=actor, action="product.images_reorder", object_type="product", object_id=str(product.pk),
                 after={"order": [str(i) for i in ordered_ids]})
    catalog_cache_bump()
    return list(ProductImage.objects.filter(product=product).order_by("position"))


def product_image_delete(*, actor, product: Product, image_id) -> None:
    image = ProductImage.objects.filter(pk=image_id, product=product).first()
    if image is None:
        raise NotFound("That image does not exist.", code="image_not_found")
    image.delete()
    catalog_cache_bump()
    for name in (image.image, image.thumbnail):
        if name:
            default_storage.delete(name)
    audit_record(actor=actor, action="product.image_delete", object_type="product", object_id=str(product.pk),
                 before={"image": image.image})


def product_image_thumbnail_make(*, image_id) -> str:
    """Make (or remake) the gallery thumbnail; returns its stored name ('' if the image is gone)."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None:
        return ""
    with default_storage.open(image.image) as original:
        picture = Image.open(io.BytesIO(original.read()))
        picture.load()
    picture.thumbnail(THUMBNAIL_BOX)
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, "JPEG", quality=80, optimize=True)
    name = default_storage.save(f"thumb-{image.pk}.jpg", ContentFile(buffer.getvalue(), name=f"thumb-{image.pk}.jpg"))
    previous = image.thumbnail
    ProductImage.objects.filter(pk=image.pk).update(thumbnail=name)
    catalog_cache_bump()
    if previous and previous != name:
        default_storage.delete(previous)
    return name


MAX_IMAGES_PER_UPLOAD = 12


def product_images_add(*, actor, product: Product, uploads: list, alt_text: str,
                       colourway: Colourway | None = None) -> list[ProductImage]:
    """Add several uploads at once, all or none, in the order given.

    Every file is fully checked (decoded) before any is stored, so one bad file in a batch stores
    nothing, and the refusal names each bad file. Should a file still fail while being stored, the
    ones stored before it are removed again.
    """
    errors: dict[str, list[str]] = {}
    if not uploads:
        errors["images"] = ["Choose one or more images."]
    elif len(uploads) > MAX_IMAGES_PER_UPLOAD:
        errors["images"] = [f"Upload at most {MAX_IMAGES_PER_UPLOAD} images at a time."]
    if not (alt_text or "").strip():
        errors["alt_text"] = ["Describe the image for people who cannot see it."]
    if colourway is not None and colourway.product_id != product.pk:
        errors["colourway"] = ["Choose a colour of this product."]
    if errors:
        raise StoreError("Some fields are not valid.", code="invalid", fields=errors)
    refused = []
    for upload in uploads:
        try:
            normalize_image(upload)
        except ValidationError as error:
            refused.append(f"{getattr(upload, 'name', '') or 'A file'}: {error.messages[0]}")
        finally:
            if hasattr(upload, "seek"):
                upload.seek(0)
    if refused:
        raise StoreError("Some files are not images the store accepts; nothing was uploaded.", code="invalid_image",
                         fields={"images": refused})
    added: list[ProductImage] = []
    try:
        for upload in uploads:
            added.append(product_image_add(actor=actor, product=product, upload=upload, alt_text=alt_text,
                                           colourway=colourway))
    except StoreError:
        for image in added:
            product_image_delete(actor=actor, product=product, image_id=image.pk)
        raise
    return added
