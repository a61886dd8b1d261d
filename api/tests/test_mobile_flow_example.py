"""The mobile-flow example of docs/mobile-api.md runs as written, against a live server."""

import importlib.util
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from truestyle.accounts.models import RefreshSession, User
from truestyle.catalog.tests.factories import product_create, variant_create
from truestyle.orders.models import Order

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mobile_flow.py"


def _catalogue():
    out = product_create(name="Cashmere Coat", brand="Loom", category="Coats", price="12999.00", mrp="12999.00")
    variant_create(product=out, size="M", stock=4)  # above the cash-on-delivery limit: the flow skips it
    shirt = product_create(name="Oxford Shirt", brand="Loom", price="1499.00", mrp="1999.00")
    variant_create(product=shirt, size="S", stock=0)
    return variant_create(product=shirt, size="M", stock=3)


def test_the_script_runs_as_the_document_shows(db, live_server):
    variant = _catalogue()

    result = subprocess.run([sys.executable, str(SCRIPT), live_server.url], capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 0, result.stderr
    steps = [line.split(".", 1)[0] for line in result.stdout.splitlines()]
    assert steps == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert "chose Oxford Shirt (Indigo, M) at ₹1499.00" in result.stdout
    user = User.objects.get(email__startswith="mobile-")
    order = Order.objects.get(user=user)
    assert (order.status, order.payment_method, str(order.total)) == ("placed", "cod", "1499.00")
    assert f"placed order {order.number}: placed, ₹1499.00 cash on delivery" in result.stdout
    assert [line.variant_id for line in order.lines.all()] == [str(variant.pk)]
    assert RefreshSession.objects.filter(user=user, revoked_at__isnull=True).count() == 0


def test_the_flow_reports_a_failure_instead_of_pretending(db, live_server):
    result = subprocess.run([sys.executable, str(SCRIPT), live_server.url], capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 1
    assert "the catalogue has nothing in stock" in result.stderr
    assert Order.objects.count() == 0


def test_the_scripts_cash_on_delivery_limit_is_the_stores(settings):
    spec = importlib.util.spec_from_file_location("mobile_flow", SCRIPT)
    flow = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(flow)

    assert flow.COD_LIMIT == Decimal(settings.ORDER_COD_MAX_TOTAL)
