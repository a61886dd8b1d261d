"""Staff API actions on customers. Each view names its staff permission (api.permissions)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.serializers import UserOutput
from api.accounts.views import ERRORS, client_ip
from api.permissions import staff_permission
from api.serializers import ErrorSerializer, PlainCharField, StrictSerializer, refuse_body
from truestyle.accounts import selectors, services
from truestyle.accounts.roles import ROLE_PERMISSIONS
from truestyle.accounts.services.roles import user_roles
from truestyle.core.errors import NotFound


class StaffCustomerOutput(UserOutput):
    roles = serializers.ListField(child=serializers.CharField())
    blocked_reason = serializers.CharField()


def _customer(user) -> dict:
    return StaffCustomerOutput({
        "id": str(user.pk), "email": user.email, "name": user.name, "phone": user.phone, "status": user.status,
        "is_staff": user.is_staff, "date_joined": user.date_joined, "roles": sorted(user_roles(user)),
        "blocked_reason": user.blocked_reason,
    }).data


def _target(user_id):
    user = selectors.user_for_staff(user_id=user_id)
    if user is None:
        raise NotFound("That customer does not exist.", code="customer_not_found")
    return user


class BlockInput(StrictSerializer):
    reason = PlainCharField(max_length=300)


class RolesInput(StrictSerializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=sorted(ROLE_PERMISSIONS)), allow_empty=True)


class CustomerListView(ListAPIView):
    permission_classes = [staff_permission("view_customers")]
    serializer_class = StaffCustomerOutput

    def get_queryset(self):
        return selectors.customer_search(query=self.request.query_params.get("q", ""),
                                         status=self.request.query_params.get("status", ""))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_customer(user) for user in page])

    @extend_schema(summary="Customers (staff)", tags=["staff"], parameters=[
        OpenApiParameter("q", str, description="Search in email and name"),
        OpenApiParameter("status", str, enum=["active", "blocked", "deactivated"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CustomerDetailView(APIView):
    permission_classes = [staff_permission("view_customers")]

    @extend_schema(summary="One customer (staff)", responses={200: StaffCustomerOutput, 404: ErrorSerializer},
                   tags=["staff"])
    def get(self, request, user_id):
        return Response(_customer(_target(user_id)))


class CustomerBlockView(APIView):
    permission_classes = [staff_permission("block_customers")]

    @extend_schema(summary="Block a customer: no sign-in, sessions end (staff)", request=BlockInput,
                   responses={200: StaffCustomerOutput, 404: ErrorSerializer, 400: ERRORS[400]}, tags=["staff"])
    def post(self, request, user_id):
        data = BlockInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_block(actor=request.user, user=_target(user_id), reason=data.validated_data["reason"],
                                   ip=client_ip(request))
        return Response(_customer(user))


class CustomerUnblockView(APIView):
    permission_classes = [staff_permission("block_customers")]

    @extend_schema(summary="Unblock a customer (staff)", request=None,
                   responses={200: StaffCustomerOutput, 404: ErrorSerializer}, tags=["staff"])
    def post(self, request, user_id):
        refuse_body(request)
        return Response(_customer(services.user_unblock(actor=request.user, user=_target(user_id),
                                                        ip=client_ip(request))))


class CustomerRolesView(APIView):
    permission_classes = [staff_permission("assign_roles")]

    @extend_schema(summary="Set a user's roles (administrators)", request=RolesInput,
                   responses={200: StaffCustomerOutput, 404: ErrorSerializer, 400: ERRORS[400]}, tags=["staff"])
    def put(self, request, user_id):
        data = RolesInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_roles_set(actor=request.user, user=_target(user_id),
                                       roles=set(data.validated_data["roles"]), ip=client_ip(request))
        return Response(_customer(user))
