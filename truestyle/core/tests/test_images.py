"""Image uploads: what is accepted, what is refused and with which message, and the clean copy that is kept.

Every test image is made here with Pillow; bombs and spoofs are crafted bytes.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageCms, ImageFile
from PIL.PngImagePlugin import PngInfo

from truestyle.core.images import (
    ACCEPT_ATTRIBUTE,
    StoreImageField,
    StoreImageFormField,
    normalize_image,
    validate_image_upload,
)

GENERATED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")
ORIENTATION, MAKE, IMAGE_DESCRIPTION = 0x0112, 0x010F, 0x010E


def _exif(*, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "SpyCam"
    exif[IMAGE_DESCRIPTION] = "Asha at home, 12 Park Street"
    return exif.tobytes()


def _image_bytes(image_format: str, *, size=(40, 20), mode="RGB", color=(200, 30, 60), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def _upload(data: bytes, *, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _refusal(file) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        normalize_image(file)
    return refused.value


def _png_declaring(width: int, height: int) -> bytes:
    """A valid-looking PNG of a few dozen bytes whose header declares width × height pixels."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(_image_bytes("JPEG", size=(8, 8)))
    frame = data.index(b"\xff\xc0")  # baseline start-of-frame: length, precision, height, width
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _jpeg_only_pillow_can_size(width: int, height: int) -> bytes:
    """A JPEG declaring width × height behind a junk byte: our header reader gives up, Pillow skips it."""
    data = _jpeg_declaring(width, height)
    (first_segment_length,) = struct.unpack(">H", data[4:6])
    after_first_segment = 4 + first_segment_length
    return data[:after_first_segment] + b"\x00" + data[after_first_segment:]


def _webp_declaring(width: int, height: int) -> bytes:
    data = bytearray(_image_bytes("WEBP", size=(16, 16), quality=80))
    assert data[12:16] == b"VP8 "
    data[26:30] = struct.pack("<HH", width, height)
    return bytes(data)


def _media_counts() -> tuple[int, int]:
    database = connections["mongodb"].database
    return database["media.files"].count_documents({}), database["media.chunks"].count_documents({})


@pytest.fixture
def decoding_forbidden(monkeypatch):
    """Fail the test if Pillow decodes pixels: refusals from the header must come before any decode."""

    def decode(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)


# -- accepted and re-encoded ---------------------------------------------------------------------


def test_a_jpeg_is_re_encoded_upright_without_exif_under_a_generated_name():
    upload = _upload(_image_bytes("JPEG", exif=_exif(orientation=6)), name="IMG_2041 Asha.jpg")

    image = normalize_image(upload)

    assert GENERATED_NAME.match(image.name) and image.name.endswith(".jpg")
    assert "Asha" not in image.name
    assert (image.content_type, image.format.label) == ("image/jpeg", "JPEG")
    # Orientation 6 means "rotate 90° clockwise to view": the 40×20 picture is kept as 20×40.
    assert (image.width, image.height) == (20, 40)
    stored = image.read()
    assert b"SpyCam" not in stored and b"Park Street" not in stored and b"Exif" not in stored
    reopened = Image.open(io.BytesIO(stored))
    assert (reopened.format, reopened.size, reopened.mode) == ("JPEG", (20, 40), "RGB")
    assert dict(reopened.getexif()) == {}


def test_a_png_is_re_encoded_without_text_chunks_exif_or_colour_profile():
    info = PngInfo()
    info.add_text("Author", "Asha Rao")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = _image_bytes("PNG", pnginfo=info, exif=_exif(), icc_profile=srgb)
    upload = _upload(data, name="banner.png", content_type="image/png")

    image = normalize_image(upload)

    assert GENERATED_NAME.match(image.name) and image.name.endswith(".png")
    stored = image.read()
    assert b"Asha Rao" not in stored and b"SpyCam" not in stored
    reopened = Image.open(io.BytesIO(stored))
    assert (reopened.format, reopened.size) == ("PNG", (40, 20))
    assert set(reopened.info) - {"dpi"} == set()
    assert reopened.getpixel((0, 0)) == (200, 30, 60)


