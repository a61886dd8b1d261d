"""The backup archive: one tar.gz, its members, its manifest, and how an archive is checked.

Members, in this order (a restore reads them front to back):

    sql/<table>.jsonl                 one JSON object per row of a PostgreSQL table, by primary key
    mongo/<collection>.jsonl          one document per line, canonical extended JSON (bson.json_util),
                                      so ObjectId, Decimal128, int32/int64, doubles and dates come
                                      back exactly as they were
    gridfs/<bucket>/<n>.json          a GridFS files document (canonical extended JSON) ...
    gridfs/<bucket>/<n>.bin           ... and that file's bytes, right after it
    manifest.json                     format and app version, creation time, counts, the applied
                                      migrations, the SQL columns, and each member's sha256 and size

The manifest comes last because it holds every member's checksum, computed while writing.
`archive_problems` reads an archive once, as a stream, and lists everything wrong with it;
an archive with any problem is never applied.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from bson import json_util
from bson.errors import BSONError
from bson.json_util import CANONICAL_JSON_OPTIONS

from truestyle.core.storage import GridFSStorage

FORMAT = "truestyle-backup"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 16 * 1024 * 1024
# Archives (backups and uploaded ones) have a bucket of their own, never backed up or restored:
# a backup holding earlier backups would double in size every time.
ARCHIVE_BUCKET = "backups"
PROBLEM_LIMIT = 50  # an archive with thousands of bad members reports the first 50

SQL_MEMBER = re.compile(r"^sql/(?P<table>[a-z0-9_]{1,63})\.jsonl$")
MONGO_MEMBER = re.compile(r"^mongo/(?P<collection>[A-Za-z0-9_][A-Za-z0-9_.-]{0,119})\.jsonl$")
GRIDFS_MEMBER = re.compile(r"^gridfs/(?P<bucket>[A-Za-z0-9_-]{1,60})/(?P<index>0|[1-9][0-9]{0,8})\.(?P<kind>json|bin)$")


def archive_storage() -> GridFSStorage:
    return GridFSStorage(database_alias="mongodb", bucket_name=ARCHIVE_BUCKET)


def mongo_dumps(document) -> str:
    return json_util.dumps(document, json_options=CANONICAL_JSON_OPTIONS)


def mongo_loads(line: bytes | str):
    return json_util.loads(line, json_options=CANONICAL_JSON_OPTIONS)


def sql_member(table: str) -> str:
    return f"sql/{table}.jsonl"


def mongo_member(collection: str) -> str:
    return f"mongo/{collection}.jsonl"


def gridfs_member(bucket: str, index: int, kind: str) -> str:
    return f"gridfs/{bucket}/{index}.{kind}"


def gridfs_member_bin(json_name: str) -> str:
    return json_name[: -len(".json")] + ".bin"


class HashingReader:
    """Reads through to `raw`, hashing what passes (the bytes of a GridFS file going into the tar)."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


@dataclass
class Manifest:
    """What a manifest says; `problems` lists what is wrong with the manifest itself."""

    data: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def members(self) -> dict:
        return self.data.get("members") or {}


def manifest_read(raw: bytes) -> Manifest:
    manifest = Manifest()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        manifest.problems.append("The manifest is not valid JSON.")
        return manifest
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        manifest.problems.append("The manifest is not a TrueStyle backup manifest.")
        return manifest
    version = data.get("format_version")
    if version not in SUPPORTED_FORMAT_VERSIONS:
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_FORMAT_VERSIONS))
        manifest.problems.append(f"Unsupported format version {version!r} (this store reads version {supported}).")
        return manifest
    members = data.get("members")
    well_formed = isinstance(members, dict) and all(
        isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("size"), int)
        for entry in members.values())
    counts = data.get("counts")
    counts_ok = isinstance(counts, dict) and all(
        isinstance(counts.get(part), dict) and all(isinstance(n, int) and n >= 0 for n in counts[part].values())
        for part in ("mongo", "gridfs", "sql"))
    columns = data.get("sql_columns")
    if not (well_formed and counts_ok and isinstance(columns, dict) and isinstance(data.get("migrations"), list)):
        manifest.problems.append("The manifest is incomplete (members, counts, columns or migrations are missing).")
        return manifest
    manifest.data = data
    return manifest


@dataclass
class MemberFacts:
    """What reading one member found: its checksum and size, and how many records it holds."""

    sha256: str
    size: int
    records: int = 0
    problem: str = ""
    length: int | None = None  # of a GridFS files document: the length its bytes must have


