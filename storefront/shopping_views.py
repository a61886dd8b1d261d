"""The bag (cart) and the wishlist pages, and the header's bag badge.

Rules (stock caps, one line per size, merging) live in truestyle.shopping.services; these views
read the form, call one service and answer. With htmx, every change answers with the updated
fragment and `HX-Trigger: cartChanged` (the header badge listens for it and fetches its count);
without JavaScript, the same POST redirects back with a message (post/redirect/get).

A guest's bag belongs to the browser session; the session is created on the first add.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from storefront.account_auth_views import safe_next
from truestyle.core.errors import NotFound, StoreError
from truestyle.shopping import selectors, services

CART_TEMPLATE = "storefront/shopping/cart.html"
WISHLIST_TEMPLATE = "storefront/shopping/wishlist.html"
CART_CHANGED = "cartChanged"
GUEST_CART_KEY = "guest_cart"
# {variant id: price when first added}: shown as "price changed since you added it" on the bag page.
PRICES_SEEN_KEY = "cart_prices_seen"


def _fragment_wanted(request) -> bool:
    # A history restore (back button after htmx pushed a URL) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _changed(response):
    response["HX-Trigger"] = CART_CHANGED
    return response


def _quantity(raw) -> int | None:
    try:
        return int(str(raw).strip())
    except ValueError:
        return None


# --- whose bag --------------------------------------------------------------------------------------


def _current_cart(request, *, create: bool = False):
    """The signed-in shopper's bag, else this browser's; None when there is none yet and `create` is off."""
    if request.user.is_authenticated:
        if create:
            return services.cart_get_or_create(user=request.user)
        return selectors.cart_for_user(user=request.user)
    if create and not request.session.session_key:
        # A non-empty, modified session is saved and its cookie sent, so the bag outlives this request.
        request.session[GUEST_CART_KEY] = True
        request.session.save()
    key = request.session.session_key or ""
    if create:
        return services.cart_get_or_create(session_key=key)
    return selectors.cart_for_session(session_key=key)


def _remember_price(request, line) -> None:
    seen = request.session.get(PRICES_SEEN_KEY, {})
    variant_id = str(line.variant_id)
    if variant_id not in seen:
        seen[variant_id] = str(line.variant.product.price)
        request.session[PRICES_SEEN_KEY] = seen


def _forget_price(request, variant_id: str) -> None:
    seen = request.session.get(PRICES_SEEN_KEY, {})
    if variant_id in seen:
        del seen[variant_id]
        request.session[PRICES_SEEN_KEY] = seen


def _price_seen(seen: dict, line) -> Decimal | None:
    try:
        price = Decimal(seen[line.variant_id]) if line.variant_id in seen else None
    except (InvalidOperation, TypeError):
        return None
    return price if price is not None and price != line.unit_price else None


# --- bag page ---------------------------------------------------------------------------------------


def _cart_context(request, *, error: str = "", error_variant: str = "", notice: str = "") -> dict:
    lines = selectors.cart_lines(cart=_current_cart(request))
    seen = request.session.get(PRICES_SEEN_KEY, {}) if lines else {}
    rows = [{"line": line, "was": _price_seen(seen, line), "short": line.quantity > line.in_stock,
             "error": error if error and line.variant_id == error_variant else ""} for line in lines]
    return {
        "rows": rows, "count": sum(line.quantity for line in lines),
        "subtotal": sum((line.line_total for line in lines), Decimal("0")),
        "can_check_out": bool(lines) and not any(row["short"] for row in rows),
        "error": error if error and not any(row["error"] for row in rows) else "", "notice": notice,
    }


def _cart_page(request, **context):
    if _fragment_wanted(request):
        # htmx swaps only 2xx answers: a refusal comes back as 200 with its message in the fragment.
        return render(request, f"{CART_TEMPLATE}#cart-body", _cart_context(request, **context))
    return render(request, CART_TEMPLATE, _cart_context(request, **context))


def _after_cart_change(request, *, message: str = "", error: str = "", error_variant: str = ""):
    if _fragment_wanted(request):
        response = _cart_page(request, notice=message, error=error, error_variant=error_variant)
        return response if error else _changed(response)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect("storefront:cart")


@require_GET
def cart(request):
    return _cart_page(request)


@require_GET
@never_cache
def cart_badge(request):
    """The header's bag link content: fetched on every page load and after every `cartChanged`."""
    count = selectors.cart_item_count(cart=_current_cart(request))
    return render(request, "storefront/shopping/_badge.html", {"count": count})


