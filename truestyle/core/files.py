"""`/files/<name>`: stored media, streamed from GridFS, cacheable forever.

A stored file never changes (truestyle.core.storage: a new upload gets a new
name), so its URL can be cached by browsers and proxies for a year without
revalidation. The ETag is the SHA-256 of the bytes recorded at upload, so a
client revalidating anyway gets `304 Not Modified` without the body being read.

Everything in the default storage's bucket is public: files that are not
(backup archives) belong in another bucket, which this view never reads.
"""

from __future__ import annotations

from datetime import UTC

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe
from gridfs import GridOut
from gridfs.errors import NoFile

from truestyle.core.storage import DEFAULT_CONTENT_TYPE, STORED_NAME, GridFSStorage, parse_stored_name

CACHE_FOREVER = "public, max-age=31536000, immutable"
# Shown in the browser when opened directly; every other type is downloaded, so
# that a stored HTML or SVG file can never run script on the store's origin.
INLINE_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"})
# Even a file shown inline may not run script, load anything or be a document with an origin.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _media_storage() -> GridFSStorage:
    storage = storages["default"]
    if not isinstance(storage, GridFSStorage):
        raise ImproperlyConfigured("serve_file needs STORAGES['default'] to be truestyle.core.storage.GridFSStorage.")
    return storage


def _open_stored(file_id: str) -> GridOut:
    """The stored file `file_id` names (`<id>` or the full stored name `<id>.<ext>`), or Http404."""
    object_id = parse_stored_name(file_id)
    if object_id is None:
        raise Http404("No such file.")
    try:
        grid_out = _media_storage().bucket().open_download_stream(object_id)
    except NoFile:
        raise Http404("No such file.") from None
    if STORED_NAME.match(file_id)["extension"] and grid_out.filename != file_id:
        grid_out.close()
        raise Http404("No such file.")
    return grid_out


def _chunks(grid_out: GridOut):
    """The file's GridFS chunks (255 KiB each) as they are read; closes the file at the end or on disconnect."""
    try:
        while chunk := grid_out.readchunk():
            yield chunk
    finally:
        grid_out.close()


@require_safe
def serve_file(request, file_id: str) -> HttpResponseBase:
    """Send the stored file with its stored content type, or 304 if the client's copy is current.

    404 for a malformed or unknown id; 405 for methods other than GET and HEAD.
    """
    grid_out = _open_stored(file_id)
    metadata = grid_out.metadata or {}
    content_type = metadata.get("contentType") or DEFAULT_CONTENT_TYPE
    # Files stored without a digest (not by GridFSStorage) still have an id that never changes.
    etag = f'"{metadata.get("sha256") or grid_out._id}"'
    last_modified = grid_out.upload_date.replace(tzinfo=UTC).timestamp()
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": CACHE_FOREVER,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    }
    if content_type not in INLINE_CONTENT_TYPES:
        headers["Content-Disposition"] = content_disposition_header(True, grid_out.filename)

    unconditional = HttpResponse(headers=headers)
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified, response=unconditional)
    if conditional is not unconditional:  # 304 Not Modified (or 412 for If-Match)
        grid_out.close()
        conditional.headers["X-Content-Type-Options"] = "nosniff"
        return conditional

    headers["Content-Length"] = str(grid_out.length)
    if request.method == "HEAD":
        grid_out.close()
        return HttpResponse(content_type=content_type, headers=headers)
    return StreamingHttpResponse(_chunks(grid_out), content_type=content_type, headers=headers)