def test_a_png_keeps_its_palette_transparency():
    data = _image_bytes("PNG", mode="P", color=0, transparency=0)

    image = normalize_image(_upload(data, content_type="image/png"))

    reopened = Image.open(io.BytesIO(image.read()))
    assert (reopened.mode, reopened.info["transparency"]) == ("P", 0)


def test_a_lossy_webp_stays_lossy_and_loses_its_exif():
    data = _image_bytes("WEBP", quality=80, exif=_exif())

    image = normalize_image(_upload(data, name="look.webp", content_type="image/webp"))

    stored = image.read()
    assert GENERATED_NAME.match(image.name) and image.name.endswith(".webp")
    assert image.content_type == "image/webp"
    assert b"SpyCam" not in stored and b"EXIF" not in stored
    assert stored[12:16] == b"VP8 "
    assert Image.open(io.BytesIO(stored)).size == (40, 20)


def test_a_lossless_webp_stays_lossless():
    data = _image_bytes("WEBP", mode="RGBA", color=(0, 0, 255, 128), lossless=True)

    image = normalize_image(_upload(data, content_type="image/webp"))

    stored = image.read()
    assert stored[12:16] in (b"VP8L", b"VP8X")
    assert b"VP8L" in stored
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.getpixel((0, 0)) == (0, 0, 255, 128)


def test_a_cmyk_jpeg_is_kept_as_rgb():
    data = _image_bytes("JPEG", mode="CMYK", color=(0, 255, 255, 0))

    image = normalize_image(_upload(data))

    reopened = Image.open(io.BytesIO(image.read()))
    assert reopened.mode == "RGB"
    red, green, blue = reopened.getpixel((0, 0))
    assert red > 240 and green < 15 and blue < 15


def test_a_camera_jpeg_with_extra_pictures_is_kept_as_its_primary_picture():
    first, second = Image.new("RGB", (40, 20), "red"), Image.new("RGB", (10, 10), "blue")
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[second])

    image = normalize_image(_upload(buffer.getvalue()))

    reopened = Image.open(io.BytesIO(image.read()))
    assert (reopened.format, reopened.size, getattr(reopened, "n_frames", 1)) == ("JPEG", (40, 20), 1)


def test_the_clients_content_type_and_name_do_not_matter_for_a_real_image():
    data = _image_bytes("PNG")

    image = normalize_image(_upload(data, name="document.pdf", content_type="application/pdf"))

    assert image.name.endswith(".png") and image.content_type == "image/png"


def test_the_validator_accepts_a_good_image_and_leaves_it_ready_to_read():
    upload = _upload(_image_bytes("JPEG"))
    upload.read(10)

    validate_image_upload(upload)

    assert upload.tell() == 0


# -- refused ---------------------------------------------------------------------------------------


def test_html_named_jpg_with_an_image_content_type_is_refused():
    upload = _upload(b"<html><script>alert(document.cookie)</script></html>", name="photo.jpg")

    refusal = _refusal(upload)

    assert refusal.code == "image_unsupported_format"
    assert refusal.messages == ["This file is not a JPEG, PNG or WebP image; upload one of those."]


def test_a_gif_is_refused_by_name():
    upload = _upload(_image_bytes("GIF"), name="photo.jpg")

    refusal = _refusal(upload)

    assert refusal.code == "image_unsupported_format"
    assert refusal.messages == ["This file is a GIF image; upload a JPEG, PNG or WebP image."]


def test_a_file_that_starts_like_a_jpeg_but_is_not_one_is_refused():
    refusal = _refusal(_upload(b"\xff\xd8\xff" + b"\0" * 100))

    assert refusal.code == "image_unreadable"
    assert refusal.messages == ["This image could not be read; the file may be damaged or incomplete."]


def test_an_empty_file_is_refused():
    refusal = _refusal(_upload(b""))

    assert refusal.code == "image_empty"
    assert refusal.messages == ["The file is empty; upload a JPEG, PNG or WebP image."]


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    upload = _upload(b"\x89PNG\r\n\x1a\n" + b"\0" * 2040)

    refusal = _refusal(upload)

    assert refusal.code == "image_too_large"
    assert refusal.messages == ["This file is 2.0 KB; an image can be at most 1000 bytes."]
    assert upload.tell() == 0