@require_POST
def cart_add(request):
    """Add a size from the product page; the answer is the bag status under the button."""
    back = safe_next(request, reverse("storefront:cart"))
    variant_id = request.POST.get("variant", "").strip()
    quantity = _quantity(request.POST.get("quantity", "1"))
    line = None
    try:
        if not variant_id:
            raise StoreError("Choose a size first.", code="invalid", fields={"variant": ["Choose a size."]})
        if quantity is None or quantity < 1:
            raise StoreError("Enter a quantity of at least 1.", code="invalid")
        line = services.cart_add(cart=_current_cart(request, create=True), variant_id=variant_id, quantity=quantity)
    except StoreError as error:
        if _fragment_wanted(request):
            return render(request, "storefront/shopping/_bag_status.html", {"error": error.message})
        messages.error(request, error.message)
        return redirect(back)
    _remember_price(request, line)
    variant = line.variant
    added = f"{quantity} × {variant.product.name}, {variant.colourway.name}, size {variant.size}"
    message = f"Added to your bag: {added}."
    if _fragment_wanted(request):
        return _changed(render(request, "storefront/shopping/_bag_status.html", {"message": message}))
    messages.success(request, message)
    return redirect(back)


def _line_in_cart(request, variant_id: str):
    """This browser's (or shopper's) bag and its line of the variant; 404 for anyone else's or none."""
    cart = _current_cart(request)
    line = next((line for line in selectors.cart_lines(cart=cart) if line.variant_id == variant_id), None)
    if line is None:
        raise Http404("That size is not in your bag.")
    return cart, line


@require_POST
def cart_line(request, variant_id: str):
    """Set a line's quantity; 0 removes it. Raising it beyond stock is refused and changes nothing."""
    cart, line = _line_in_cart(request, variant_id)
    quantity = _quantity(request.POST.get("quantity", ""))
    if quantity is None:
        return _after_cart_change(request, error="Enter a whole number.", error_variant=variant_id)
    try:
        services.cart_set_quantity(cart=cart, variant_id=variant_id, quantity=quantity)
    except StoreError as error:
        return _after_cart_change(request, error=error.message, error_variant=variant_id)
    if quantity == 0:
        _forget_price(request, variant_id)
        return _after_cart_change(request, message=f"Removed {line.product_name} ({line.size}) from your bag.")
    return _after_cart_change(request, message=f"{line.product_name} ({line.size}): quantity {quantity}.")


@require_POST
def cart_line_remove(request, variant_id: str):
    cart, line = _line_in_cart(request, variant_id)
    services.cart_remove(cart=cart, variant_id=variant_id)
    _forget_price(request, variant_id)
    return _after_cart_change(request, message=f"Removed {line.product_name} ({line.size}) from your bag.")


# --- wishlist ---------------------------------------------------------------------------------------


