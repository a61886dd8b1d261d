"""Writes of store content: save, delete, publish switch, reorder, store details.

Each write records an audit entry (before/after) and bumps the content cache version, so the
next storefront request shows the change. Images are normalised (truestyle.core.images) and
stored in GridFS before the document is written; a replaced or deleted item's old file is
removed only after its document no longer points to it.
"""

from __future__ import annotations

from bson import ObjectId
from bson.errors import InvalidId
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Max

from truestyle.auditlog.services import audit_record
from truestyle.cms.cache import content_cache_bump
from truestyle.cms.models import ContentItem, ContentPage, StoreDetails
from truestyle.core.errors import StoreError
from truestyle.core.images import normalize_image
from truestyle.core.transactions import mongo_atomic

# Fields the services never take from `data`: they have their own operations.
MANAGED_FIELDS = {"id", "position", "is_published", "updated_at"}


def _object_type(model) -> str:
    return f"content.{model._meta.model_name}"


def _editable_fields(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields
            if field.name not in MANAGED_FIELDS and field.name != getattr(model, "IMAGE_FIELD", "")]


def snapshot(item) -> dict:
    """The item's fields as JSON-friendly values (for the audit log)."""
    values = {}
    for field in item._meta.concrete_fields:
        if field.name in ("id", "updated_at"):
            continue
        value = getattr(item, field.name)
        values[field.name] = value if value is None or isinstance(value, (bool, int)) else str(value)
    return values


def _store_image(upload) -> str:
    """Normalise and store an upload; its refusal is a StoreError naming the `image` field."""
    try:
        clean = normalize_image(upload)
    except ValidationError as error:
        raise StoreError(error.messages[0], code="invalid_image", fields={"image": error.messages}) from None
    return default_storage.save(clean.name, clean)


def content_save(*, actor, model: type[ContentItem], data: dict, item: ContentItem | None = None, upload=None,
                 ip: str = "") -> ContentItem:
    """Create (item=None: placed last, unpublished unless data says otherwise) or edit an item.

    `data` holds the model's editable fields (missing ones keep their value); `upload` is a new
    image for the model's IMAGE_FIELD. A content page's slug must be unused.
    """
    if item is not None and not isinstance(item, model):
        raise StoreError("That item is of another content type.", code="invalid")
    if model is ContentPage and "slug" in data:
        taken = ContentPage.objects.filter(slug=data["slug"])
        if item is not None:
            taken = taken.exclude(pk=item.pk)
        if taken.exists():
            message = "This page already exists; edit it instead."
            raise StoreError(message, code="invalid", fields={"slug": [message]})
    before = snapshot(item) if item is not None else None
    target = item or model()
    for name in _editable_fields(model):
        if name in data:
            setattr(target, name, data[name])
    if "is_published" in data or item is None:
        target.is_published = bool(data.get("is_published", False))
    if item is None:
        last = model.objects.aggregate(last=Max("position"))["last"]
        target.position = 0 if last is None else last + 1
    old_image = ""
    if upload and model.IMAGE_FIELD:
        old_image = getattr(target, model.IMAGE_FIELD)
        setattr(target, model.IMAGE_FIELD, _store_image(upload))
    target.save()
    if old_image:
        default_storage.delete(old_image)
    audit_record(actor=actor, action=f"{_object_type(model)}.{'updated' if before else 'created'}",
                 object_type=_object_type(model), object_id=str(target.pk), before=before, after=snapshot(target),
                 ip=ip)
    content_cache_bump()
    return target


def content_delete(*, actor, item: ContentItem, ip: str = "") -> None:
    model = type(item)
    before, pk = snapshot(item), str(item.pk)
    item.delete()
    image = getattr(item, model.IMAGE_FIELD) if model.IMAGE_FIELD else ""
    if image:
        default_storage.delete(image)
    audit_record(actor=actor, action=f"{_object_type(model)}.deleted", object_type=_object_type(model),
                 object_id=pk, before=before, ip=ip)
    content_cache_bump()


def content_publish_set(*, actor, item: ContentItem, published: bool, ip: str = "") -> ContentItem:
    """Publish or unpublish; a change only when the value differs (and only then audited)."""
    model = type(item)
    if model.objects.filter(pk=item.pk, is_published=not published).update(is_published=published) == 1:
        audit_record(actor=actor, action=f"{_object_type(model)}.{'published' if published else 'unpublished'}",
                     object_type=_object_type(model), object_id=str(item.pk),
                     before={"is_published": not published}, after={"is_published": published}, ip=ip)
        content_cache_bump()
    item.refresh_from_db()
    return item


def _object_ids(ordered_ids) -> list[ObjectId]:
    try:
        return [ObjectId(str(value)) for value in ordered_ids]
    except (InvalidId, TypeError):
        raise StoreError("The order names an item that does not exist.", code="invalid_order",
                         fields={"order": ["List each item once."]}) from None


def content_reorder(*, actor, model: type[ContentItem], ordered_ids, ip: str = "") -> list[ContentItem]:
    """Put every item of `model` in the given order: positions 0..n-1, written in one transaction.

    The list must name each item of this type exactly once: a missing, repeated, unknown or
    other-type id refuses the whole order and writes nothing.
    """
    ids = _object_ids(ordered_ids)
    current = dict(model.objects.values_list("pk", "position"))
    if len(ids) != len(set(ids)) or set(ids) != set(current):
        raise StoreError("The order must list each item once; the list may have changed since the page opened.",
                         code="invalid_order", fields={"order": ["List each item once."]})

    def write() -> None:
        for position, pk in enumerate(ids):
            if current[pk] != position:
                model.objects.filter(pk=pk).update(position=position)

    mongo_atomic(write)
    before_order = [str(pk) for pk, _ in sorted(current.items(), key=lambda pair: pair[1])]
    audit_record(actor=actor, action=f"{_object_type(model)}.reordered", object_type=_object_type(model),
                 before={"order": before_order}, after={"order": [str(pk) for pk in ids]}, ip=ip)
    content_cache_bump()
    return list(model.objects.order_by("position"))


def store_details_save(*, actor, data: dict, ip: str = "") -> StoreDetails:
    """Write the store's one details document (created on first save)."""
    details = StoreDetails.objects.order_by("pk").first()
    before = snapshot(details) if details is not None else None
    target = details or StoreDetails()
    for name in _editable_fields(StoreDetails):
        if name in data:
            setattr(target, name, data[name])
    target.save()
    audit_record(actor=actor, action="content.storedetails.updated", object_type="content.storedetails",
                 object_id=str(target.pk), before=before, after=snapshot(target), ip=ip)
    content_cache_bump()
    return target
