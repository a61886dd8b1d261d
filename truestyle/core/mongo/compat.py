"""Rewrite commands so that the embedded server (mongoeco 4.11.0) answers as MongoDB does.

Each rewrite names the fact of ARCHITECTURE.md it adapts; each has a test in
truestyle/core/tests/test_mongo_compat.py that fails without it. The rewrites
are pure functions on command documents so that they are easy to test and to
drop when a mongoeco release no longer needs them.

- Fact 1: pymongo's `server_info()` sends lowercase `buildinfo`.
- Fact 2: the aggregation expression `$not` is unknown; `$cond` says the same.
- Fact 3: nested inclusion projections are taken as literals; dotted paths work.
- Fact 4: `$dateTrunc` refuses `timezone`; `$dateToParts`/`$dateFromParts` honour it.
- Fact 5: the handshake must present a replica set (see `replica_set_hello_fields`).
- Fact 12 (speed): a `$match` on the collection's own fields that follows `$lookup`/`$unwind` stages
  runs before them, as MongoDB's optimizer moves it; mongoeco joins every document first, so reading
  one variant with its product (Django's `select_related`) joined all 6,000 variants and timed out.
- Fact 12 (speed): Django's forms of a lookup by primary key reach the engine's `_id` key only when
  spelled as MongoDB's optimizer would read them: `{$expr: {$in: ["$_id", [ids]]}}` (how
  `prefetch_related` asks for related rows) becomes `{_id: {$in: [ids]}}` (340 ms → 12 ms over the
  6,000 variants), and `{$and: [{_id: …}, {stock: …}]}` (a guarded update) becomes one document of
  conditions, which mongoeco plans as it plans `find`.
"""

from __future__ import annotations

from typing import Any

from bson import ObjectId

# Command names that mongoeco spells differently from the MongoDB server's
# case-insensitive parser.
COMMAND_ALIASES = {"buildinfo": "buildInfo", "ismaster": "isMaster"}

# Stages whose arguments are aggregation expressions throughout.
_EXPRESSION_STAGES = frozenset(
    {"$addFields", "$set", "$group", "$replaceRoot", "$replaceWith", "$bucket", "$bucketAuto", "$redact", "$sortByCount"}
)
_DATE_PART_ORDER = ("year", "month", "day", "hour", "minute", "second", "millisecond")
_UNIT_PARTS = {
    "year": 1,
    "quarter": 2,
    "month": 2,
    "week": 3,
    "day": 3,
    "hour": 4,
    "minute": 5,
    "second": 6,
    "millisecond": 7,
}
_WEEKDAY_NUMBER = {  # $dayOfWeek numbering: Sunday is 1.
    "sunday": 1, "sun": 1, "monday": 2, "mon": 2, "tuesday": 3, "tue": 3, "wednesday": 4, "wed": 4,
    "thursday": 5, "thu": 5, "friday": 6, "fri": 6, "saturday": 7, "sat": 7,
}
_MILLISECONDS_PER_DAY = 86_400_000


def normalize_command(body: dict[str, Any]) -> dict[str, Any]:
    """Return the command with every adaptation applied; the input is not modified."""
    if not body:
        return body
    name = next(iter(body))
    canonical = COMMAND_ALIASES.get(name, name)
    result = {}
    for key, value in body.items():
        if key == name:
            result[canonical] = value
        else:
            result[key] = value
    if canonical == "aggregate" and isinstance(result.get("pipeline"), list):
        result["pipeline"] = rewrite_pipeline(match_before_lookups(result["pipeline"]))
    elif canonical == "find":
        if isinstance(result.get("filter"), dict):
            result["filter"] = rewrite_query(result["filter"])
        if isinstance(result.get("projection"), dict):
            result["projection"] = rewrite_projection(result["projection"])
    elif canonical in {"count", "distinct"} and isinstance(result.get("query"), dict):
        result["query"] = rewrite_query(result["query"])
    elif canonical == "update" and isinstance(result.get("updates"), list):
        result["updates"] = [_rewrite_update_statement(statement) for statement in result["updates"]]
    elif canonical == "delete" and isinstance(result.get("deletes"), list):
        result["deletes"] = [
            {**statement, "q": rewrite_query(statement["q"])} if isinstance(statement.get("q"), dict) else statement
            for statement in result["deletes"]
        ]
    elif canonical == "findAndModify":
        if isinstance(result.get("query"), dict):
            result["query"] = rewrite_query(result["query"])
        if isinstance(result.get("update"), list):
            result["update"] = rewrite_pipeline(result["update"])
    return result


