"""In-process timings: each endpoint through the middleware stack with Django's test client, and each
raw-driver floor, on the same server and dataset; latency percentiles, database operations per
request and the endpoint-to-floor ratio."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from bench.counting import operations_counted
from bench.endpoints import ENDPOINTS, DatasetFacts, Endpoint
from bench.floors import FLOORS


@dataclass
class Timing:
    key: str
    title: str
    samples_ms: list[float]
    operations: int = 0
    mongo_commands: dict = field(default_factory=dict)
    sql_queries: int = 0
    errors: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def endpoint_measure(endpoint: Endpoint, facts: DatasetFacts, *, iterations: int, warmup: int = 2) -> Timing:
    """Time `iterations` requests after `warmup` untimed ones; operations are those of the median request."""
    prepare, request = endpoint.make(facts)
    for _ in range(warmup):
        prepare()
        request()
    samples, counts, errors, last = [], [], 0, None
    for _ in range(iterations):
        prepare()
        with operations_counted() as operations:
            started = time.perf_counter()
            response = request()
            samples.append((time.perf_counter() - started) * 1000)
        if response.status_code not in endpoint.expect:
            errors += 1
        counts.append(operations.total)
        last = operations
    typical = sorted(counts)[len(counts) // 2]
    return Timing(endpoint.key, endpoint.title, samples, operations=typical,
                  mongo_commands=dict(last.mongo) if last else {}, sql_queries=last.sql if last else 0,
                  errors=errors)


def floor_measure(name: str, facts: DatasetFacts, *, iterations: int, warmup: int = 2) -> Timing:
    run, undo = FLOORS[name](facts)
    try:
        for _ in range(warmup):
            run()
        samples = []
        for _ in range(iterations):
            started = time.perf_counter()
            run()
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        undo()
    return Timing(f"floor_{name}", f"raw pymongo: {name}", samples)


def inprocess_run(*, iterations: int, endpoints=ENDPOINTS, say=print) -> dict:
    facts = DatasetFacts.load()
    results = {}
    for name in FLOORS:
        results[f"floor_{name}"] = floor_measure(name, facts, iterations=iterations)
        say(f"  floor {name}: p50 {results[f'floor_{name}'].p50:.1f} ms")
    for endpoint in endpoints:
        timing = endpoint_measure(endpoint, facts, iterations=iterations)
        results[endpoint.key] = timing
        say(f"  {endpoint.title}: p50 {timing.p50:.1f} ms, {timing.operations} db ops, {timing.errors} errors")
    return results
