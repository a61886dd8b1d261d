"""`$in` and equality on an indexed field answered from the index (fact 12).

mongoeco 4.11.0 turns `{field: {$in: [v1 … vn]}}` into 2n SQL clauses evaluated on every row: for each
value an equality on the stored JSON and a `json_each` subquery looking for it inside an array, or,
on an indexed field, one `EXISTS` probe of the array-element index per value: n probes for every row. Fetching the variants of a 300-product
listing (`product_id $in` 300 ids over 6,000 variants) took 8 to 12 s, where the same rows without a
filter took 0.65 s.

When the field has a single-field index and no stored document holds an array there (a fact
mongoeco caches), the matching rows are exactly those whose index entry carries one of the values;
this asks the index for them. ObjectIds and strings only: numbers compare across types and older
files may lack their index rows (mongoeco's own caveat), and other values keep mongoeco's translation.

An equality on an ObjectId (`{product_id: id}`, every foreign-key filter Django sends) is the same
question with one value: mongoeco compares it with the stored JSON of every row, so reading the 20
variants of one product among 6,000 took 14 ms, against 4.7 ms from the index. And `_id` itself,
which mongoeco also compares row by row unless the read stops at its first match (limit 1): the
documents table's primary key is derived from it, so `_id` equality and `$in` read by that key
(Django's `filter(pk=…)` on the variants: 13 ms, against 1.7 ms for pymongo's `find_one`).
"""

from __future__ import annotations

import threading
from collections import defaultdict

from bson import ObjectId

from mongoeco.core.query_plan import EqualsCondition, InCondition


class IndexedMembership:
    """A mixin for mongoeco's SQLiteEngine (first in the bases)."""

    def _translate_query_plan_with_multikey(self, db_name, coll_name, plan):
        translated = None
        if isinstance(plan, InCondition):
            translated = self._membership_from_index(db_name, coll_name, plan.field, plan.values)
        elif isinstance(plan, EqualsCondition) and isinstance(plan.value, (ObjectId, str)):
            translated = self._membership_from_index(db_name, coll_name, plan.field, (plan.value,))
        return translated or super()._translate_query_plan_with_multikey(db_name, coll_name, plan)

    def _membership_from_index(self, db_name: str, coll_name: str, field: str, values):
        if not values or "." in field:
            return None
        if field == "_id":
            return self._membership_by_storage_key(values)
        index = self._find_scalar_index(db_name, coll_name, field)
        if (index is None or not index.get("scalar_physical_name") or index.get("partial_filter_expression")
                or index.get("sparse") or index.get("collation")
                or self._field_is_top_level_array_in_collection(db_name, coll_name, field)):
            return None
        collection_id = self._lookup_collection_id(self._require_connection(), db_name, coll_name)
        if collection_id is None:
            return None
        keys_by_type = defaultdict(list)
        for value in values:
            signature = self._multikey_value_signature(value)
            if signature is None or signature[0] not in ("objectid", "string"):
                return None
            keys_by_type[self._multikey_type_score(signature[0])].append(signature[1])
        physical = self._quote_identifier(str(index["scalar_physical_name"]))
        clauses, params = [], []
        for type_score, keys in keys_by_type.items():
            clauses.append(
                f"documents.storage_key IN (SELECT storage_key FROM scalar_index_entries INDEXED BY {physical} "
                f"WHERE collection_id = ? AND index_name = ? AND type_score = ? "
                f"AND element_key IN ({', '.join('?' * len(keys))}))")
            params += [collection_id, str(index["name"]), type_score, *keys]
        return "(" + " OR ".join(clauses) + ")", params

    def _membership_by_storage_key(self, values):
        """`_id` is the documents table's own key (its storage_key is derived from it, and it is never an
        array): look the rows up by primary key instead of decoding every document."""
        if not all(isinstance(value, (ObjectId, str)) for value in values):
            return None
        keys = list(dict.fromkeys(self._storage_key(value) for value in values))
        return f"documents.storage_key IN ({', '.join('?' * len(keys))})", keys


class IdNarrowedFallback:
    """A read mongoeco cannot plan in SQL decodes the whole collection and filters it in Python; when
    the filter fixes `_id`, only the documents with those ids can match, so only they are loaded.

    mongoeco 4.11.0 plans no comparison with an Int64 operand in SQL, and django-mongodb-backend sends
    every integer lookup as one: the guarded stock decrement of a checkout (`_id` and `stock >= n`)
    decoded all 6,000 variants, 320 ms inside the transaction. The Python filter still decides, so the
    answer is the same; only the documents it is given are fewer.
    """

    _narrowing = threading.local()

    def _open_scan_documents_sync(self, reader):
        ids = _fixed_ids(reader.semantics.filter_spec)
        if ids is None:
            return super()._open_scan_documents_sync(reader)
        self._narrowing.target = (reader.db_name, reader.coll_name, [self._storage_key(i) for i in ids])
        try:
            return super()._open_scan_documents_sync(reader)
        finally:
            self._narrowing.target = None

    def _load_documents(self, db_name, coll_name):
        target = getattr(self._narrowing, "target", None)
        if target is None or target[:2] != (db_name, coll_name):
            return super()._load_documents(db_name, coll_name)
        self._narrowing.target = None  # once: the scan's own load, nothing it calls afterwards
        rows = self._load_documents_by_storage_keys(db_name, coll_name, list(dict.fromkeys(target[2])))
        return (row for row in rows.items())


def _fixed_ids(query) -> list | None:
    """The ids a filter's top-level `_id` condition allows (equality or `$in` of ObjectIds or strings)."""
    if not isinstance(query, dict):
        return None
    condition = query.get("_id")
    if condition is None:
        for clause in query.get("$and", ()) if isinstance(query.get("$and"), list) else ():
            ids = _fixed_ids(clause)
            if ids is not None:
                return ids
        return None
    if isinstance(condition, (ObjectId, str)):
        return [condition]
    if (isinstance(condition, dict) and list(condition) == ["$in"] and isinstance(condition["$in"], (list, tuple))
            and all(isinstance(value, (ObjectId, str)) for value in condition["$in"])):
        return list(condition["$in"])
    return None