def _rewrite_update_statement(statement: dict[str, Any]) -> dict[str, Any]:
    statement = dict(statement)
    if isinstance(statement.get("q"), dict):
        statement["q"] = rewrite_query(statement["q"])
    if isinstance(statement.get("u"), list):
        statement["u"] = rewrite_pipeline(statement["u"])
    return statement


def rewrite_pipeline(pipeline: list[Any]) -> list[Any]:
    rewritten = []
    for stage in pipeline:
        rewritten.append(rewrite_stage(stage))
        rewritten.extend(_skip_removed_values_after_group(stage))
    return rewritten


_JOIN_STAGES = ("$lookup", "$unwind")
_MATCH_LOGICAL = ("$and", "$or", "$nor")


def match_before_lookups(pipeline: list[Any]) -> list[Any]:
    """Move the first `$match` after a run of `$lookup`/`$unwind` stages in front of them when it reads
    none of the fields they add. Filtering the collection first gives the same documents: the joins
    only add fields (or, for `$unwind`, drop documents the match could not have kept either way)."""
    joined: set[str] = set()
    for position, stage in enumerate(pipeline):
        if not isinstance(stage, dict) or len(stage) != 1:
            return pipeline
        name, spec = next(iter(stage.items()))
        if name == "$lookup" and isinstance(spec, dict) and isinstance(spec.get("as"), str):
            joined.add(spec["as"].split(".")[0])
        elif name == "$unwind":
            path = spec if isinstance(spec, str) else spec.get("path") if isinstance(spec, dict) else None
            if not isinstance(path, str) or path.lstrip("$").split(".")[0] not in joined:
                return pipeline
            if isinstance(spec, dict) and spec.get("includeArrayIndex"):
                joined.add(spec["includeArrayIndex"].split(".")[0])
        elif name == "$match" and position > 0 and isinstance(spec, dict):
            fields = _match_fields(spec)
            if fields is None or any(field.split(".")[0] in joined for field in fields):
                return pipeline
            return [stage, *pipeline[:position], *pipeline[position + 1:]]
        else:
            return pipeline
    return pipeline


def _match_fields(query: dict[str, Any]) -> set[str] | None:
    """The top-level field paths a `$match` reads, or None when it cannot be told safely."""
    fields: set[str] = set()
    for key, value in query.items():
        if key in _MATCH_LOGICAL and isinstance(value, list):
            for clause in value:
                inner = _match_fields(clause) if isinstance(clause, dict) else None
                if inner is None:
                    return None
                fields |= inner
        elif key == "$expr":
            if _mentions_variable(value):
                return None  # $$ROOT and friends can reach the joined fields
            fields |= _expression_fields(value)
        elif key.startswith("$"):
            return None  # $text, $where, …: leave the pipeline as written
        else:
            fields.add(key)
    return fields


def _mentions_variable(expression: Any) -> bool:
    if isinstance(expression, str):
        return expression.startswith("$$")
    if isinstance(expression, dict):
        return any(_mentions_variable(value) for value in expression.values())
    if isinstance(expression, list | tuple):
        return any(_mentions_variable(value) for value in expression)
    return False


def _expression_fields(expression: Any) -> set[str]:
    if isinstance(expression, str):
        return {expression[1:]} if expression.startswith("$") and not expression.startswith("$$") else set()
    if isinstance(expression, dict):
        return set().union(*(_expression_fields(value) for value in expression.values()))
    if isinstance(expression, list | tuple):
        return set().union(*(_expression_fields(value) for value in expression))
    return set()


def _mentions_remove(expression: Any) -> bool:
    if isinstance(expression, str):
        return expression == "$$REMOVE"
    if isinstance(expression, dict):
        return any(_mentions_remove(value) for value in expression.values())
    if isinstance(expression, list):
        return any(_mentions_remove(value) for value in expression)
    return False