def test_a_stream_without_a_size_is_refused_once_it_passes_the_byte_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000

    refusal = _refusal(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 2040))

    assert refusal.code == "image_too_large"
    assert refusal.messages == ["This file is larger than 1000 bytes, the most an image can be."]


def test_the_default_byte_limit_is_eight_megabytes():
    upload = _upload(b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024))

    assert _refusal(upload).messages == ["This file is 8.0 MB; an image can be at most 8.0 MB."]


def test_a_png_declaring_ten_billion_pixels_is_refused_from_its_header(decoding_forbidden):
    data = _png_declaring(100_000, 100_000)
    assert len(data) < 100

    refusal = _refusal(_upload(data, content_type="image/png"))

    assert refusal.code == "image_too_many_pixels"
    assert refusal.messages == ["This image is 100000 × 100000 pixels; an image can have at most 40 megapixels."]


def test_a_jpeg_declaring_too_many_pixels_is_refused_from_its_header(decoding_forbidden):
    refusal = _refusal(_upload(_jpeg_declaring(60_000, 60_000)))

    assert refusal.code == "image_too_many_pixels"
    assert refusal.messages == ["This image is 60000 × 60000 pixels; an image can have at most 40 megapixels."]


def test_a_webp_declaring_too_many_pixels_is_refused_before_pillow_opens_it(monkeypatch):
    # Opening a WebP makes libwebp allocate its whole canvas, so even Image.open must not be reached.
    def open_image(*args, **kwargs):
        raise AssertionError("Pillow opened the file")

    monkeypatch.setattr(Image, "open", open_image)

    refusal = _refusal(_upload(_webp_declaring(16_383, 16_383), content_type="image/webp"))

    assert refusal.code == "image_too_many_pixels"
    assert refusal.messages == ["This image is 16383 × 16383 pixels; an image can have at most 40 megapixels."]


def test_the_pixel_limit_counts_width_times_height(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 799

    refusal = _refusal(_upload(_image_bytes("PNG", size=(40, 20)), content_type="image/png"))

    assert refusal.messages == ["This image is 40 × 20 pixels; an image can have at most 799 pixels."]
    settings.IMAGE_UPLOAD_MAX_PIXELS = 800
    assert normalize_image(_upload(_image_bytes("PNG", size=(40, 20)))).width == 40


def test_pillows_own_bomb_error_is_the_same_refusal(decoding_forbidden):
    # 3.6 billion pixels: more than twice Pillow's limit, so Image.open raises DecompressionBombError.
    refusal = _refusal(_upload(_jpeg_only_pillow_can_size(60_000, 60_000)))

    assert refusal.code == "image_too_many_pixels"
    assert refusal.messages == ["This image has more than 40 megapixels, the most an image can have."]


def test_pillows_bomb_warning_is_followed_by_the_same_refusal(decoding_forbidden):
    # 100 million pixels: above Pillow's limit (89.5 million) but below twice it, so Pillow only warns.
    with pytest.warns(Image.DecompressionBombWarning):
        refusal = _refusal(_upload(_jpeg_only_pillow_can_size(10_000, 10_000)))

    assert refusal.code == "image_too_many_pixels"
    assert refusal.messages == ["This image is 10000 × 10000 pixels; an image can have at most 40 megapixels."]


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_warning_raised_as_an_error_is_the_same_refusal(decoding_forbidden):
    refusal = _refusal(_upload(_jpeg_only_pillow_can_size(10_000, 10_000)))

    assert refusal.code == "image_too_many_pixels"
    assert refusal.messages == ["This image has more than 40 megapixels, the most an image can have."]


def test_the_pixel_limit_never_exceeds_pillows_own(settings, decoding_forbidden):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 10**12

    refusal = _refusal(_upload(_png_declaring(10_000, 10_000), content_type="image/png"))

    assert refusal.messages == [
        "This image is 10000 × 10000 pixels; an image can have at most 89.5 megapixels."
    ]


def test_an_animated_png_is_refused():
    frames = [Image.new("RGB", (10, 10), color) for color in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="PNG", save_all=True, append_images=frames[1:])

    refusal = _refusal(_upload(buffer.getvalue(), content_type="image/png"))

    assert refusal.code == "image_animated"
    assert refusal.messages == ["Animated images are not accepted; upload a still JPEG, PNG or WebP image."]


def test_an_animated_webp_is_refused():
    frames = [Image.new("RGB", (10, 10), color) for color in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:])

    assert _refusal(_upload(buffer.getvalue(), content_type="image/webp")).code == "image_animated"


