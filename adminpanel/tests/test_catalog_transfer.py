"""The staff import / export pages through the Django test client: upload → progress → report."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from truestyle.accounts.tests.factories import user_create
from truestyle.catalog.models import CatalogImport, Product, Variant
from truestyle.catalog.services.csv_format import COLUMNS
from truestyle.catalog.tests.csv_helpers import csv_text, existing_product, ledger_holds, row, store_create, upload


@pytest.fixture
def staff(db):
    store_create()
    manager = user_create(email="catalogue@example.com")
    manager.groups.add(Group.objects.get(name="catalogue_manager"))
    client = Client()
    client.force_login(manager)
    return client


def _upload(client, content, name="catalogue.csv"):
    return client.post(reverse("adminpanel:catalog-transfer-import"), {"file": upload(content, name)})


def test_the_index_offers_export_and_import(staff):
    response = staff.get(reverse("adminpanel:catalog-transfer"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'action="/staff/catalogue/transfer/export.csv"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "No imports yet." in page


def test_a_valid_upload_is_imported_and_its_page_shows_the_counts(staff):
    response = _upload(staff, csv_text([row(), row(sku="OXF-IND-L", size="L", stock="2")]))

    job = CatalogImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("adminpanel:catalog-transfer-job", args=[job.pk])
    page = staff.get(response["Location"]).content.decode()
    assert '<span class="status status-done">Imported</span>' in page
    assert 'value="100"' in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert "<strong>1</strong>products created" in page and "<strong>2</strong>variants created" in page
    assert (job.actor_email, job.filename) == ("catalogue@example.com", "catalogue.csv")
    assert sorted(Variant.objects.values_list("sku", "stock")) == [("OXF-IND-L", 2), ("OXF-IND-M", 10)]
    assert ledger_holds()


def test_an_upload_with_a_bad_row_shows_the_report_and_imports_nothing(staff):
    response = _upload(staff, csv_text([row(), row(sku="OXF-IND-L", size="L", brand="Acme")]))

    page = staff.get(response["Location"]).content.decode()
    assert "Nothing was imported: 1 problem found. Fix it in the file and upload it again." in page
    report = page[page.index("<tbody>", page.index("import-report")):]
    assert "<tr><td>3</td><td><code>brand</code></td><td>Unknown brand “Acme”.</td></tr>" in report
    assert "<tr><td>3</td><td><code>brand</code></td><td>Differs from row 2, the first row of this product.</td></tr>" \
        not in report  # an invalid cell is reported once, as itself
    assert Product.objects.count() == 0


def test_the_progress_fragment_polls_while_the_job_runs(staff):
    job = CatalogImport.objects.create(file="x.csv", status="importing", total_rows=40, processed_rows=10)
    url = reverse("adminpanel:catalog-transfer-job", args=[job.pk])

    fragment = staff.get(url, headers={"HX-Request": "true"}).content.decode()

    assert fragment.startswith('\n<section id="import-progress"') or fragment.lstrip().startswith(
        '<section id="import-progress"')
    assert "<html" not in fragment
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in fragment
    assert 'value="62"' in fragment  # checking is the first half, 10 of 40 imported the next 12
    assert "Importing rows: 10 of 40" in fragment
    assert f'<a href="{url}">Refresh</a>' in fragment
    CatalogImport.objects.filter(pk=job.pk).update(status="done", processed_rows=40, products_created=3)
    finished = staff.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished and 'value="100"' in finished and "<strong>3</strong>products created" in finished


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty. Export the catalogue to get a file with the right columns."),
    ("slug\r\nchemise-\u00e9t\u00e9\r\n".encode("latin-1"),
     "The file is not UTF-8 text (byte 15 cannot be read). Save it as “CSV UTF-8” and upload it again."),
])
def test_an_empty_or_non_utf8_file_is_refused_on_the_form(staff, content, message):
    response = _upload(staff, content)

    assert response.status_code == 400
    assert f'<p class="field-error" id="id_file_error" role="alert">{message}</p>' in response.content.decode()
    assert CatalogImport.objects.count() == 0


def test_an_oversized_file_is_refused_on_the_form(staff, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 2048

    response = _upload(staff, "x" * 2049)

    assert response.status_code == 400
    assert "The file is larger than 2 KB. Split it into smaller files." in response.content.decode()
    assert CatalogImport.objects.count() == 0


def test_a_post_without_a_file_is_refused(staff):
    response = staff.post(reverse("adminpanel:catalog-transfer-import"), {})

    assert response.status_code == 400
    assert "Choose a CSV file to import." in response.content.decode()
    assert CatalogImport.objects.count() == 0


def test_the_export_streams_the_catalogue_as_csv(staff):
    existing_product()

    response = staff.get(reverse("adminpanel:catalog-transfer-export"))

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="catalogue-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(text))) == [{column: row()[column] for column in COLUMNS}]


def test_the_export_follows_the_product_filters(staff):
    existing_product()
    from truestyle.catalog.models import Brand
    from truestyle.catalog.tests.factories import product_create

    product_create(name="Linen Kurta", brand="Sutra", category="women")
    sutra = Brand.objects.get(slug="sutra")

    response = staff.get(reverse("adminpanel:catalog-transfer-export"), {"brand": str(sutra.pk)})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(r["slug"], r["brand"], r["sku"]) for r in rows] == [("linen-kurta", "Sutra", "")]


def test_people_without_the_catalogue_permission_cannot_import(db):
    store_create()
    agent = user_create(email="agent@example.com")
    agent.groups.add(Group.objects.get(name="support_agent"))
    client = Client()
    client.force_login(agent)

    response = _upload(client, csv_text([row()]))

    assert response.status_code == 403
    assert (CatalogImport.objects.count(), Product.objects.count()) == (0, 0)


def test_an_unknown_import_is_not_found(staff):
    assert staff.get(reverse("adminpanel:catalog-transfer-job", args=["65f0c0ffee0000000000abcd"])).status_code == 404
    assert staff.get(reverse("adminpanel:catalog-transfer-job", args=["nope"])).status_code == 404
