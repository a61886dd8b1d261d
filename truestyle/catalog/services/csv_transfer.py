"""CSV import of products and variants as a background job: upload, check every row, then import.

    job = catalog_import_start(actor=user, upload=request.FILES["file"])   # the web request
    catalog_import_run(import_id=job.pk)                                    # the Celery task

Nothing is imported unless every row is valid (csv_import.csv_validate). Products are then created
or updated through `product_save`, one product (with its colours and variants) per MongoDB
transaction, so a product is never half imported; a stock count that differs from the variant's is
a "correction" through the ledger (`stock_adjust`), so stock always equals the sum of the ledger.
The job record carries the progress and the report the staff page polls.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils import timezone

from truestyle.auditlog.services import audit_record
from truestyle.catalog.models import CatalogImport, Colourway, Product, StockMovement, Variant
from truestyle.catalog.services.csv_format import csv_decode, file_size_check
from truestyle.catalog.services.csv_import import ProductPlan, csv_validate
from truestyle.catalog.services.products import product_save
from truestyle.catalog.services.stock import stock_adjust
from truestyle.core.errors import NotFound, StoreError
from truestyle.core.transactions import on_mongo_commit, run_in_mongo_transaction

logger = logging.getLogger(__name__)
Status = CatalogImport.Status
REPORT_LIMIT = 500  # a file with thousands of bad rows gets the first 500 and the count
PROGRESS_EVERY = 0.5  # seconds between progress writes: each write costs a round trip


class ImportStopped(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def _status_move(import_id, to: str, **fields) -> bool:
    """Move a job to `to` if the transition table allows it from where it is; False if it did not move.

    A conditional single-document update, so two workers given the same job cannot both claim it.
    """
    sources = [source for source, targets in CatalogImport.TRANSITIONS.items() if to in targets]
    return CatalogImport.objects.filter(pk=import_id, status__in=sources).update(status=to, **fields) == 1


def catalog_import_start(*, actor, upload) -> CatalogImport:
    """Store an uploaded CSV and queue its import; returns the job.

    An empty, oversized or non-UTF-8 file is refused at once (StoreError), storing nothing.
    """
    if upload is None:
        raise StoreError("Choose a CSV file to import.", code="invalid", fields={"file": ["Choose a CSV file."]})
    file_size_check(upload.size)
    raw = b"".join(upload.chunks())
    file_size_check(len(raw))  # the declared size is the client's word
    csv_decode(raw)
    stored = default_storage.save("catalog-import.csv", ContentFile(raw, name="catalog-import.csv"))
    job = CatalogImport.objects.create(actor_id=str(actor.pk) if actor else "",
                                       actor_email=getattr(actor, "email", "") or "",
                                       filename=(upload.name or "")[:100], file=stored, size_bytes=len(raw))
    audit_record(actor=actor, action="catalog.import_start", object_type="catalog_import", object_id=str(job.pk),
                 after={"bytes": len(raw)})
    from truestyle.catalog.tasks import catalog_import_run as task

    on_mongo_commit(lambda: task.delay(str(job.pk)))
    return job


def catalog_import_run(*, import_id) -> CatalogImport:
    """Check every row, then import; the job records progress, the report and the counts.

    A job that is not waiting (already claimed by another delivery of the task, or finished) is
    returned unchanged.
    """
    job = CatalogImport.objects.filter(pk=import_id).first()
    if job is None:
        raise NotFound("That import does not exist.", code="import_not_found")
    if not _status_move(job.pk, Status.VALIDATING, started_at=timezone.now(), processed_rows=0):
        return job
    try:
        _run(job)
    except Exception:
        logger.exception("catalogue import %s failed", job.pk)
        _status_move(job.pk, Status.FAILED, finished_at=timezone.now(), error_count=1, report=[
            {"row": 0, "column": "", "message": "The import stopped on an unexpected error. Products imported "
                                                "before it were saved; upload the file again to finish."}])
        raise
    return CatalogImport.objects.get(pk=job.pk)


def _run(job: CatalogImport) -> None:
    with default_storage.open(job.file) as stored:
        raw = stored.read()
    try:
        text = csv_decode(raw)
    except StoreError as error:
        _finish_invalid(job, [{"row": 1, "column": "", "message": error.message}], total=0)
        return
    validation = csv_validate(text, progress=_progress_writer(job.pk))
    if validation.report:
        _finish_invalid(job, validation.report, total=validation.total_rows)
        return
    total = sum(plan.rows for plan in validation.plans)
    _status_move(job.pk, Status.IMPORTING, total_rows=total, processed_rows=0)
    actor = get_user_model().objects.filter(pk=job.actor_id).first() if job.actor_id else None
    counts: Counter = Counter()
    try:
        csv_apply(validation.plans, actor=actor, reference=f"import {job.pk}", counts=counts,
                  progress=_progress_writer(job.pk))
    except ImportStopped as stop:
        _status_move(job.pk, Status.FAILED, finished_at=timezone.now(), error_count=1, **counts,
                     report=[{"row": stop.row, "column": "", "message": stop.message}])
        return
    _status_move(job.pk, Status.DONE, finished_at=timezone.now(), processed_rows=total, **counts)
    audit_record(actor=actor, action="catalog.import", object_type="catalog_import", object_id=str(job.pk),
                 after=dict(counts))


def _finish_invalid(job: CatalogImport, report: list[dict], *, total: int) -> None:
    _status_move(job.pk, Status.INVALID, finished_at=timezone.now(), total_rows=total, processed_rows=total,
                 report=report[:REPORT_LIMIT], error_count=len(report))


def _progress_writer(import_id):
    """A callback that records rows done, at most every PROGRESS_EVERY seconds (and always the last row)."""
    last = [0.0]

    def write(done: int, *, final: bool = False) -> None:
        now = time.monotonic()
        if final or now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            CatalogImport.objects.filter(pk=import_id).update(processed_rows=done)

    return write


def csv_apply(plans: list[ProductPlan], *, actor, reference: str, counts: Counter, progress=None) -> Counter:
    """Create or update each planned product, one transaction per product; `counts` grows as they commit."""
    done = 0
    for plan in plans:
        try:
            counts.update(run_in_mongo_transaction(lambda: _product_apply(plan, actor=actor, reference=reference)))
        except (StoreError, IntegrityError) as error:
            message = error.message if isinstance(error, StoreError) else "A SKU or slug was taken meanwhile."
            raise ImportStopped(plan.row, f"{message} The import stopped at this product: the products "
                                          "before it were imported, this one and those after it were not.")
        done += plan.rows
        if progress:
            progress(done)
    if progress:
        progress(done, final=True)
    return counts


_PRODUCT_FIELDS = {"name": "name", "description": "description", "material": "material", "care": "care",
                   "mrp": "mrp", "price": "price", "tags": "tags", "active": "is_active", "featured": "is_featured"}
_DEFAULTS = {"description": "", "material": "", "care": "", "tags": [], "active": True, "featured": False,
             "occasions": []}


def _product_values(plan: ProductPlan, product: Product | None) -> dict:
    """product_save's values: the file's, and for columns the file leaves out, the current (or default) ones."""
    values = {"slug": plan.slug, "brand": plan.values["brand"], "category": plan.values["category"],
              "product_type": plan.values["product_type"]}
    for column, attribute in _PRODUCT_FIELDS.items():
        if column in plan.values:
            values[attribute] = plan.values[column]
        else:
            values[attribute] = getattr(product, attribute) if product else _DEFAULTS[column]
    occasions = plan.values.get("occasions")
    values["occasions"] = occasions if occasions is not None else (
        list(product.occasions.all()) if product else [])
    return values


def _product_differs(product: Product, values: dict) -> bool:
    current = (product.name, product.description, product.material, product.care, product.brand_id,
               product.category_id, product.product_type_id, product.mrp, product.price, sorted(product.tags),
               product.is_active, product.is_featured, sorted(str(o.pk) for o in product.occasions.all()))
    wanted = (values["name"], values["description"], values["material"], values["care"], values["brand"].pk,
              values["category"].pk, values["product_type"].pk, values["mrp"], values["price"],
              sorted({str(t).strip().lower() for t in values["tags"]}), values["is_active"], values["is_featured"],
              sorted(str(o.pk) for o in values["occasions"]))
    return current != wanted


def _product_apply(plan: ProductPlan, *, actor, reference: str) -> Counter:
    """Inside a transaction: the product, then its colours and variants. Run again whole on a write conflict."""
    counts: Counter = Counter()
    product = Product.objects.filter(slug=plan.slug).first()
    values = _product_values(plan, product)
    if product is None:
        product = product_save(actor=actor, values=values)
        counts["products_created"] += 1
    elif _product_differs(product, values):
        product = product_save(actor=actor, values=values, product=product)
        counts["products_updated"] += 1
    colourways = {c.slug: c for c in Colourway.objects.filter(product=product)}
    size_order = {size: index for index, size in enumerate(product.product_type.sizes)}
    actor_id = str(actor.pk) if actor else ""
    for line in plan.variants:
        colourway, colour_changed = colourways.get(line.colour_slug), False
        if colourway is None:
            colourway = colourways[line.colour_slug] = Colourway.objects.create(
                product=product, name=line.colour, hex=line.hex, slug=line.colour_slug, position=len(colourways))
        elif (colourway.name, colourway.hex) != (line.colour, line.hex):
            Colourway.objects.filter(pk=colourway.pk).update(name=line.colour, hex=line.hex)
            colourway.name, colourway.hex, colour_changed = line.colour, line.hex, True
        variant = (Variant.objects.filter(sku=line.sku).first()
                   or Variant.objects.filter(colourway=colourway, size=line.size).first())
        if variant is not None and (variant.product_id, variant.colourway_id, variant.size) != (
                product.pk, colourway.pk, line.size):
            raise StoreError(f"Row {line.row}: the SKU {line.sku} was given to another variant meanwhile.")
        created = variant is None
        if created:
            # Created with the file's SKU at stock 0 (an empty ledger); the count arrives as a correction.
            variant = Variant.objects.create(product=product, colourway=colourway, size=line.size, sku=line.sku,
                                             position=size_order.get(line.size, 0),
                                             **({"low_stock_threshold": line.threshold}
                                                if line.threshold is not None else {}))
            counts["variants_created"] += 1
        fields = {}
        if not created:
            if variant.sku != line.sku:
                fields["sku"] = line.sku
            if line.threshold is not None and variant.low_stock_threshold != line.threshold:
                fields["low_stock_threshold"] = line.threshold
            if fields:
                Variant.objects.filter(pk=variant.pk).update(**fields)
        changed = not created and (bool(fields) or colour_changed)
        if line.stock is not None and line.stock != variant.stock:
            stock_adjust(variant_id=variant.pk, delta=line.stock - variant.stock,
                         reason=StockMovement.Reason.CORRECTION, actor_id=actor_id, note="CSV import",
                         reference=reference)
            changed = not created
        if changed:
            counts["variants_updated"] += 1
    return counts
