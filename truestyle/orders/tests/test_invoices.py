import re
import shutil
import subprocess
import threading
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from truestyle.accounts.models import Address
from truestyle.accounts.tests.factories import user_create
from truestyle.core.errors import StoreError
from truestyle.orders.models import Invoice, InvoiceImmutable, Order
from truestyle.orders.selectors import invoice_pdf_for_order
from truestyle.orders.services import financial_year
from truestyle.orders.services.invoices import invoice_lines
from truestyle.orders.tests.factories import customer_create, line, place, stocked_variant

YEAR = financial_year(timezone.localdate())


@pytest.mark.parametrize(("day", "year"), [
    (date(2026, 4, 1), "2026-27"), (date(2027, 3, 31), "2026-27"), (date(2026, 3, 31), "2025-26"),
    (date(2099, 12, 1), "2099-00"),
])
def test_the_financial_year_runs_april_to_march(day, year):
    assert financial_year(day) == year


def test_invoices_are_numbered_in_sequence_within_the_financial_year(db):
    user, address = customer_create()
    variant = stocked_variant(stock=5)

    numbers = [place(user=user, address=address, lines=[line(variant)]).invoice.number for _ in range(3)]

    assert numbers == [f"TS/{YEAR}/000001", f"TS/{YEAR}/000002", f"TS/{YEAR}/000003"]


def test_gst_is_shown_per_line_at_five_percent_up_to_2500_a_piece_and_eighteen_above(db):
    user, address = customer_create()
    shirt = stocked_variant(name="Oxford Shirt", price="1499.00", stock=5)
    blazer = stocked_variant(name="Wool Blazer", price="2999.00", stock=5, category="Blazers")

    invoice = place(user=user, address=address, lines=[line(shirt, 2), line(blazer, 1)]).invoice

    rows = [(r["description"], r["gst_rate"], r["net"], r["taxable"], r["tax"]) for r in invoice.lines]
    assert rows == [("Oxford Shirt (Indigo, M)", "5", "2998.00", "2855.24", "142.76"),
                    ("Wool Blazer (Indigo, M)", "18", "2999.00", "2541.53", "457.47")]
    assert (invoice.tax_total, invoice.total) == (Decimal("600.23"), Decimal("5997.00"))
    assert invoice.seller == {"name": "TrueStyle Retail Pvt Ltd", "gstin": "29ABCDE1234F1Z5",
                              "address": "12 MG Road, Bengaluru, Karnataka 560001"}
    assert invoice.buyer["address"]["pincode"] == "560001"


def test_a_discount_is_shared_out_and_the_rate_follows_the_price_paid(db):
    user, address = customer_create()
    jacket = stocked_variant(name="Jacket", price="2600.00", stock=5)
    tee = stocked_variant(name="Tee", price="1000.00", stock=5, category="Tees")
    order = place(user=user, address=address, lines=[line(jacket), line(tee)])
    Order.objects.filter(pk=order.pk).update(discount=Decimal("360.00"))

    rows = invoice_lines(Order.objects.get(pk=order.pk))

    # 2600 less its 260 share is 2340 a piece: under 2500, so 5%, not 18%.
    assert [(r["discount"], r["net"], r["gst_rate"], r["tax"]) for r in rows] == [
        ("260.00", "2340.00", "5", "111.43"), ("100.00", "900.00", "5", "42.86")]


def test_an_issued_invoice_cannot_be_changed_or_deleted(db):
    user, address = customer_create()
    invoice = place(user=user, address=address, lines=[line(stocked_variant(stock=2))]).invoice
    invoice.total = Decimal("1.00")

    with pytest.raises(InvoiceImmutable):
        invoice.save()
    with pytest.raises(InvoiceImmutable):
        invoice.delete()
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("1499.00")


def test_concurrent_placements_never_share_or_skip_an_invoice_number(db):
    variant = stocked_variant(stock=20)
    buyers = []
    for index in range(8):
        user = user_create(email=f"buyer{index}@example.com")
        buyers.append((user, Address.objects.create(user=user, name="B", phone="9876543210", line1="1 Road",
                                                    city="Pune", state="MH", pincode="411001")))
    start = threading.Barrier(8)
    errors = []

    def buy(user, address):
        try:
            start.wait()
            place(user=user, address=address, lines=[line(variant)])
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=buyer) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)

    placed = Order.objects.count()
    assert placed + len(errors) == 8 and placed >= 1
    assert all(getattr(e, "code", None) == "transaction_aborted" for e in errors)
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, placed + 1))


def _pdf_text(data: bytes) -> str:
    chunks = [data.decode("latin-1")]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            pass
    # PDF string literals escape parentheses and backslashes.
    return "\n".join(chunks).replace("\\(", "(").replace("\\)", ")").replace("\\\\", "\\")


def test_the_invoice_pdf_carries_its_number_seller_and_lines(db):
    user, address = customer_create()
    order = place(user=user, address=address, lines=[line(stocked_variant(name="Oxford Shirt", stock=2))])

    name, data = invoice_pdf_for_order(order=order)

    assert name == f"invoice-TS-{YEAR}-000001.pdf"
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    expected = (f"TS/{YEAR}/000001", "GSTIN: 29ABCDE1234F1Z5", "Oxford Shirt (Indigo, M)", order.number,
                "Rs. 1,499.00", "71.38")
    for value in expected:
        assert value in text
    if shutil.which("pdftotext"):
        # A real PDF reader sees the same text.
        extracted = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
        for value in expected:
            assert value in extracted.decode()


def test_an_unpaid_order_has_no_invoice_pdf(db):
    user, address = customer_create()
    order = place(user=user, address=address, lines=[line(stocked_variant(stock=2))], payment_method="upi")

    with pytest.raises(StoreError) as refusal:
        invoice_pdf_for_order(order=order)
    assert refusal.value.code == "invoice_not_found"
