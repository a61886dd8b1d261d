"""drf-spectacular extensions: our JWT authentication is documented as a bearer scheme."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class StoreJWTScheme(SimpleJWTScheme):
    target_class = "api.authentication.StoreJWTAuthentication"
    name = "jwtAuth"
