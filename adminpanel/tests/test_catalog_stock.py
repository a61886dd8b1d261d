"""Staff stock pages: the low-stock list, adjustments into the ledger, a variant's history, waitlist counts."""

import pytest
from django.core import mail

from adminpanel.tests.test_catalog_products import staff_client
from truestyle.accounts.models import User
from truestyle.catalog.models import BackInStockRequest, StockMovement, Variant
from truestyle.catalog.tests.factories import product_create, variant_create


@pytest.fixture
def manager(db):
    return staff_client("catalogue_manager", "catalogue@example.com")


def _ledger_total(variant) -> int:
    return sum(StockMovement.objects.filter(variant=variant).values_list("delta", flat=True))


def _adjust(client, variant, delta, reason="restock", note="", **headers):
    return client.post(f"/staff/catalogue/stock/variants/{variant.pk}/adjust/",
                       {"adjust-delta": str(delta), "adjust-reason": reason, "adjust-note": note,
                        "next": "/staff/catalogue/stock/"}, **headers)


def _wait(variant, *emails, notified=()):
    from django.utils import timezone

    for email in emails:
        BackInStockRequest.objects.create(variant=variant, email=email,
                                          notified_at=timezone.now() if email in notified else None)


def test_the_low_stock_list_shows_variants_at_or_below_their_threshold_with_waiting_counts(manager):
    product = product_create(name="Crew Tee")
    empty = variant_create(product=product, size="S", sku="TEE-S")
    at_threshold = variant_create(product=product, size="M", sku="TEE-M", stock=3)
    variant_create(product=product, size="L", sku="TEE-L", stock=4)
    _wait(empty, "asha@example.com", "ravi@example.com", "old@example.com", notified=("old@example.com",))

    html = manager.get("/staff/catalogue/stock/").content.decode()

    rows = html.split("<tr id=\"stock-row-")[1:]
    assert [row.split('data-sku="')[1].split('"')[0] for row in rows] == ["TEE-S", "TEE-M"]
    assert '<td class="num waiting">2</td>' in rows[0] and '<td class="num waiting">0</td>' in rows[1]
    assert f'/stock/variants/{at_threshold.pk}/adjust/' in rows[1]


def test_adjustments_through_the_page_keep_stock_equal_to_the_ledger(manager):
    variant = variant_create(product=product_create(), sku="TEE-M", stock=5)

    responses = [_adjust(manager, variant, 10, "restock", "Supplier delivery"),
                 _adjust(manager, variant, -2, "damage", "Torn seam"),
                 _adjust(manager, variant, -1, "correction", "Count")]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert responses[0]["Location"] == "/staff/catalogue/stock/"
    variant.refresh_from_db()
    assert variant.stock == 12 == _ledger_total(variant)
    actor = User.objects.get(email="catalogue@example.com")
    assert list(StockMovement.objects.filter(variant=variant).order_by("created_at")
                .values_list("delta", "reason", "note", "actor_id")) == [
        (5, "restock", "", ""), (10, "restock", "Supplier delivery", str(actor.pk)),
        (-2, "damage", "Torn seam", str(actor.pk)), (-1, "correction", "Count", str(actor.pk))]


@pytest.mark.parametrize(("delta", "reason", "message"), [
    (-6, "damage", "Not enough stock for this change."),
    (0, "restock", "Enter a quantity other than zero."),
    (3, "sale", "Select a valid choice. sale is not one of the available choices."),
    ("two", "restock", "Enter a whole number."),
])
def test_a_refused_adjustment_says_why_and_writes_nothing(manager, delta, reason, message):
    variant = variant_create(product=product_create(), stock=5)

    page = _adjust(manager, variant, delta, reason)
    row = _adjust(manager, variant, delta, reason, HTTP_HX_REQUEST="true")

    assert page.status_code == 400 and message in page.content.decode()
    assert row.status_code == 200 and message in row.content.decode()
    variant.refresh_from_db()
    assert (variant.stock, StockMovement.objects.filter(variant=variant).count()) == (5, 1)


