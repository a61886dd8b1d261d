"""Unique-index checks on insert that use the indexes instead of decoding the whole collection (fact 12).

mongoeco 4.11.0 checks a new document against the collection's unique constraints by decoding every
stored document twice over: once to compare `_id`s by BSON equality, and once per compound unique
index (it keeps index rows only for single-field indexes). Every insert thus costs time in proportion
to the collection's size, and a batch in proportion to its square: 200 variants inserted beside 1,000
took 37 s, long enough for the driver's socket timeout to give up on a seeding transaction.

Both checks are answered from indexes here, where that gives the same verdict:

- `_id`: the storage-key lookup mongoeco always does first refuses every duplicate ObjectId or string;
  only numbers (1, 1.0 and Int64(1) are one `_id` under different storage keys) need the scan.
- a compound unique index whose first field has its own single-field index (Django indexes every
  foreign key, and each of the store's compound constraints starts with one, or with a field that is
  indexed): the candidates are the documents sharing the first field's value, found through that index
  and compared on the whole key, both judged by the index's partial filter as mongoeco judges them.
  Arrays, numbers, collations and sparse indexes keep mongoeco's own check.

Deciding whether an index holds arrays asks "does any stored document have an array at this path?",
an SQL scan that mongoeco caches but forgets after every write to the collection. A "no" stays true
after a write whose document has no array on that path, so such answers are kept across it. The same
holds for "does any stored document hold a tagged value (Decimal128, bytes, undefined) at this
path?", which mongoeco asks before every read it plans: after each write it rescanned the collection
three times, so changing one variant's stock took 70 ms beside 6,000 variants (600 ms inside a
checkout's transaction), most of it in those scans.
"""

from __future__ import annotations

import threading
from typing import Any

from mongoeco.core.bson_scalars import is_bson_numeric
from mongoeco.core.codec import DocumentCodec
from mongoeco.core.identity import id_contains_numeric_value
from mongoeco.core.paths import get_document_value
from mongoeco.engines.virtual_indexes import document_in_virtual_index


_ARRAY_FEATURES = ("top_level_array:", "traverses_array:")
_TAGGED_FEATURE = "tagged_type:"


def _fact_still_holds(document: Any, feature: str) -> bool:
    """Whether a cached "no" about `feature` stays true after `document` is written."""
    if feature.startswith(_ARRAY_FEATURES):
        return not _array_on_path(document, feature.split(":", 1)[1])
    if feature.startswith(_TAGGED_FEATURE):
        path, _, value_type = feature[len(_TAGGED_FEATURE):].rpartition(":")
        return bool(path) and not _tagged_on_path(document, path, value_type)
    return False


_ARRAY_ON_THE_WAY, _MISSING = object(), object()


def _value_on_path(document: Any, path: str) -> Any:
    """The value at the dotted path; _ARRAY_ON_THE_WAY when an array comes before its end, _MISSING
    when a part is absent."""
    current = document
    for part in path.split("."):
        if isinstance(current, list):
            return _ARRAY_ON_THE_WAY
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _tagged_on_path(document: Any, path: str, value_type: str) -> bool:
    """Whether the value at the dotted path is stored tagged as `value_type` (an array on the way: assume so)."""
    value = _value_on_path(document, path)
    if value is _ARRAY_ON_THE_WAY:
        return True
    if value is _MISSING:
        return False
    encoded = DocumentCodec.encode(value)
    if not (isinstance(encoded, dict) and DocumentCodec._MARKER in encoded):
        return False
    tag = encoded[DocumentCodec._MARKER]
    stored = tag.get(DocumentCodec._TYPE) if isinstance(tag, dict) else None
    # The decimal tags differ by where a value came from ("decimal", "decimal128", "decimal128_public"):
    # any of them answers "yes" to each.
    return not isinstance(stored, str) or stored == value_type or (
        stored.startswith("decimal") and value_type.startswith("decimal"))


def _array_on_path(document: Any, path: str) -> bool:
    """Whether any value along the dotted path (the last included) is an array."""
    value = _value_on_path(document, path)
    return value is _ARRAY_ON_THE_WAY or isinstance(value, list)


