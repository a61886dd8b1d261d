"""`/files/<name>` over Django's test client, against files really stored in GridFS."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from bson import ObjectId
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.http import http_date
from PIL import Image

from truestyle.core.images import normalize_image
from truestyle.core.storage import GridFSStorage

CACHE_FOREVER = "public, max-age=31536000, immutable"


def _stored(data: bytes, *, name: str = "file.bin", content_type: str | None = None) -> str:
    content = ContentFile(data)
    if content_type:
        content.content_type = content_type
    return default_storage.save(name, content)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), (10, 120, 200)).save(buffer, format="PNG")
    return normalize_image(ContentFile(buffer.getvalue())).read()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_stored_image_is_sent_with_its_type_length_etag_and_cache_headers(db, client):
    data = _png()
    name = _stored(data, name="x.png", content_type="image/png")
    uploaded = default_storage.get_created_time(name)

    response = client.get(f"/files/{name}")

    assert response.status_code == 200
    assert response.streaming
    assert _body(response) == data
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Length"] == str(len(data))
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert response.headers["Cache-Control"] == CACHE_FOREVER
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Last-Modified"] == http_date(uploaded.timestamp())
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    assert "Content-Disposition" not in response.headers
    assert "Vary" not in response.headers and "Set-Cookie" not in response.headers


def test_the_bare_id_finds_the_file_too(db, client):
    name = _stored(b"hello", name="a.txt")

    response = client.get(f"/files/{name[:24]}")

    assert response.status_code == 200
    assert _body(response) == b"hello"


def test_a_three_megabyte_file_streams_in_gridfs_chunks(db, client):
    data = os.urandom(3 * 1024 * 1024)
    name = _stored(data)

    response = client.get(f"/files/{name}")

    chunks = list(response.streaming_content)
    assert b"".join(chunks) == data
    assert [len(chunk) for chunk in chunks[:12]] == [261_120] * 12
    assert len(chunks) == 13
    assert response.headers["Content-Length"] == "3145728"


def test_a_matching_if_none_match_gets_304_without_a_body(db, client):
    data = _png()
    name = _stored(data, content_type="image/png")
    etag = f'"{hashlib.sha256(data).hexdigest()}"'

    response = client.get(f"/files/{name}", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == CACHE_FOREVER
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_if_none_match_with_several_tags_or_a_weak_tag_still_matches(db, client):
    data = b"some bytes"
    name = _stored(data)
    digest = hashlib.sha256(data).hexdigest()

    several = client.get(f"/files/{name}", headers={"If-None-Match": f'"other", "{digest}"'})
    weak = client.get(f"/files/{name}", headers={"If-None-Match": f'W/"{digest}"'})

    assert (several.status_code, weak.status_code) == (304, 304)


def test_a_stale_if_none_match_gets_the_file(db, client):
    name = _stored(b"fresh")

    response = client.get(f"/files/{name}", headers={"If-None-Match": '"stale"'})

    assert response.status_code == 200
    assert _body(response) == b"fresh"


def test_head_sends_the_headers_and_no_body(db, client):
    data = _png()
    name = _stored(data, content_type="image/png")

    response = client.head(f"/files/{name}")

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Length"] == str(len(data))
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert response.headers["Cache-Control"] == CACHE_FOREVER


def test_an_unknown_id_is_404(db, client):
    assert client.get(f"/files/{ObjectId()}.png").status_code == 404
    assert client.get(f"/files/{ObjectId()}").status_code == 404


@pytest.mark.parametrize(
    "file_id",
    ["not-an-id", "6650c1e2a4b3f2d1e0c9b8a", "6650C1E2A4B3F2D1E0C9B8A7", "6650c1e2a4b3f2d1e0c9b8a7.", "..", "%00"],
)
def test_a_malformed_id_is_404(db, client, file_id):
    assert client.get(f"/files/{file_id}").status_code == 404


def test_the_right_id_with_the_wrong_extension_is_404(db, client):
    name = _stored(b"x", name="a.txt")

    assert client.get(f"/files/{name[:24]}.png").status_code == 404


def test_only_get_and_head_are_allowed(db, client):
    name = _stored(b"x")

    response = client.post(f"/files/{name}")

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert client.delete(f"/files/{name}").status_code == 405
    assert default_storage.exists(name) is True


def test_a_file_that_is_not_an_image_is_sent_as_a_download(db, client):
    name = _stored(b"<script>alert(1)</script>", name="page.html", content_type="text/html")

    response = client.get(f"/files/{name}")

    assert response.headers["Content-Type"] == "text/html"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_in_another_bucket_is_not_served(db, client):
    name = GridFSStorage(bucket_name="backups").save("db.tar.gz", ContentFile(b"secret"))

    assert client.get(f"/files/{name}").status_code == 404