def test_an_htmx_adjustment_answers_with_the_refreshed_row(manager):
    variant = variant_create(product=product_create(), sku="TEE-M", stock=1)
    _wait(variant, "asha@example.com")

    response = _adjust(manager, variant, 4, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="stock-row-{variant.pk}"')
    assert '<td class="num stock-count">5</td>' in html
    assert "+4 recorded; TEE-M now has 5 in stock." in html
    assert 'name="next" value="/staff/catalogue/stock/"' in html


def test_restocking_a_sold_out_size_from_the_page_emails_those_waiting(manager):
    variant = variant_create(product=product_create(name="Linen Kurta"), size="L")
    _wait(variant, "asha@example.com", "ravi@example.com")

    _adjust(manager, variant, 6)

    assert sorted(message.to[0] for message in mail.outbox) == ["asha@example.com", "ravi@example.com"]
    html = manager.get(f"/staff/catalogue/stock/variants/{variant.pk}/").content.decode()
    assert '<dd id="waiting">0</dd>' in html


def test_a_products_stock_page_shows_each_variants_waiting_count(manager):
    product = product_create(name="Crew Tee")
    small = variant_create(product=product, size="S", sku="TEE-S")
    large = variant_create(product=product, size="L", sku="TEE-L")
    variant_create(product=product, size="M", sku="TEE-M", stock=9)
    variant_create(product=product_create(name="Other"), size="S", sku="OTHER-S")
    _wait(small, "a@example.com", "b@example.com", "c@example.com")
    _wait(large, "a@example.com")

    html = manager.get(f"/staff/catalogue/stock/products/{product.pk}/").content.decode()

    rows = html.split("<tr id=\"stock-row-")[1:]
    counts = [(row.split('data-sku="')[1].split('"')[0], row.split('<td class="num waiting">')[1].split("<")[0])
              for row in rows]
    assert counts == [("TEE-S", "3"), ("TEE-M", "0"), ("TEE-L", "1")]
    assert "4 shoppers waiting" in html


def test_the_history_page_lists_the_ledger_with_its_total_and_who_made_each_change(manager):
    variant = variant_create(product=product_create(), sku="TEE-M", stock=5)
    _adjust(manager, variant, -2, "damage", "Torn seam")

    html = manager.get(f"/staff/catalogue/stock/variants/{variant.pk}/").content.decode()

    assert '<dd id="stock-now">3</dd>' in html and '<dd id="ledger-total">3</dd>' in html
    assert html.index("Torn seam") < html.index("<td>Restock</td>")  # newest first
    assert "<td>catalogue@example.com</td>" in html
    assert manager.get("/staff/catalogue/stock/variants/not-an-id/").status_code == 404


@pytest.mark.parametrize("role", ["support_agent", "order_manager", "content_editor"])
def test_roles_without_adjust_stock_are_refused_and_nothing_is_written(db, role):
    variant = variant_create(product=product_create(), stock=5)
    client = staff_client(role, f"{role}@example.com")

    responses = [client.get("/staff/catalogue/stock/").status_code, _adjust(client, variant, 5).status_code]

    assert responses == [403, 403]
    assert Variant.objects.get(pk=variant.pk).stock == 5
    assert StockMovement.objects.filter(variant=variant).count() == 1


def test_concurrent_adjustments_through_the_page_keep_stock_equal_to_the_ledger(manager):
    import threading

    from django.db import connections
    from django.test import Client

    variant = variant_create(product=product_create(), stock=3)
    actor = User.objects.get(email="catalogue@example.com")
    deltas = [-2, -2, -2, 1, 1, 1]  # removals race restocks; some removals must be refused
    clients = []
    for _ in deltas:
        client = Client()
        client.force_login(actor)
        clients.append(client)
    start = threading.Barrier(len(deltas))
    statuses = []

    def post(client, delta):
        start.wait()
        try:
            statuses.append(_adjust(client, variant, delta, "damage" if delta < 0 else "restock").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, deltas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    variant.refresh_from_db()
    assert sorted(set(statuses)) <= [302, 400] and len(statuses) == len(deltas)
    assert variant.stock >= 0
    assert variant.stock == _ledger_total(variant)
    assert StockMovement.objects.filter(variant=variant).count() == 1 + statuses.count(302)
