"""Accounts API: one view per action; validation here, rules in truestyle.accounts.services."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts import serializers as s
from api.serializers import ErrorSerializer, refuse_body
from truestyle.accounts import selectors, services
from truestyle.accounts.services.tokens import FAMILY_CLAIM

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `fields` names each problem."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in, or the token is invalid."),
    429: OpenApiResponse(ErrorSerializer, description="Too many attempts; see the Retry-After header."),
}
OTP_ACCEPTED = "If an account exists for this email, a code is on its way."


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def client_device(request, declared: str = "") -> str:
    return (declared or request.headers.get("User-Agent", ""))[:300]


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


def _token_pair(access: str, refresh: str) -> dict:
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    return s.TokenPairOutput({"access": access, "refresh": refresh, "token_type": "Bearer",
                              "expires_in": int(lifetime.total_seconds())}).data


def _user(user) -> dict:
    return s.UserOutput({"id": str(user.pk), "email": user.email, "name": user.name, "phone": user.phone,
                         "status": user.status, "is_staff": user.is_staff, "date_joined": user.date_joined}).data


def _address(address) -> dict:
    return s.AddressOutput({**{f: getattr(address, f) for f in ("label", "name", "phone", "line1", "line2", "city",
                                                                 "state", "pincode", "is_default")},
                            "id": str(address.pk)}).data


class PublicAPIView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]


class RegisterView(PublicAPIView):
    @extend_schema(summary="Create a shopper account", request=s.RegisterInput,
                   responses={201: s.UserOutput, **_errors(400, 429)}, tags=["auth"])
    def post(self, request):
        data = s.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data, ip=client_ip(request))
        return Response(_user(user), status=status.HTTP_201_CREATED)


class TokenView(PublicAPIView):
    @extend_schema(summary="Sign in: email and password for an access and a refresh token", request=s.TokenInput,
                   responses={200: s.TokenPairOutput, **_errors(400, 401, 429)}, tags=["auth"])
    def post(self, request):
        data = s.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.sign_in_authenticate(request=request, email=data.validated_data["email"],
                                             password=data.validated_data["password"], ip=client_ip(request))
        access, refresh = services.token_pair_issue(
            user=user, device=client_device(request, data.validated_data["device"]), ip=client_ip(request))
        services.audit_sign_in(user=user, channel="api", ip=client_ip(request))
        return Response(_token_pair(access, refresh))


class TokenRefreshView(PublicAPIView):
    @extend_schema(summary="Rotate a refresh token for a new pair (the old one is spent)", request=s.RefreshInput,
                   responses={200: s.TokenPairOutput, **_errors(400, 401)}, tags=["auth"])
    def post(self, request):
        data = s.RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        access, refresh = services.token_refresh_rotate(
            refresh_token=data.validated_data["refresh"],
            device=client_device(request, data.validated_data["device"]) if data.validated_data["device"] else "",
            ip=client_ip(request))
        return Response(_token_pair(access, refresh))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Sign this device out (revokes its refresh token family)", request=s.LogoutInput,
                   responses={204: None, **_errors(400, 401)}, tags=["auth"])
    def post(self, request):
        data = s.LogoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.token_logout(user=request.user, refresh_token=data.validated_data["refresh"])
        services.audit_sign_out(user=request.user, channel="api", ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordOtpView(PublicAPIView):
    @extend_schema(summary="Email a 6-digit password reset code (same answer for unknown emails)",
                   request=s.OtpRequestInput, responses={202: s.DetailOutput, **_errors(400, 429)}, tags=["auth"])
    def post(self, request):
        data = s.OtpRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(email=data.validated_data["email"], ip=client_ip(request))
        return Response({"detail": OTP_ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class PasswordResetView(PublicAPIView):
    @extend_schema(summary="Set a new password with the emailed code; every session ends",
                   request=s.PasswordResetInput, responses={200: s.DetailOutput, **_errors(400, 429)}, tags=["auth"])
    def post(self, request):
        data = s.PasswordResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(**data.validated_data, ip=client_ip(request))
        return Response({"detail": "Your password has been reset. Sign in with the new password."})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The signed-in user", responses={200: s.UserOutput, **_errors(401)}, tags=["me"])
    def get(self, request):
        return Response(_user(request.user))

    @extend_schema(summary="Edit name and phone", request=s.ProfileInput,
                   responses={200: s.UserOutput, **_errors(400, 401)}, tags=["me"])
    def patch(self, request):
        data = s.ProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_profile_update(user=request.user,
                                            name=data.validated_data.get("name", request.user.name),
                                            phone=data.validated_data.get("phone", request.user.phone))
        return Response(_user(user))


class EmailChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Change the sign-in email (asks for the password)", request=s.EmailChangeInput,
                   responses={200: s.UserOutput, **_errors(400, 401)}, tags=["me"])
    def post(self, request):
        data = s.EmailChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_email_change(user=request.user, **data.validated_data, ip=client_ip(request))
        return Response(_user(user))


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Change the password; every session and device is signed out",
                   request=s.PasswordChangeInput, responses={204: None, **_errors(400, 401)}, tags=["me"])
    def post(self, request):
        data = s.PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_password_change(user=request.user, **data.validated_data, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeactivateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Close the account (asks for the password)", request=s.PasswordConfirmInput,
                   responses={204: None, **_errors(400, 401)}, tags=["me"])
    def post(self, request):
        data = s.PasswordConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_deactivate(user=request.user, password=data.validated_data["password"], ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The address book", responses={200: s.AddressOutput(many=True), **_errors(401)},
                   tags=["me"])
    def get(self, request):
        return Response([_address(a) for a in selectors.user_addresses(user=request.user)])

    @extend_schema(summary="Add an address", request=s.AddressInput,
                   responses={201: s.AddressOutput, **_errors(400, 401)}, tags=["me"])
    def post(self, request):
        data = s.AddressInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        make_default = values.pop("is_default")
        address = services.address_create(user=request.user, values=values, make_default=make_default)
        return Response(_address(address), status=status.HTTP_201_CREATED)


class AddressDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="One address", responses={200: s.AddressOutput, 404: ErrorSerializer, **_errors(401)},
                   tags=["me"])
    def get(self, request, address_id):
        from truestyle.accounts.services.addresses import _owned

        return Response(_address(_owned(request.user, address_id)))

    @extend_schema(summary="Replace an address", request=s.AddressInput,
                   responses={200: s.AddressOutput, 404: ErrorSerializer, **_errors(400, 401)}, tags=["me"])
    def put(self, request, address_id):
        data = s.AddressInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        make_default = values.pop("is_default")
        address = services.address_update(user=request.user, address_id=address_id, values=values)
        if make_default:
            address = services.address_set_default(user=request.user, address_id=address_id)
        return Response(_address(address))

    @extend_schema(summary="Delete an address", responses={204: None, 404: ErrorSerializer, **_errors(401)},
                   tags=["me"])
    def delete(self, request, address_id):
        refuse_body(request)
        services.address_delete(user=request.user, address_id=address_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressDefaultView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Make an address the default for shipping", request=None,
                   responses={200: s.AddressOutput, 404: ErrorSerializer, **_errors(401)}, tags=["me"])
    def post(self, request, address_id):
        refuse_body(request)
        return Response(_address(services.address_set_default(user=request.user, address_id=address_id)))


class SessionListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Signed-in browsers and app devices", responses={200: s.SessionOutput(many=True),
                                                                             **_errors(401)}, tags=["me"])
    def get(self, request):
        family = request.auth.get(FAMILY_CLAIM) if request.auth is not None else None
        return Response(s.SessionOutput(selectors.user_sessions(user=request.user, current_family=family),
                                        many=True).data)


class SessionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Sign out one browser or device", responses={204: None, 404: ErrorSerializer,
                                                                         **_errors(401)}, tags=["me"])
    def delete(self, request, session_id):
        refuse_body(request)
        services.session_end(user=request.user, session_id=session_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Sign out every browser and device, this one included", request=None,
                   responses={204: None, **_errors(401)}, tags=["me"])
    def post(self, request):
        refuse_body(request)
        services.sessions_end_all(user=request.user, reason="signed_out_everywhere")
        return Response(status=status.HTTP_204_NO_CONTENT)
