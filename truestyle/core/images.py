"""Image uploads: which files the store accepts, and the clean copy it keeps.

Every image field of the store (product images, banners, testimonials, avatars)
goes through this module:

- `validate_image_upload(file)`: a Django validator (forms, model fields, DRF
  serializers) that refuses anything the store would not keep, reading headers
  only;
- `normalize_image(file) -> NormalizedImage`: the same checks, then the full
  decode and a re-encode; the result is what gets stored;
- `StoreImageField` / `StoreImageFormField`: a model field and a form field
  wired to both, storing in the default storage (GridFS).

What is accepted, and why:

- JPEG, PNG and WebP only, recognised by their first bytes and confirmed by
  Pillow's own detection, never by the file's name or the client's content
  type (both are whatever the client says).
- At most `settings.IMAGE_UPLOAD_MAX_BYTES` bytes, and at most
  `settings.IMAGE_UPLOAD_MAX_PIXELS` pixels (never more than Pillow's own
  `Image.MAX_IMAGE_PIXELS`, about 89 million). The pixel count is read from the
  file's header before Pillow is asked to open it: a small file can declare
  a canvas of billions of pixels (a decompression bomb), and decoding it,
  or for WebP even opening it, allocates memory for all of them. Should
  Pillow still find too many pixels in a header only it could read, its
  `DecompressionBombWarning` (an exception where warnings are errors) and
  `DecompressionBombError` end in the same refusal.
- Still images only: an animated PNG or WebP is refused (its first frame alone
  is rarely what the sender meant). A JPEG from a camera that stores extra
  pictures (MPO) is taken as its primary picture.

What is kept: the pixels, turned upright by the EXIF orientation and converted
to sRGB if they carried a colour profile, re-encoded in the same format. EXIF
(location, camera serial numbers), XMP, comments and text chunks are gone, and
so is anything hidden after the image data. The new file is named by the
store (`<random hex>.<ext>`); the client's filename is never used.

Refusals are `ValidationError`s with a message a shopper or staff member can act
on and one of these codes: image_empty, image_too_large,
image_unsupported_format, image_too_many_pixels, image_animated, image_unreadable.
"""

from __future__ import annotations

import io
import struct
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class ImageFormat:
    label: str
    pillow_format: str
    content_type: str
    extension: str


JPEG = ImageFormat("JPEG", "JPEG", "image/jpeg", ".jpg")
PNG = ImageFormat("PNG", "PNG", "image/png", ".png")
WEBP = ImageFormat("WebP", "WEBP", "image/webp", ".webp")
ALLOWED_FORMATS = (JPEG, PNG, WEBP)
ACCEPT_ATTRIBUTE = ",".join(image_format.content_type for image_format in ALLOWED_FORMATS)

# Pillow reports a JPEG carrying extra pictures (cameras' depth maps, previews) as MPO.
_PILLOW_FORMATS = {JPEG: {"JPEG", "MPO"}, PNG: {"PNG"}, WEBP: {"WEBP"}}

# Image types people commonly try, recognised only so the refusal can name them.
_REFUSED_SIGNATURES = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
_REFUSED_HEIF_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"mif1": "HEIF", b"avif": "AVIF", b"avis": "AVIF"}

# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic); they carry the size.
_JPEG_FRAME_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_QUALITY = 90
_WEBP_QUALITY = 90
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# The warning is raised, not just logged, where warnings are errors (`python -W error`, pytest's filterwarnings).
_PILLOW_BOMB_GUARDS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


class NormalizedImage(ContentFile):
    """A re-encoded image, ready to store: `content_type`, `width`, `height` and `format` say what it is."""

    def __init__(self, content: bytes, *, name: str, image_format: ImageFormat, width: int, height: int) -> None:
        super().__init__(content, name=name)
        self.format = image_format
        self.content_type = image_format.content_type
        self.width = width
        self.height = height


@dataclass
class _InspectedImage:
    data: bytes
    format: ImageFormat
    image: Image.Image


# -- refusals ----------------------------------------------------------------------------------


def _max_bytes() -> int:
    return settings.IMAGE_UPLOAD_MAX_BYTES


def _max_pixels() -> int:
    """The pixel limit in force: the setting, but never above what Pillow itself agrees to open.

    Pillow warns above `Image.MAX_IMAGE_PIXELS` and refuses above twice that
    (DecompressionBombWarning / DecompressionBombError). Refusing first, from the
    header, gives one clear message instead of a warning in the logs or an error
    that names no size.
    """
    pillow_limit = Image.MAX_IMAGE_PIXELS
    return min(settings.IMAGE_UPLOAD_MAX_PIXELS, pillow_limit) if pillow_limit else settings.IMAGE_UPLOAD_MAX_PIXELS


