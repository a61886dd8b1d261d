"""coupon_quote: every rule, with exact amounts, on both sides of each boundary."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from truestyle.accounts.tests.factories import user_create
from truestyle.promotions.models import Coupon, CouponCustomerUses, CouponUse
from truestyle.promotions.services import CouponRefused, coupon_quote
from truestyle.promotions.tests.factories import brand_create, category_create, coupon_create, line


def _refusal(code, lines, user=None) -> str:
    with pytest.raises(CouponRefused) as refusal:
        coupon_quote(code=code, user=user, lines=lines)
    return refusal.value.code


def test_a_percent_coupon_takes_its_share_of_the_lines(db):
    coupon = coupon_create(code="SAVE10", value="10")

    quote = coupon_quote(code="SAVE10", user=None, lines=[line("1499.00"), line("999.00")])

    assert (quote.coupon_id, quote.code, quote.discount) == (str(coupon.pk), "SAVE10", Decimal("249.80"))


def test_codes_are_case_insensitive_and_trimmed(db):
    coupon_create(code="FESTIVE15", value="15")

    quote = coupon_quote(code="  festive15 ", user=None, lines=[line("1000.00")])

    assert (quote.code, quote.discount) == ("FESTIVE15", Decimal("150.00"))


def test_percent_discounts_round_half_up_to_the_paisa(db):
    coupon_create(value="15")

    # 15% of 333.33 is 49.9995.
    assert coupon_quote(code="SAVE10", user=None, lines=[line("333.33")]).discount == Decimal("50.00")


@pytest.mark.parametrize(("subtotal", "discount"),
                         [("1499.00", "299.80"), ("1500.00", "300.00"), ("5000.00", "300.00")])
def test_max_discount_caps_a_percent_coupon(db, subtotal, discount):
    coupon_create(value="20", max_discount="300.00")

    assert coupon_quote(code="SAVE10", user=None, lines=[line(subtotal)]).discount == Decimal(discount)


@pytest.mark.parametrize(("subtotal", "discount"),
                         [("1000.00", "200.00"), ("200.00", "200.00"), ("150.50", "150.50")])
def test_a_flat_coupon_is_never_more_than_the_eligible_amount(db, subtotal, discount):
    coupon_create(code="FLAT200", kind="flat", value="200")

    assert coupon_quote(code="FLAT200", user=None, lines=[line(subtotal)]).discount == Decimal(discount)


def test_a_hundred_percent_coupon_brings_the_total_to_zero_not_below(db):
    coupon_create(code="FREE", value="100")

    assert coupon_quote(code="FREE", user=None, lines=[line("799.00"), line("0.50")]).discount == Decimal("799.50")


def test_a_brand_restriction_discounts_only_that_brands_lines(db):
    loom, weave = brand_create("Loom"), brand_create("Weave")
    coupon_create(code="LOOM20", value="20", brand_ids=[str(loom.pk)])

    quote = coupon_quote(code="LOOM20", user=None, lines=[
        line("1000.00", brand=str(loom.pk)), line("3000.00", brand=str(weave.pk)), line("500.00", brand=str(loom.pk))])

    assert quote.discount == Decimal("300.00")


def test_a_category_restriction_includes_its_subcategories_only(db):
    men, shirts, women = category_create("men"), category_create("men/shirts"), category_create("women")
    sale = category_create("menswear-sale")  # its path starts with "men" but it is not under it
    coupon_create(code="MEN10", value="10", category_ids=[str(men.pk)])

    quote = coupon_quote(code="MEN10", user=None, lines=[
        line("1000.00", category=str(shirts.pk)), line("2000.00", category=str(men.pk)),
        line("4000.00", category=str(women.pk)), line("8000.00", category=str(sale.pk))])

    assert quote.discount == Decimal("300.00")


def test_category_and_brand_restrictions_both_apply(db):
    men, women = category_create("men"), category_create("women")
    loom, weave = brand_create("Loom"), brand_create("Weave")
    coupon_create(code="MENLOOM", kind="flat", value="5000", category_ids=[str(men.pk)], brand_ids=[str(loom.pk)])

    quote = coupon_quote(code="MENLOOM", user=None, lines=[
        line("700.00", category=str(men.pk), brand=str(loom.pk)),
        line("900.00", category=str(men.pk), brand=str(weave.pk)),
        line("1100.00", category=str(women.pk), brand=str(loom.pk))])

    assert quote.discount == Decimal("700.00")


def test_no_matching_line_is_refused(db):
    loom, weave = brand_create("Loom"), brand_create("Weave")
    coupon_create(code="LOOM20", value="20", brand_ids=[str(loom.pk)])

    assert _refusal("LOOM20", [line("3000.00", brand=str(weave.pk))]) == "coupon_not_applicable"


def test_the_minimum_order_is_on_the_whole_subtotal_not_the_eligible_part(db):
    loom, weave = brand_create("Loom"), brand_create("Weave")
    coupon_create(code="LOOM20", value="20", brand_ids=[str(loom.pk)], min_order_value="2000.00")

    at_minimum = coupon_quote(code="LOOM20", user=None, lines=[
        line("500.00", brand=str(loom.pk)), line("1500.00", brand=str(weave.pk))])

    assert at_minimum.discount == Decimal("100.00")
    assert _refusal("LOOM20", [line("500.00", brand=str(loom.pk)), line("1499.99", brand=str(weave.pk))]) \
        == "coupon_min_order"


def test_unknown_and_inactive_codes_are_refused(db):
    coupon_create(code="OLD", is_active=False)

    assert _refusal("NOPE", [line("100.00")]) == "coupon_not_found"
    assert _refusal("", [line("100.00")]) == "coupon_not_found"
    assert _refusal("old", [line("100.00")]) == "coupon_inactive"


def test_the_validity_window_is_start_inclusive_and_end_exclusive(db):
    now = timezone.now()
    coupon_create(code="SOON", valid_from=now + timedelta(minutes=5))
    coupon_create(code="STARTED", valid_from=now - timedelta(seconds=1), valid_until=now + timedelta(minutes=5))
    coupon_create(code="ENDED", valid_until=now)

    assert _refusal("SOON", [line("100.00")]) == "coupon_not_started"
    assert coupon_quote(code="STARTED", user=None, lines=[line("100.00")]).discount == Decimal("10.00")
    assert _refusal("ENDED", [line("100.00")]) == "coupon_expired"


def test_a_used_up_coupon_is_refused_with_the_agreed_message(db):
    coupon_create(code="LAST", usage_limit=3, uses=3)
    coupon_create(code="ONELEFT", usage_limit=3, uses=2)

    with pytest.raises(CouponRefused) as refusal:
        coupon_quote(code="LAST", user=None, lines=[line("100.00")])

    assert (refusal.value.code, refusal.value.message) == ("coupon_exhausted", "This coupon is no longer available.")
    assert coupon_quote(code="ONELEFT", user=None, lines=[line("100.00")]).discount == Decimal("10.00")


def test_the_per_customer_limit_counts_only_that_customer(db):
    coupon = coupon_create(code="TWICE", per_customer_limit=2)
    asha, ravi = user_create(email="asha@example.com"), user_create(email="ravi@example.com")
    CouponCustomerUses.objects.create(coupon=coupon, user=asha, uses=2)
    CouponCustomerUses.objects.create(coupon=coupon, user=ravi, uses=1)

    assert _refusal("TWICE", [line("100.00")], user=asha) == "coupon_customer_limit"
    assert coupon_quote(code="TWICE", user=ravi, lines=[line("100.00")]).discount == Decimal("10.00")
    # A guest's quote has no customer to count.
    assert coupon_quote(code="TWICE", user=None, lines=[line("100.00")]).discount == Decimal("10.00")


def test_a_quote_writes_nothing(db):
    coupon = coupon_create(code="SAVE10", usage_limit=5, per_customer_limit=1)

    coupon_quote(code="SAVE10", user=user_create(), lines=[line("100.00")])

    assert Coupon.objects.get(pk=coupon.pk).uses == 0
    assert (CouponUse.objects.count(), CouponCustomerUses.objects.count()) == (0, 0)
