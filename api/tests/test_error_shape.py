"""Every API refusal has the one error shape {"error": {"code", "message", "fields"}}."""

from rest_framework import exceptions

from api.errors import api_exception_handler
from truestyle.accounts.models import User


def test_unknown_url_under_the_api_is_a_json_404(api, db):
    for url in ("/api/v1/no-such-endpoint", "/api/v1/me/addresses/a/b/c", "/api/v1/"):
        response = api.get(url)

        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"error": {"code": "not_found", "message": "We could not find that page.",
                                             "fields": {}}}


def test_a_method_the_operation_does_not_take_is_405(api, db):
    response = api.delete("/api/v1/catalog/brands")

    assert response.status_code == 405
    assert response.json() == {"error": {"code": "method_not_allowed", "message": 'Method "DELETE" not allowed.',
                                         "fields": {}}}


def test_a_body_that_is_not_json_is_415_and_nothing_is_written(api, db):
    response = api.post("/api/v1/auth/register", "email=a@example.com&name=A&password=secret-secret",
                        content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json() == {"error": {"code": "unsupported_media_type",
                                         "message": 'Unsupported media type "application/x-www-form-urlencoded" '
                                                    'in request.',
                                         "fields": {}}}
    assert User.objects.count() == 0


def test_malformed_json_is_a_400_parse_error(api, db):
    response = api.post("/api/v1/auth/token", '{"email": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert response.json()["error"]["fields"] == {}


def test_a_validation_error_names_each_field(api, db):
    response = api.post("/api/v1/auth/register", {"email": "a@example.com"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid", "message": "Some fields are not valid.", "fields": {
        "name": ["This field is required."], "password": ["This field is required."]}}}
    assert User.objects.count() == 0


def test_drf_throttling_is_429_in_the_shape_with_retry_after():
    response = api_exception_handler(exceptions.Throttled(wait=7), {})

    assert response.status_code == 429
    assert response["Retry-After"] == "7"
    assert response.data == {"error": {"code": "throttled", "message": "Request was throttled. Expected available "
                                                                       "in 7 seconds.", "fields": {}}}
