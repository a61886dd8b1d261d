"""The import task run by a real Celery worker through the broker, its progress read as the page reads it."""

import time

from celery.result import EagerResult

from truestyle.catalog.models import CatalogImport, Product, Variant
from truestyle.catalog.services.csv_transfer import catalog_import_start
from truestyle.catalog.tests.csv_helpers import csv_text, ledger_holds, row, store_create, upload

SIZES = ("XS", "S", "M", "L", "XL")


def test_a_worker_imports_the_file_and_the_progress_reaches_100_percent(db, celery_worker, monkeypatch):
    store_create()
    rows = [row(slug=f"shirt-{n}", name=f"Shirt {n}", sku=f"SHIRT-{n}-{size}", size=size, stock=str(n))
            for n in range(1, 5) for size in SIZES]
    sent = []
    from truestyle.catalog import tasks

    original = tasks.catalog_import_run.delay
    monkeypatch.setattr(tasks.catalog_import_run, "delay", lambda *a: sent.append(original(*a)) or sent[-1])

    job = catalog_import_start(actor=None, upload=upload(csv_text(rows)))

    assert len(sent) == 1 and not isinstance(sent[0], EagerResult)  # it crossed the broker to the worker
    seen = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append((job.status, job.progress_percent))
        if not job.is_running:
            break
        time.sleep(0.1)
    assert sent[0].get(timeout=10) == "done"
    assert (job.status, job.report, job.progress_percent) == ("done", [], 100)
    assert (job.total_rows, job.processed_rows) == (20, 20)
    assert (job.products_created, job.variants_created) == (4, 20)
    percents = [percent for _, percent in seen]
    assert percents == sorted(percents)  # the bar never goes back
    statuses = list(dict.fromkeys(status for status, _ in seen))
    assert statuses == [s for s in ("pending", "validating", "importing", "done") if s in statuses]
    assert Product.objects.count() == 4
    assert sorted(Variant.objects.filter(product__slug="shirt-3").values_list("size", "stock")) == [
        ("L", 3), ("M", 3), ("S", 3), ("XL", 3), ("XS", 3)]
    assert ledger_holds()
