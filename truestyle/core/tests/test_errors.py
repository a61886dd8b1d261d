"""Pages fail in the store's look; the API fails with one JSON shape."""

import json

import pytest

pytestmark = pytest.mark.urls("truestyle.core.tests.error_urls")


@pytest.fixture
def quiet_client(client):
    client.raise_request_exception = False
    return client


def test_unknown_page_is_a_store_404_page(db, client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "We could not find the page you were looking for." in response.content.decode()
    assert "TrueStyle" in response.content.decode()


def test_unknown_api_path_is_json_404(db, client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "We could not find that page.", "fields": {}}}


def test_forbidden_page_is_a_store_403_page(db, client):
    response = client.get("/forbidden")

    assert response.status_code == 403
    assert "You do not have permission to see this page." in response.content.decode()


def test_crash_is_a_plain_500_page(db, quiet_client):
    response = quiet_client.get("/crash")

    assert response.status_code == 500
    assert "Something went wrong on our side." in response.content.decode()


def test_api_crash_is_json_500(db, quiet_client):
    response = quiet_client.get("/api/v1/test/crash")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_validation_errors_name_each_field(db, client):
    response = client.post("/api/v1/test/validate", {"size": "XXL", "quantity": 0}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Some fields are not valid.",
            "fields": {
                "size": ['"XXL" is not a valid choice.'],
                "quantity": ["Ensure this value is greater than or equal to 1."],
            },
        }
    }


def test_wrong_method_is_405_json(db, client):
    response = client.get("/api/v1/test/validate")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response.json()["error"]["message"] == 'Method "GET" not allowed.'


def test_wrong_media_type_is_415_json(db, client):
    response = client.post("/api/v1/test/validate", "size=M", content_type="text/plain")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_malformed_json_is_400_json(db, client):
    response = client.post("/api/v1/test/validate", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_store_error_keeps_its_code_and_status(db, client):
    response = client.get("/api/v1/test/refuse")

    assert response.status_code == 409
    assert json.loads(response.content) == {
        "error": {"code": "coupon_unavailable", "message": "Coupon no longer available.", "fields": {}}
    }