def _member_facts(name: str, stream, *, sql_columns: dict | None = None) -> MemberFacts:
    """Hash a member and, for JSON lines, parse every line, so a bad record is found before anything changes."""
    digest = hashlib.sha256()
    size = records = 0
    problem = ""
    parse = name.endswith(".jsonl") or name.endswith(".json")
    pending = b""
    while chunk := stream.read(256 * 1024):
        digest.update(chunk)
        size += len(chunk)
        if not parse:
            continue
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            records += 1
            problem = problem or _record_problem(name, line, records, sql_columns)
    if parse and pending:
        records += 1
        problem = problem or _record_problem(name, pending, records, sql_columns)
    facts = MemberFacts(sha256=digest.hexdigest(), size=size, records=records, problem=problem)
    if name.endswith(".json") and not problem:
        if records != 1:
            facts.problem = f"{name}: not one GridFS file document."
        else:
            document = mongo_loads(pending or lines[-1])
            length = document.get("length")
            facts.length = length if isinstance(length, int) else None
    return facts


def _record_problem(name: str, line: bytes, number: int, sql_columns: dict | None) -> str:
    try:
        record = mongo_loads(line) if not name.startswith("sql/") else json.loads(line)
    except (ValueError, TypeError, BSONError) as error:  # BSONError: a damaged ObjectId, date or binary
        return f"{name}, line {number}: not a valid record ({str(error)[:80]})."
    if not isinstance(record, dict):
        return f"{name}, line {number}: not a valid record."
    if name.startswith("sql/") and sql_columns is not None and sorted(record) != sorted(sql_columns):
        return f"{name}, line {number}: its columns do not match the table's."
    if name.startswith("mongo/") and "_id" not in record:
        return f"{name}, line {number}: a document without an _id."
    if name.startswith("gridfs/") and not (
            "_id" in record and isinstance(record.get("length"), int) and isinstance(record.get("chunkSize"), int)
            and record["chunkSize"] > 0):
        return f"{name}: not a GridFS file document."
    return ""
    return ""


def archive_problems(stream, *, expected_migrations: list[str], expected_sql_columns: dict[str, list[str]],
                     excluded_collections: frozenset[str], manifest_out: dict | None = None) -> list[str]:
    """Everything wrong with the archive `stream` (read once, front to back); [] means it may be applied.

    `expected_migrations` and `expected_sql_columns` describe this store: an archive made by another
    version of the schema is refused. A readable manifest is copied into `manifest_out`.
    """
    problems: list[str] = []
    facts: dict[str, MemberFacts] = {}
    manifest_raw = None
    try:
        with tarfile.open(fileobj=stream, mode="r|gz") as tar:
            for info in tar:
                if info.name == MANIFEST and manifest_raw is None and info.isfile() and info.size <= MANIFEST_MAX_BYTES:
                    manifest_raw = tar.extractfile(info).read()
                    continue
                problem = _name_problem(info, facts, excluded_collections)
                if problem:
                    problems.append(problem)
                    continue
                table = SQL_MEMBER.match(info.name)
                columns = expected_sql_columns.get(table["table"]) if table else None
                if table and columns is None:
                    problems.append(f"{info.name}: this store has no table {table['table']!r}.")
                    continue
                facts[info.name] = _member_facts(info.name, tar.extractfile(info), sql_columns=columns)
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError):
        return ["This is not a TrueStyle backup archive (not a readable tar.gz file)."]
    if manifest_raw is None:
        return ["The archive has no manifest.json: it is not a TrueStyle backup archive."]
    manifest = manifest_read(manifest_raw)
    if manifest.problems:
        return manifest.problems
    if manifest_out is not None:
        manifest_out.update(manifest.data)
    problems += _check_against_manifest(manifest, facts)
    problems += _check_versions(manifest, expected_migrations, expected_sql_columns)
    return problems[:PROBLEM_LIMIT]


def _name_problem(info: tarfile.TarInfo, seen: dict, excluded_collections: frozenset[str]) -> str:
    if not info.isfile():
        return f"{info.name}: not a regular file."
    if info.name in seen:
        return f"{info.name}: appears twice."
    mongo = MONGO_MEMBER.match(info.name)
    if mongo:
        collection = mongo["collection"]
        if collection in excluded_collections or collection.startswith("system.") or \
                collection.endswith((".files", ".chunks")):
            return f"{info.name}: this collection is never restored."
        return ""
    gridfs = GRIDFS_MEMBER.match(info.name)
    if gridfs and gridfs["bucket"] == ARCHIVE_BUCKET:
        return f"{info.name}: the bucket of backup archives is never restored."
    if gridfs or SQL_MEMBER.match(info.name):
        return ""
    return f"{info.name}: not a member of a TrueStyle backup."


