"""The catalogue CSV: its columns, its cells and its limits, shared by the export and the import.

One row per variant; the product's columns are repeated on each of its rows. A product without
variants is one row whose variant cells are empty. Lists (occasions, tags) are joined with "|".
"""

from __future__ import annotations

from django.conf import settings

from truestyle.core.errors import StoreError

PRODUCT_COLUMNS = (
    "slug", "name", "brand", "category", "product_type", "occasions", "description", "material", "care",
    "mrp", "price", "tags", "active", "featured",
)
VARIANT_COLUMNS = ("sku", "size", "colour", "colour_hex", "stock", "low_stock_threshold")
COLUMNS = PRODUCT_COLUMNS + VARIANT_COLUMNS
# Every other column may be left out of a file: existing products keep their value, new ones get the default.
REQUIRED_COLUMNS = ("slug", "name", "brand", "category", "product_type", "mrp", "price",
                    "sku", "size", "colour", "colour_hex")
LIST_SEPARATOR = "|"

# A spreadsheet runs a cell that starts with one of these as a formula. The export puts a "'" in
# front (OWASP's advice for CSV injection) and the import takes it off, so a round trip is exact.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

EMPTY_FILE = "The file is empty. Export the catalogue to get a file with the right columns."
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000


def max_bytes() -> int:
    return int(getattr(settings, "CATALOG_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "CATALOG_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def cell_escape(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def cell_unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def header_key(raw: str) -> str:
    """"Colour hex", "colour-hex" and "colour_hex" name the same column."""
    return "_".join(raw.strip().lower().replace("-", " ").split())


def file_size_check(size: int) -> None:
    """Refuse an empty or oversized file before anything is stored."""
    if size <= 0:
        raise StoreError(EMPTY_FILE, code="empty_file", fields={"file": [EMPTY_FILE]})
    limit = max_bytes()
    if size > limit:
        message = f"The file is larger than {limit // 1024} KB. Split it into smaller files."
        raise StoreError(message, code="file_too_large", fields={"file": [message]})


def csv_decode(raw: bytes) -> str:
    """The file's text. Only UTF-8 is accepted (with or without the byte-order mark spreadsheets add)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = (f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
                   "Save it as “CSV UTF-8” and upload it again.")
        raise StoreError(message, code="not_utf8", fields={"file": [message]})
    if "\x00" in text:
        message = "The file is not a CSV text file. Save it as “CSV UTF-8” and upload it again."
        raise StoreError(message, code="not_csv", fields={"file": [message]})
    return text