def _signed_in(view):
    """Wishlists belong to accounts: a guest is sent to sign in, then back to where they were."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        here = request.get_full_path() if request.method == "GET" else reverse("storefront:wishlist")
        sign_in = f"{reverse('storefront:sign-in')}?{urlencode({'next': safe_next(request, here)})}"
        if request.htmx:
            return HttpResponseClientRedirect(sign_in)
        if request.method != "GET":
            messages.info(request, "Sign in to save items to your wishlist.")
        return redirect(sign_in)

    return wrapper


def _wishlist_page(request, *, notice: str = "", error: str = "", error_item: str = ""):
    rows = [{"item": item, "drop": item.price_when_added - item.price if item.price_dropped else None}
            for item in selectors.wishlist_for_user(user=request.user)]
    context = {"rows": rows, "notice": notice, "error": error, "error_item": error_item}
    if _fragment_wanted(request):
        return render(request, f"{WISHLIST_TEMPLATE}#wishlist-body", context)
    return render(request, WISHLIST_TEMPLATE, context)


def _after_wishlist_change(request, *, message: str = "", error: str = "", error_item: str = "",
                           cart_changed: bool = False):
    if _fragment_wanted(request):
        response = _wishlist_page(request, notice=message, error=error, error_item=error_item)
        return _changed(response) if cart_changed else response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect("storefront:wishlist")


def _wishlist_item(request, item_id: str):
    item = next((i for i in selectors.wishlist_for_user(user=request.user) if i.item_id == item_id), None)
    if item is None:
        raise Http404("That item is not in your wishlist.")
    return item


@require_GET
@_signed_in
def wishlist(request):
    return _wishlist_page(request)


@require_POST
@_signed_in
def wishlist_add(request):
    """Save the product (in the colour on screen) from the product page."""
    back = safe_next(request, reverse("storefront:wishlist"))
    product_id = request.POST.get("product", "")
    # Saving again must not switch off an opt-in the shopper gave on the wishlist page.
    current = next((i for i in selectors.wishlist_for_user(user=request.user) if i.product_id == product_id), None)
    try:
        item = services.wishlist_add(user=request.user, product_id=product_id,
                                     colourway_id=request.POST.get("colourway") or None,
                                     notify_price_drop=current.notify_price_drop if current else False)
    except StoreError as error:
        if _fragment_wanted(request):
            return render(request, "storefront/shopping/_wishlist_button.html", {"error": error.message})
        messages.error(request, error.message)
        return redirect(back)
    message = f"Saved {item.product.name} to your wishlist."
    if _fragment_wanted(request):
        return render(request, "storefront/shopping/_wishlist_button.html", {"saved": True, "message": message})
    messages.success(request, message)
    return redirect(back)


@require_POST
@_signed_in
def wishlist_remove(request, item_id: str):
    item = _wishlist_item(request, item_id)
    services.wishlist_remove(user=request.user, item_id=item_id)
    return _after_wishlist_change(request, message=f"Removed {item.product_name} from your wishlist.")


@require_POST
@_signed_in
def wishlist_move(request, item_id: str):
    """Put the chosen size in the bag and take the item off the wishlist; a refusal changes neither."""
    item = _wishlist_item(request, item_id)
    variant_id = request.POST.get("variant", "")
    size = next((s["size"] for s in item.sizes_in_stock if s["variant_id"] == variant_id), "")
    try:
        if not variant_id:
            raise StoreError("Choose a size first.", code="invalid")
        services.wishlist_move_to_cart(user=request.user, item_id=item_id, variant_id=variant_id)
    except NotFound as error:
        if error.code == "wishlist_item_not_found":
            raise Http404(error.message)
        return _after_wishlist_change(request, error=error.message, error_item=item_id)
    except StoreError as error:
        return _after_wishlist_change(request, error=error.message, error_item=item_id)
    return _after_wishlist_change(request, cart_changed=True,
                                  message=f"Moved {item.product_name}{f' ({size})' if size else ''} to your bag.")


@require_POST
@_signed_in
def wishlist_notify(request, item_id: str):
    """Opt in or out of the price-drop email: the form sends the state it asks for."""
    item = _wishlist_item(request, item_id)
    enabled = request.POST.get("enabled") == "1"
    services.wishlist_notify_set(user=request.user, item_id=item_id, enabled=enabled)
    message = (f"We will email you when {item.product_name} gets cheaper." if enabled
               else f"No more price-drop emails for {item.product_name}.")
    return _after_wishlist_change(request, message=message)