def _check_against_manifest(manifest: Manifest, facts: dict[str, MemberFacts]) -> list[str]:
    problems = []
    listed = manifest.members
    for name, fact in facts.items():
        entry = listed.get(name)
        if entry is None:
            problems.append(f"{name}: not listed in the manifest.")
        elif (entry["sha256"], entry["size"]) != (fact.sha256, fact.size):
            problems.append(f"{name}: checksum mismatch (the member is damaged or was changed).")
        elif fact.problem:
            problems.append(fact.problem)
    problems += [f"{name}: listed in the manifest but missing from the archive."
                 for name in listed if name not in facts and name != MANIFEST]
    problems += _order_problems(list(facts))
    if problems:
        return problems
    counts = manifest.data["counts"]
    expected = {**{sql_member(t): n for t, n in counts["sql"].items()},
                **{mongo_member(c): n for c, n in counts["mongo"].items()}}
    for name in facts:
        if (SQL_MEMBER.match(name) or MONGO_MEMBER.match(name)) and name not in expected:
            problems.append(f"{name}: has no count in the manifest.")
    for name, count in expected.items():
        if name not in facts:
            problems.append(f"{name}: counted in the manifest but missing from the archive.")
        elif facts[name].records != count:
            problems.append(f"{name}: holds {facts[name].records} records, the manifest says {count}.")
    for bucket, count in counts["gridfs"].items():
        for index in range(count):
            for kind in ("json", "bin"):
                if gridfs_member(bucket, index, kind) not in facts:
                    problems.append(f"{gridfs_member(bucket, index, kind)}: missing from the archive.")
    for name, fact in facts.items():
        if name.endswith(".json") and gridfs_member_bin(name) in facts and facts[gridfs_member_bin(name)].size != fact.length:
            problems.append(f"{gridfs_member_bin(name)}: its size does not match its file document.")
    found = {(m["bucket"], int(m["index"])) for m in map(GRIDFS_MEMBER.match, facts) if m}
    problems += [f"gridfs/{bucket}/{index}: not counted in the manifest." for bucket, index in sorted(found)
                 if index >= counts["gridfs"].get(bucket, 0)]
    return problems


def _order_problems(names: list[str]) -> list[str]:
    """A restore reads the archive once: tables, then collections, then each file's document and its bytes."""
    ranks = [0 if SQL_MEMBER.match(n) else 1 if MONGO_MEMBER.match(n) else 2 for n in names]
    if ranks != sorted(ranks):
        return ["The archive's members are not in the order a backup writes them."]
    for position, name in enumerate(names):
        if name.endswith(".json") and (position + 1 == len(names) or names[position + 1] != gridfs_member_bin(name)):
            return [f"{name}: not followed by its file's bytes."]
        if name.endswith(".bin") and (position == 0 or gridfs_member_bin(names[position - 1]) != name):
            return [f"{name}: not preceded by its file document."]
    return []


def _check_versions(manifest: Manifest, expected_migrations: list[str], expected_columns: dict) -> list[str]:
    problems = []
    archived = set(manifest.data["migrations"])
    here = set(expected_migrations)
    if archived != here:
        problems.append(f"The archive was made by another version of the store's database schema "
                        f"({len(archived - here)} migration(s) not applied here, {len(here - archived)} "
                        f"applied here but not in the archive).")
    for table, columns in manifest.data["sql_columns"].items():
        if table in expected_columns and sorted(columns) != sorted(expected_columns[table]):
            problems.append(f"The table {table!r} has other columns in the archive than in this store.")
        elif table not in expected_columns:
            problems.append(f"The archive holds a table {table!r} this store does not have.")
    return problems


def jsonl_records(stream, *, mongo: bool) -> Iterator[dict]:
    """The records of a JSON-lines member, one at a time."""
    for line in stream:  # bytes, split at b"\n" only (a stream member cannot seek, so no TextIOWrapper)
        line = line.rstrip(b"\n")
        if line:
            yield mongo_loads(line) if mongo else json.loads(line)