def _skip_removed_values_after_group(stage: Any) -> list[dict]:
    """`$push`/`$addToSet` must skip `$$REMOVE` (a missing value); mongoeco pushes null instead.

    django-mongodb-backend compiles filtered and empty aggregates (Sum with
    filter=, Count(distinct=True)) to `$push` of a `$switch` defaulting to
    `$$REMOVE`. Removing the nulls right after the `$group` gives the arrays
    MongoDB would have built, for the accumulators that can produce `$$REMOVE`.
    """
    if not isinstance(stage, dict) or not isinstance(stage.get("$group"), dict):
        return []
    fields = [
        name for name, accumulator in stage["$group"].items()
        if name != "_id" and isinstance(accumulator, dict) and len(accumulator) == 1
        and next(iter(accumulator)) in {"$push", "$addToSet"} and _mentions_remove(next(iter(accumulator.values())))
    ]
    if not fields:
        return []
    return [{"$addFields": {
        name: {"$filter": {"input": f"${name}", "as": "value", "cond": {"$ne": ["$$value", None]}}} for name in fields
    }}]


def rewrite_stage(stage: Any) -> Any:
    if not isinstance(stage, dict) or len(stage) != 1:
        return stage
    ((name, spec),) = stage.items()
    if name == "$match" and isinstance(spec, dict):
        return {name: rewrite_query(spec)}
    if name == "$project" and isinstance(spec, dict):
        return {name: rewrite_projection(spec)}
    if name in _EXPRESSION_STAGES:
        return {name: rewrite_expression(spec)}
    if name == "$lookup" and isinstance(spec, dict):
        spec = dict(spec)
        if isinstance(spec.get("let"), dict):
            spec["let"] = rewrite_expression(spec["let"])
        if isinstance(spec.get("pipeline"), list):
            spec["pipeline"] = rewrite_pipeline(spec["pipeline"])
        return {name: spec}
    if name == "$unionWith" and isinstance(spec, dict) and isinstance(spec.get("pipeline"), list):
        return {name: {**spec, "pipeline": rewrite_pipeline(spec["pipeline"])}}
    if name == "$facet" and isinstance(spec, dict):
        return {name: {key: rewrite_pipeline(value) if isinstance(value, list) else value for key, value in spec.items()}}
    return stage


def rewrite_query(query: dict[str, Any]) -> dict[str, Any]:
    """Rewrite the expressions inside a query document (`$expr`), leaving query operators alone.

    The query operator `$not` (`{"size": {"$not": {"$gt": 3}}}`) is supported
    by mongoeco and is not touched; only the aggregation expression is.
    """
    result = {}
    for key, value in query.items():
        if key == "$expr" and (ids := _expr_id_membership(value)) is not None:
            result["_id"] = {"$in": ids}
        elif key == "$expr":
            result[key] = rewrite_expression(value)
        elif key in {"$and", "$or", "$nor"} and isinstance(value, list):
            result[key] = [rewrite_query(item) if isinstance(item, dict) else item for item in value]
        elif isinstance(value, dict) and isinstance(value.get("$elemMatch"), dict):
            result[key] = {**value, "$elemMatch": rewrite_query(value["$elemMatch"])}
        else:
            result[key] = value
    return _and_flattened(result)


def _expr_id_membership(expression: Any) -> list | None:
    """The ids of `{$in: ["$_id", [ids]]}` when they are plain ObjectIds or strings (not field paths).

    `_id` is never an array and never missing, so the expression and the query operator agree."""
    if not (isinstance(expression, dict) and len(expression) == 1 and isinstance(expression.get("$in"), list)):
        return None
    operands = expression["$in"]
    if len(operands) != 2 or operands[0] != "$_id" or not isinstance(operands[1], (list, tuple)):
        return None
    ids = list(operands[1])
    if not all(isinstance(value, ObjectId) or (isinstance(value, str) and not value.startswith("$")) for value in ids):
        return None
    return ids


def _and_flattened(query: dict[str, Any]) -> dict[str, Any]:
    """`{$and: [{a: …}, {b: …}]}` as `{a: …, b: …}` when every clause names its own plain fields."""
    clauses = query.get("$and")
    if not isinstance(clauses, list) or not clauses or not all(isinstance(clause, dict) for clause in clauses):
        return query
    merged = {key: value for key, value in query.items() if key != "$and"}
    for clause in clauses:
        for key, value in clause.items():
            if key.startswith("$") or key in merged:
                return query
            merged[key] = value
    return merged