class IndexedUniqueChecks:
    """A mixin for mongoeco's SQLiteEngine (first in the bases)."""

    _checked_elsewhere = threading.local()
    _written = threading.local()

    def _validate_document_against_unique_indexes(self, db_name, coll_name, document, *,
                                                  exclude_storage_key=None, skip_id_check=False,
                                                  scan_payload_id=False):
        if scan_payload_id and "_id" in document and not id_contains_numeric_value(document["_id"]):
            scan_payload_id = False
        checked = frozenset(
            index["name"] for index in super()._load_indexes(db_name, coll_name)
            if self._compound_unique_checked_by_prefix(db_name, coll_name, document, index, exclude_storage_key))
        self._checked_elsewhere.names = checked
        try:
            result = super()._validate_document_against_unique_indexes(
                db_name, coll_name, document, exclude_storage_key=exclude_storage_key,
                skip_id_check=skip_id_check, scan_payload_id=scan_payload_id)
        finally:
            self._checked_elsewhere.names = frozenset()
        # Checked and about to be written: what the next cache invalidation may judge by.
        self._written.document = (db_name, coll_name, document)
        return result

    def _invalidate_collection_features_cache(self, db_name=None, coll_name=None):
        written, self._written.document = getattr(self._written, "document", None), None
        kept = {}
        if written is not None and db_name is not None and written[:2] == (db_name, coll_name):
            for key, value in self._collection_features_cache.items():
                feature = key[2] if len(key) == 3 and isinstance(key[2], str) else ""
                if key[:2] == (db_name, coll_name) and value is False and _fact_still_holds(written[2], feature):
                    kept[key] = value
        super()._invalidate_collection_features_cache(db_name, coll_name)
        self._collection_features_cache.update(kept)

    def _load_indexes(self, db_name, coll_name):
        # While a document is validated, the compound indexes already checked here are left out, so
        # mongoeco does not scan for them again; everywhere else every index is there.
        indexes = super()._load_indexes(db_name, coll_name)
        hidden = getattr(self._checked_elsewhere, "names", frozenset())
        if not hidden:
            return indexes
        return [index for index in indexes if index["name"] not in hidden]

    def _compound_unique_checked_by_prefix(self, db_name: str, coll_name: str, document: dict[str, Any], index,
                                           exclude_storage_key: str | None) -> bool:
        """True when the document was checked against `index` here (raising on a duplicate); False
        when mongoeco's own check must decide."""
        fields = list(index["fields"])
        if not index["unique"] or len(fields) < 2 or index.get("collation") is not None or index.get("sparse"):
            return False
        if not document_in_virtual_index(document, index):
            return True  # outside a partial index (Django's unique constraints skip nulls): no duplicate
        for field in fields:
            found, value = get_document_value(document, field)
            if found and (isinstance(value, dict | list) or is_bson_numeric(value)):
                return False
        prefix_index = self._find_scalar_index(db_name, coll_name, fields[0])
        if prefix_index is None or not prefix_index.get("scalar_physical_name"):
            return False
        if self._unique_index_uses_multikey_values(db_name, coll_name, document, index):
            return False
        signature = self._scalar_value_signature_for_document(document, fields[0])
        conn = self._require_connection()
        collection_id = self._lookup_collection_id(conn, db_name, coll_name)
        if signature is None or collection_id is None:
            return False
        element_type, element_key = signature
        rows = conn.execute(
            f"SELECT storage_key FROM scalar_index_entries "
            f"INDEXED BY {self._quote_identifier(str(prefix_index['scalar_physical_name']))} "
            "WHERE collection_id = ? AND index_name = ? AND type_score = ? AND element_key = ?",
            (collection_id, str(prefix_index["name"]), self._multikey_type_score(element_type), element_key),
        ).fetchall()
        key = tuple(self._index_value(document, field) for field in fields)
        for (storage_key,) in rows:
            if storage_key == exclude_storage_key:
                continue
            existing = self._load_existing_document_for_storage_key(conn, db_name, coll_name, storage_key)
            if (existing is not None and document_in_virtual_index(existing, index)
                    and tuple(self._index_value(existing, field) for field in fields) == key):
                raise self._unique_key_error(
                    f"Duplicate key for unique index '{index['name']}': {fields}={key!r}",
                    f"{db_name}.{coll_name}", document, index=index, conflict=key)
        return True