def test_a_truncated_image_passes_the_header_checks_but_is_not_normalized():
    noise = Image.frombytes("RGB", (64, 64), bytes(range(256)) * 48)
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]

    validate_image_upload(_upload(truncated, content_type="image/png"))
    refusal = _refusal(_upload(truncated, content_type="image/png"))

    assert refusal.code == "image_unreadable"


# -- fields ------------------------------------------------------------------------------------------


def _pending(upload) -> tuple[StoreImageField, SimpleNamespace]:
    """A StoreImageField and an object holding a new, not yet stored upload in it, as a model instance would."""
    field = StoreImageField()
    field.set_attributes_from_name("image")
    holder = SimpleNamespace()
    pending = FieldFile(holder, field, upload.name)
    pending.file = upload
    pending._committed = False
    holder.image = pending
    return field, holder


def test_the_form_field_refuses_a_spoofed_file_and_offers_only_images():
    form_field = StoreImageFormField()

    with pytest.raises(ValidationError) as refused:
        form_field.clean(_upload(b"<html></html>", name="photo.jpg"))

    assert [error.code for error in refused.value.error_list] == ["image_unsupported_format"]
    assert form_field.widget.attrs["accept"] == ACCEPT_ATTRIBUTE == "image/jpeg,image/png,image/webp"


def test_the_model_field_makes_forms_with_the_image_form_field():
    assert isinstance(StoreImageField().formfield(), StoreImageFormField)


def test_the_model_field_validates_a_new_upload(db):
    field, holder = _pending(_upload(_image_bytes("GIF")))

    with pytest.raises(ValidationError) as refused:
        field.clean(holder.image, holder)

    assert refused.value.code == "image_unsupported_format"


def test_the_model_field_stores_the_normalized_copy_in_gridfs(db):
    field, holder = _pending(_upload(_image_bytes("JPEG", exif=_exif()), name="Asha's selfie.jpg"))

    stored = field.pre_save(holder, add=True)

    assert re.fullmatch(r"[0-9a-f]{24}\.jpg", stored.name)
    assert holder.image == stored.name
    assert default_storage.content_type(stored.name) == "image/jpeg"
    kept = default_storage.open(stored.name).read()
    assert b"SpyCam" not in kept
    assert Image.open(io.BytesIO(kept)).size == (40, 20)
    assert stored.url == f"/files/{stored.name}"
    assert _media_counts() == (1, 1)


def test_a_normalized_image_saved_through_the_storage_keeps_its_type(db):
    image = normalize_image(_upload(_image_bytes("WEBP"), content_type="image/webp"))

    name = default_storage.save(image.name, image)

    assert name.endswith(".webp")
    assert default_storage.content_type(name) == "image/webp"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        _image_bytes("GIF"),
        _png_declaring(100_000, 100_000),
        b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024),
    ],
    ids=["spoofed-html", "gif", "bomb", "oversize"],
)
def test_a_refused_upload_writes_nothing_to_gridfs(db, data):
    field, holder = _pending(_upload(data, name="photo.jpg"))

    with pytest.raises(ValidationError):
        field.pre_save(holder, add=True)

    assert _media_counts() == (0, 0)


def test_a_file_that_is_already_stored_is_not_read_again_on_validation(db):
    field, holder = _pending(_upload(_image_bytes("PNG"), content_type="image/png"))
    stored = field.pre_save(holder, add=True)
    default_storage.delete(stored.name)  # reading it now would fail

    field.clean(FieldFile(holder, field, stored.name), holder)