def _file_size_text(size: int) -> str:
    # filesizeformat joins with a no-break space, which reads badly in JSON error messages.
    return filesizeformat(size).replace("\xa0", " ")


def _pixel_limit_text() -> str:
    limit = _max_pixels()
    if limit >= 1_000_000:
        return _("%(count)s megapixels") % {"count": f"{limit / 1_000_000:,.1f}".removesuffix(".0")}
    return _("%(count)s pixels") % {"count": f"{limit:,}"}


def _too_large(size: int | None) -> ValidationError:
    limit = _file_size_text(_max_bytes())
    if size is None:
        return ValidationError(
            _("This file is larger than %(limit)s, the most an image can be."),
            code="image_too_large", params={"limit": limit},
        )
    return ValidationError(
        _("This file is %(size)s; an image can be at most %(limit)s."),
        code="image_too_large", params={"size": _file_size_text(size), "limit": limit},
    )


def _unsupported(what: str | None) -> ValidationError:
    if what:
        return ValidationError(
            _("This file is a %(kind)s image; upload a JPEG, PNG or WebP image."),
            code="image_unsupported_format", params={"kind": what},
        )
    return ValidationError(
        _("This file is not a JPEG, PNG or WebP image; upload one of those."), code="image_unsupported_format"
    )


def _too_many_pixels(size: tuple[int, int] | None) -> ValidationError:
    if size is None:
        return ValidationError(
            _("This image has more than %(limit)s, the most an image can have."),
            code="image_too_many_pixels", params={"limit": _pixel_limit_text()},
        )
    return ValidationError(
        _("This image is %(width)s × %(height)s pixels; an image can have at most %(limit)s."),
        code="image_too_many_pixels", params={"width": size[0], "height": size[1], "limit": _pixel_limit_text()},
    )


def _animated() -> ValidationError:
    return ValidationError(
        _("Animated images are not accepted; upload a still JPEG, PNG or WebP image."), code="image_animated"
    )


def _unreadable() -> ValidationError:
    return ValidationError(
        _("This image could not be read; the file may be damaged or incomplete."), code="image_unreadable"
    )


# -- reading and recognising -------------------------------------------------------------------


def _read_within_limit(file) -> bytes:
    """The file's bytes, refusing before reading if the file says it is too large, and while reading if it is."""
    limit = _max_bytes()
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(declared)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if hasattr(file, "seek"):
        # Leave the file as a validator found it, ready for whoever saves it.
        file.seek(0)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > limit:
        raise _too_large(declared if isinstance(declared, int) and declared > limit else None)
    return data


def _recognise(data: bytes) -> ImageFormat:
    """The allowed format `data` starts like, or the refusal naming what it is instead."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    for signature, kind in _REFUSED_SIGNATURES:
        if data.startswith(signature):
            raise _unsupported(kind)
    if data[4:8] == b"ftyp" and data[8:12] in _REFUSED_HEIF_BRANDS:
        raise _unsupported(_REFUSED_HEIF_BRANDS[data[8:12]])
    raise _unsupported(None)


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first start-of-frame segment, walking the segments before it."""
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            offset += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        if marker in _JPEG_FRAME_MARKERS:
            if offset + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return width, height
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        offset += 2 + length
    return None


def _webp_chunks(data: bytes):
    """(fourcc, payload offset, payload size) of each top-level chunk of a WebP file."""
    offset = 12
    while offset + 8 <= len(data):
        fourcc = data[offset : offset + 4]
        (size,) = struct.unpack("<I", data[offset + 4 : offset + 8])
        yield fourcc, offset + 8, size
        offset += 8 + size + (size & 1)


def _webp_size(data: bytes) -> tuple[int, int] | None:
    for fourcc, start, _size in _webp_chunks(data):
        if fourcc == b"VP8X" and start + 10 <= len(data):
            return (int.from_bytes(data[start + 4 : start + 7], "little") + 1,
                    int.from_bytes(data[start + 7 : start + 10], "little") + 1)
        if fourcc == b"VP8 " and start + 10 <= len(data) and data[start + 3 : start + 6] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", data[start + 6 : start + 10])
            return width & 0x3FFF, height & 0x3FFF
        if fourcc == b"VP8L" and start + 5 <= len(data) and data[start] == 0x2F:
            (bits,) = struct.unpack("<I", data[start + 1 : start + 5])
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _webp_is_lossless(data: bytes) -> bool:
    for fourcc, _start, _size in _webp_chunks(data):
        if fourcc in (b"VP8L", b"VP8 "):
            return fourcc == b"VP8L"
    return False


_HEADER_SIZE_READERS = {JPEG: _jpeg_size, PNG: _png_size, WEBP: _webp_size}


