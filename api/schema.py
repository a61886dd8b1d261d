"""drf-spectacular extensions shared by every API operation.

- Our JWT authentication is documented as a bearer scheme.
- `StoreAutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) documents the errors every
  operation can answer in the one error shape, from what the view declares, so that an
  endpoint added later is documented without anyone remembering to: 400 always (the
  operator guard reads every query string), 401 when the view authenticates, 403 when
  it needs more than a sign-in, 404 when its path has parameters (or it is a paginated
  list), 415 for unsafe methods, 429 when it is throttled. Responses a view declares itself are kept as they are.
"""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly

BODY_METHODS = {"POST", "PUT", "PATCH"}
# Permissions that only ask "signed in or not": failing them is a 401, never a 403.
SIGN_IN_ONLY = (AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly)
ERROR_DESCRIPTIONS = {
    400: "Invalid input: `invalid` (see `fields`), `unknown_field` (a field the operation does not take) "
         "or `invalid_input` (a key containing '$' or '.', or a query value starting with '$').",
    401: "Not signed in, or the bearer token is invalid or expired.",
    403: "Signed in without the permission this operation needs.",
    404: "Nothing exists at this address (or, for a paginated list, no such page).",
    415: "The body is not JSON (send Content-Type: application/json).",
    429: "Too many attempts; see the Retry-After header.",
}


class StoreJWTScheme(SimpleJWTScheme):
    target_class = "api.authentication.StoreJWTAuthentication"
    name = "jwtAuth"


class StoreAutoSchema(AutoSchema):
    def error_status_codes(self) -> list[int]:
        """The error statuses this operation can answer, derived from the view's declared behaviour."""
        view = self.view
        codes = [400]
        if view.get_authenticators():
            codes.append(401)
        permissions = view.get_permissions()
        if any(not isinstance(permission, SIGN_IN_ONLY) for permission in permissions):
            codes.append(403)
        if any(isinstance(permission, IsAuthenticated) for permission in permissions):
            codes.append(401)
        if "{" in self.path or (self._is_list_view() and getattr(view, "pagination_class", None)):
            codes.append(404)  # an unknown id, or a page past the last one
        if self.method in BODY_METHODS | {"DELETE"}:
            codes.append(415)  # even an operation without a body parses (and refuses) what it is sent
        if view.get_throttles():
            codes.append(429)
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        from api.serializers import ErrorSerializer

        responses = super()._get_response_bodies(direction)
        for code in self.error_status_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), str(code),
                    direction=direction)
        return responses
