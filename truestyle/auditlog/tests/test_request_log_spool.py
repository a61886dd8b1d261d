"""The spool on disk: one open file per process, seen by flushers only once sealed, written exactly once.

The processes are real: children that spool and then exit, or die without sealing their file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from truestyle.auditlog.services import request_log_flush_spool, request_log_spool, request_log_spool_seal
from truestyle.auditlog.spool import STALE_TEMP_SECONDS, Spool, SpoolFile
from truestyle.auditlog.tests.factories import logged_requests, request_record, sealed_files, spooled_records

BASE_DIR = Path(__file__).resolve().parents[3]

# A process of its own that appends batches to its spool file, then seals it or dies without sealing.
CHILD = """
import json, os, sys
from truestyle.auditlog.spool import SpoolFile

directory, batches, seal = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3] == "seal"
spool_file = SpoolFile()
for batch in batches:
    spool_file.append(directory, batch)
if seal:
    spool_file.seal()
os._exit(0)  # no clean-up at exit, as when a process is killed
"""


def _spooling_process(directory: Path, batches: list[list[dict]], *, seal: bool) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(directory), json.dumps(batches),
                             "seal" if seal else "die"], cwd=BASE_DIR)


def test_batches_go_to_one_open_file_that_flushers_see_only_once_it_is_sealed(request_log, spool_dir):
    first = request_log_spool(records=[request_record(path="/a/")], keep_open=True)
    second = request_log_spool(records=[request_record(path="/b/"), request_record(path="/c/")], keep_open=True)

    assert first == second
    assert Spool(spool_dir).files() == []  # what a flusher in another process sees
    assert [record["path"] for record in spooled_records(spool_dir)] == ["/a/", "/b/", "/c/"]

    assert request_log_spool_seal() == first
    assert sealed_files(spool_dir) == [first.name]
    assert request_log_spool_seal() is None

    assert request_log_flush_spool() == 3
    assert [row[1] for row in logged_requests()] == ["/a/", "/b/", "/c/"]
    assert list(spool_dir.iterdir()) == []


def test_a_flush_in_the_spooling_process_seals_and_writes_its_open_file(request_log, spool_dir):
    request_log_spool(records=[request_record(path="/open/")], keep_open=True)

    assert request_log_flush_spool() == 1

    assert logged_requests() == [("GET", "/open/", 200, "", "203.0.113.7")]
    assert list(spool_dir.iterdir()) == []


def test_the_open_file_is_sealed_when_it_is_old_enough_or_full(tmp_path):
    by_age = SpoolFile(max_age=0.2)
    path = by_age.append(tmp_path / "age", [request_record()])
    assert by_age.seal(due_only=True) is None
    time.sleep(0.25)
    assert by_age.seal(due_only=True) == path
    assert sealed_files(tmp_path / "age") == [path.name]

    by_size = SpoolFile(max_records=3)
    full = by_size.append(tmp_path / "size", [request_record(path="/1/"), request_record(path="/2/")])
    assert sealed_files(tmp_path / "size") == []
    assert by_size.append(tmp_path / "size", [request_record(path="/3/")]) == full
    assert sealed_files(tmp_path / "size") == [full.name]
    after = by_size.append(tmp_path / "size", [request_record(path="/4/")])
    assert after != full
    assert [record["path"] for record in spooled_records(tmp_path / "size")] == ["/1/", "/2/", "/3/", "/4/"]


def test_four_processes_spooling_at_once_leave_one_file_each_written_exactly_once(request_log, spool_dir):
    processes = [
        _spooling_process(spool_dir, [[request_record(path=f"/p{n}/b{batch}/r{row}/") for row in range(5)]
                                      for batch in range(3)], seal=True)
        for n in range(4)
    ]
    assert [process.wait(20) for process in processes] == [0, 0, 0, 0]

    assert len(sealed_files(spool_dir)) == 4
    assert request_log_flush_spool() == 60
    assert sorted(row[1] for row in logged_requests()) == sorted(
        f"/p{n}/b{batch}/r{row}/" for n in range(4) for batch in range(3) for row in range(5))
    assert list(spool_dir.iterdir()) == []


def test_the_open_file_of_a_process_that_died_is_sealed_later_and_written_once(request_log, spool_dir):
    child = _spooling_process(spool_dir, [[request_record(path="/died/1/")], [request_record(path="/died/2/")]],
                              seal=False)
    assert child.wait(20) == 0
    [open_file] = list(spool_dir.iterdir())

    # A file this fresh may belong to a live process still appending to it: left alone.
    assert request_log_flush_spool() == 0
    assert list(spool_dir.iterdir()) == [open_file]
    old = time.time() - STALE_TEMP_SECONDS - 1
    os.utime(open_file, (old, old))

    assert request_log_flush_spool() == 2
    assert request_log_flush_spool() == 0
    assert [row[1] for row in logged_requests()] == ["/died/1/", "/died/2/"]
    assert list(spool_dir.iterdir()) == []