def _refuse_too_many_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > _max_pixels():
        raise _too_many_pixels(size)


def _inspect(file) -> _InspectedImage:
    """Every check that needs no decoding; the returned image is opened but its pixels not yet read."""
    data = _read_within_limit(file)
    if not data:
        raise ValidationError(_("The file is empty; upload a JPEG, PNG or WebP image."), code="image_empty")
    image_format = _recognise(data)
    declared_size = _HEADER_SIZE_READERS[image_format](data)
    if declared_size is not None:
        _refuse_too_many_pixels(declared_size)
    try:
        # Where Pillow only warns (above its limit, below twice it), the size check just below refuses.
        image = Image.open(io.BytesIO(data), formats=[image_format.pillow_format])
    except _PILLOW_BOMB_GUARDS:
        raise _too_many_pixels(None) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise _unreadable() from None
    if image.format not in _PILLOW_FORMATS[image_format]:
        raise _unsupported(None)
    # Again from Pillow's reading of the header, in case ours found no size.
    _refuse_too_many_pixels(image.size)
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        raise _animated()
    return _InspectedImage(data=data, format=image_format, image=image)


# -- the public API ----------------------------------------------------------------------------


def validate_image_upload(file) -> None:
    """Raise ValidationError unless `file` is a JPEG, PNG or WebP the store accepts (headers only; no decode).

    Leaves the file's position at the start. A file that passes can still be
    refused by `normalize_image` if its pixel data turns out to be damaged.
    """
    _inspect(file)


def normalize_image(file) -> NormalizedImage:
    """The clean copy of an accepted upload, or ValidationError (see the module docstring).

    Same format as the upload, upright, sRGB, without metadata, named
    `<32 hex digits>.<jpg|png|webp>`. Nothing is stored: save the result with a
    storage (`default_storage.save(image.name, image)`) or a `StoreImageField`.
    """
    inspected = _inspect(file)
    try:
        inspected.image.load()
        upright = ImageOps.exif_transpose(inspected.image)
    except _PILLOW_BOMB_GUARDS:
        raise _too_many_pixels(inspected.image.size) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise _unreadable() from None
    pixels = _plain_pixels(upright, inspected.format, icc_profile=inspected.image.info.get("icc_profile"))
    output = io.BytesIO()
    pixels.save(output, format=inspected.format.pillow_format, **_encoder_options(inspected))
    return NormalizedImage(
        output.getvalue(),
        name=f"{uuid.uuid4().hex}{inspected.format.extension}",
        image_format=inspected.format,
        width=pixels.width,
        height=pixels.height,
    )


def _plain_pixels(image: Image.Image, image_format: ImageFormat, *, icc_profile: bytes | None) -> Image.Image:
    """The pixels alone, in sRGB and in a mode the format stores, with no metadata left to be written."""
    transparency = image.info.get("transparency") if image_format is PNG else None
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        image = _to_srgb(image, icc_profile)
    if image_format is JPEG and image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if image_format is WEBP and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    # Pillow writes some of `info` back on save (a JPEG comment, a PNG colour profile); keep only transparency.
    image.info = {"transparency": transparency} if transparency is not None else {}
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """Pixels converted from the embedded profile to sRGB; unchanged pixels if the profile cannot be used.

    Browsers assume sRGB for an image without a profile, so dropping a wide-gamut
    (Display P3) profile without converting would dull the colours.
    """
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _encoder_options(inspected: _InspectedImage) -> dict:
    if inspected.format is JPEG:
        return {"quality": _JPEG_QUALITY, "optimize": True}
    if inspected.format is WEBP:
        if _webp_is_lossless(inspected.data):
            return {"lossless": True}
        return {"quality": _WEBP_QUALITY}
    return {}


# -- fields ------------------------------------------------------------------------------------


class StoreImageFormField(forms.FileField):
    """A form's image upload: refused unless `validate_image_upload` accepts it; the browser offers images only."""

    default_validators = (validate_image_upload,)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT_ATTRIBUTE)
        return attrs


class StoreImageField(models.FileField):
    """An image in the default storage (GridFS), checked on validation and re-encoded on save.

    A new upload is validated by `full_clean()` and model forms, and on
    `save()` replaced by its `normalize_image` copy under a name the storage
    makes, so no client bytes or names are ever stored. Files already stored
    are not read again on validation. A damaged upload that passed validation
    makes `save()` raise the ValidationError.
    """

    description = "An image (JPEG, PNG or WebP), re-encoded and stored in GridFS"

    def run_validators(self, value) -> None:
        super().run_validators(value)
        if value and not getattr(value, "_committed", True):
            validate_image_upload(value)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            clean = normalize_image(file)
            file.save(clean.name, clean, save=False)
        return file

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": StoreImageFormField, **kwargs})
