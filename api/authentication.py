"""JWT bearer authentication that answers 401 (never 500) for any bad token."""

from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken


class StoreJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token):
        from bson import ObjectId

        user_id = validated_token.get("user_id")
        if not user_id or not ObjectId.is_valid(str(user_id)):
            raise InvalidToken("Token contained no recognizable user identification")
        return super().get_user(validated_token)

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            raise
        except Exception as error:  # malformed tokens must never become a server error
            raise InvalidToken("Given token not valid for any token type") from error

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
