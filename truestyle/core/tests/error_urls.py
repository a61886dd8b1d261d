"""Views that fail in each way the error handlers must shape (test-only URLconf)."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from truestyle.core.errors import StoreError


class SizeInput(serializers.Serializer):
    size = serializers.ChoiceField(choices=["S", "M", "L"])
    quantity = serializers.IntegerField(min_value=1)


class ValidatingView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    def post(self, request):
        SizeInput(data=request.data).is_valid(raise_exception=True)
        return Response({"ok": True})


class RefusingView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise StoreError("Coupon no longer available.", code="coupon_unavailable", status=409)


class CrashingView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("boom")


def forbidden_page(request):
    raise PermissionDenied


def crashing_page(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("api/v1/test/validate", ValidatingView.as_view()),
    path("api/v1/test/refuse", RefusingView.as_view()),
    path("api/v1/test/crash", CrashingView.as_view()),
    path("forbidden", forbidden_page),
    path("crash", crashing_page),
    path("", include("truestyle.urls")),
]

handler400 = "truestyle.core.errors.bad_request"
handler403 = "truestyle.core.errors.permission_denied"
handler404 = "truestyle.core.errors.page_not_found"
handler500 = "truestyle.core.errors.server_error"
