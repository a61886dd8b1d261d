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