def rewrite_projection(projection: dict[str, Any]) -> dict[str, Any]:
    """Flatten nested inclusion projections into dotted paths (fact 3).

    In MongoDB `{"brand": {"name": 1}}` and `{"brand.name": 1}` are the same
    projection; mongoeco understands only the second.
    """
    result: dict[str, Any] = {}
    for key, value in projection.items():
        if _is_nested_projection(value):
            for sub_key, sub_value in rewrite_projection(value).items():
                result[f"{key}.{sub_key}"] = sub_value
        else:
            result[key] = rewrite_expression(value)
    return result


def _is_nested_projection(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and not any(str(key).startswith("$") for key in value)


def rewrite_expression(expression: Any) -> Any:
    if isinstance(expression, list):
        return [rewrite_expression(item) for item in expression]
    if not isinstance(expression, dict):
        return expression
    if len(expression) == 1:
        ((operator, argument),) = expression.items()
        if operator == "$literal":
            return expression
        if operator == "$not":
            return _not_as_cond(argument)
        if operator == "$dateTrunc" and isinstance(argument, dict) and argument.get("timezone") is not None:
            rewritten = _date_trunc_with_timezone({key: rewrite_expression(value) for key, value in argument.items()})
            if rewritten is not None:
                return rewritten
    return {key: rewrite_expression(value) for key, value in expression.items()}


def _not_as_cond(argument: Any) -> dict[str, Any]:
    # {"$not": [x]} and {"$not": x} are both valid MongoDB spellings (fact 2).
    if isinstance(argument, list) and len(argument) == 1:
        argument = argument[0]
    return {"$cond": [rewrite_expression(argument), False, True]}


def _date_trunc_with_timezone(spec: dict[str, Any]) -> dict[str, Any] | None:
    """Express `$dateTrunc` with a time zone through `$dateToParts`/`$dateFromParts` (fact 4).

    Returns None for forms we do not translate (a `binSize` other than 1),
    which then reach the server unchanged and fail loudly there.
    """
    unit = spec.get("unit")
    if not isinstance(unit, str) or unit not in _UNIT_PARTS or spec.get("binSize", 1) != 1:
        return None
    date, timezone = spec["date"], spec["timezone"]
    kept_parts = _DATE_PART_ORDER[: _UNIT_PARTS[unit]]
    parts: dict[str, Any] = {part: f"$$parts.{part}" for part in kept_parts}
    if unit == "quarter":
        # First month of the quarter: month - ((month - 1) mod 3).
        parts["month"] = {"$subtract": ["$$parts.month", {"$mod": [{"$subtract": ["$$parts.month", 1]}, 3]}]}
    truncated: Any = {
        "$let": {
            "vars": {"parts": {"$dateToParts": {"date": date, "timezone": timezone}}},
            "in": {"$dateFromParts": {**parts, "timezone": timezone}},
        }
    }
    if unit == "week":
        start = _WEEKDAY_NUMBER.get(str(spec.get("startOfWeek", "sunday")).lower())
        if start is None:
            return None
        days_back = {"$mod": [{"$add": [{"$subtract": [{"$dayOfWeek": {"date": date, "timezone": timezone}}, start]}, 7]}, 7]}
        truncated = {
            "$dateSubtract": {"startDate": truncated, "unit": "day", "amount": days_back, "timezone": timezone}
        }
    # $dateTrunc answers null for a missing or null date.
    return {"$cond": [{"$eq": [{"$ifNull": [date, None]}, None]}, None, truncated]}


def replica_set_hello_fields(*, replica_set: str, address: str) -> dict[str, Any]:
    """Fields that make the handshake present a one-member replica set (fact 5).

    With them, pymongo (given `?replicaSet=<name>`) sees a primary and
    django-mongodb-backend starts real transactions.
    """
    return {
        "setName": replica_set,
        "setVersion": 1,
        "hosts": [address],
        "primary": address,
        "me": address,
        "secondary": False,
        "isWritablePrimary": True,
    }
