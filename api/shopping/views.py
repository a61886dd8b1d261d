"""Cart and wishlist API for the signed-in shopper: validation here, rules in truestyle.shopping.services.

Every object is looked up inside the caller's own cart or wishlist, so another shopper's line
or item answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from decimal import Decimal

from bson import ObjectId
from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer, refuse_body
from api.shopping import serializers as s
from truestyle.core.errors import NotFound
from truestyle.shopping import selectors, services

STOCK_CONFLICT = OpenApiResponse(ErrorSerializer, description="`not_enough_stock`: more than is in stock "
                                                             "(`fields.quantity` says how many are left), or "
                                                             "`conflict`: the bag changed meanwhile.")
LINE_NOT_FOUND = "That size is not in your bag."
ITEM_NOT_FOUND = "That item is not in your wishlist."


def cart_payload(user) -> dict:
    """The shopper's bag as the API shows it (an empty bag when none was ever created)."""
    cart = selectors.cart_for_user(user=user)
    lines = selectors.cart_lines(cart=cart)
    return s.CartOutput({
        "lines": [{**line.__dict__, "line_total": line.line_total} for line in lines],
        "item_count": sum(line.quantity for line in lines),
        "subtotal": sum((line.line_total for line in lines), Decimal("0.00")),
        "currency": settings.STORE_CURRENCY,
    }).data


def _own_line_variant(user, variant_id: str) -> str:
    """The variant id if it is a line of the caller's own bag; otherwise 404."""
    cart = selectors.cart_for_user(user=user)
    if not ObjectId.is_valid(variant_id) or not any(
            line.variant_id == variant_id for line in selectors.cart_lines(cart=cart)):
        raise NotFound(LINE_NOT_FOUND, code="cart_line_not_found")
    return variant_id


def _wishlist_item(user, item_id: str) -> dict:
    for item in selectors.wishlist_for_user(user=user):
        if item.item_id == item_id:
            return s.WishlistItemOutput({**item.__dict__, "id": item.item_id,
                                         "price_dropped": item.price_dropped}).data
    raise NotFound(ITEM_NOT_FOUND, code="wishlist_item_not_found")


def _own_item_id(item_id: str) -> str:
    if not ObjectId.is_valid(item_id):
        raise NotFound(ITEM_NOT_FOUND, code="wishlist_item_not_found")
    return item_id


class ShopperAPIView(APIView):
    permission_classes = [IsAuthenticated]


class CartView(ShopperAPIView):
    @extend_schema(summary="The bag: lines at today's prices, subtotal and item count",
                   responses={200: s.CartOutput}, tags=["cart"])
    def get(self, request):
        return Response(cart_payload(request.user))


class CartLineListView(ShopperAPIView):
    @extend_schema(summary="Add a size to the bag (summed with what it holds; capped by stock)",
                   request=s.CartLineAddInput,
                   responses={200: s.CartOutput, 404: OpenApiResponse(ErrorSerializer, description=(
                       "`variant_not_found`: that size is not for sale.")), 409: STOCK_CONFLICT}, tags=["cart"])
    def post(self, request):
        data = s.CartLineAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        cart = services.cart_get_or_create(user=request.user)
        services.cart_add(cart=cart, variant_id=data.validated_data["variant_id"],
                          quantity=data.validated_data["quantity"])
        return Response(cart_payload(request.user))


class CartLineDetailView(ShopperAPIView):
    @extend_schema(summary="Change the quantity of a line of the bag (0 removes it)", request=s.CartLineQuantityInput,
                   responses={200: s.CartOutput, 409: STOCK_CONFLICT}, tags=["cart"])
    def patch(self, request, variant_id):
        data = s.CartLineQuantityInput(data=request.data)
        data.is_valid(raise_exception=True)
        variant_id = _own_line_variant(request.user, variant_id)
        cart = services.cart_get_or_create(user=request.user)
        services.cart_set_quantity(cart=cart, variant_id=variant_id, quantity=data.validated_data["quantity"])
        return Response(cart_payload(request.user))

    @extend_schema(summary="Take a line out of the bag", responses={200: s.CartOutput}, tags=["cart"])
    def delete(self, request, variant_id):
        refuse_body(request)
        variant_id = _own_line_variant(request.user, variant_id)
        services.cart_remove(cart=services.cart_get_or_create(user=request.user), variant_id=variant_id)
        return Response(cart_payload(request.user))


class WishlistView(ShopperAPIView):
    @extend_schema(summary="The wishlist, newest first, with today's prices and the sizes in stock",
                   responses={200: s.WishlistItemOutput(many=True)}, tags=["wishlist"])
    def get(self, request):
        return Response([s.WishlistItemOutput({**item.__dict__, "id": item.item_id,
                                               "price_dropped": item.price_dropped}).data
                         for item in selectors.wishlist_for_user(user=request.user)])

    @extend_schema(summary="Save a product (saving it again updates the colour and the price-drop opt-in)",
                   request=s.WishlistAddInput,
                   responses={201: s.WishlistItemOutput, 404: OpenApiResponse(ErrorSerializer, description=(
                       "`product_not_found`: that product is not for sale."))}, tags=["wishlist"])
    def post(self, request):
        data = s.WishlistAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.wishlist_add(user=request.user, product_id=data.validated_data["product_id"],
                                     colourway_id=data.validated_data["colourway_id"],
                                     notify_price_drop=data.validated_data["notify_price_drop"])
        return Response(_wishlist_item(request.user, str(item.pk)), status=status.HTTP_201_CREATED)


class WishlistItemView(ShopperAPIView):
    @extend_schema(summary="Opt a wishlist item in or out of the price-drop email", request=s.WishlistNotifyInput,
                   responses={200: s.WishlistItemOutput}, tags=["wishlist"])
    def patch(self, request, item_id):
        data = s.WishlistNotifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.wishlist_notify_set(user=request.user, item_id=_own_item_id(item_id),
                                     enabled=data.validated_data["notify_price_drop"])
        return Response(_wishlist_item(request.user, item_id))

    @extend_schema(summary="Remove an item from the wishlist", responses={204: None}, tags=["wishlist"])
    def delete(self, request, item_id):
        refuse_body(request)
        if not services.wishlist_remove(user=request.user, item_id=_own_item_id(item_id)):
            raise NotFound(ITEM_NOT_FOUND, code="wishlist_item_not_found")
        return Response(status=status.HTTP_204_NO_CONTENT)


class WishlistMoveView(ShopperAPIView):
    @extend_schema(summary="Put a size of a wishlisted product in the bag and take it off the wishlist",
                   request=s.WishlistMoveInput, responses={200: s.CartOutput, 409: STOCK_CONFLICT},
                   tags=["wishlist"])
    def post(self, request, item_id):
        data = s.WishlistMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.wishlist_move_to_cart(user=request.user, item_id=_own_item_id(item_id),
                                       variant_id=data.validated_data["variant_id"],
                                       quantity=data.validated_data["quantity"])
        return Response(cart_payload(request.user))
