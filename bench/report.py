"""docs/benchmarks.md's figures: tables, a chart (docs/benchmarks.png) and the raw numbers
(docs/benchmarks.json). Only the part between the results markers is rewritten; the analysis
around it is written by hand."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

START, END = "<!-- results:start -->", "<!-- results:end -->"
# Issue targets: endpoint → (floor, greatest acceptable ratio)
TARGETS = {"listing_uncached": 10.0, "listing_full": 10.0, "listing_fragment": 10.0, "product_page": 8.0,
           "product_page_again": 8.0, "order_place_cod": 3.0}
# Locust request name (bench/locustfile.py) → the endpoint measured in-process.
REQUEST_ENDPOINTS = {
    "bare view": "bare_view", "listing (full, cached)": "listing_full", "listing (htmx, cached)": "listing_fragment",
    "listing (signed in, uncached)": "listing_uncached", "product page": "product_page",
    "API product list": "api_products", "API product detail": "api_product", "add to cart": "cart_add",
    "place order (COD)": "order_place_cod", "GridFS image": "gridfs_image",
}


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def report_write(path: Path, *, inprocess: dict, load: list, soak: dict | None, server: str, dataset: str,
                 seed_seconds: int | None, options) -> None:
    floors = {key.removeprefix("floor_"): timing for key, timing in inprocess.items() if key.startswith("floor_")}
    from bench.endpoints import ENDPOINTS

    lines = [START, "",
             f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({_cpu()}), "
             f"Python {platform.python_version()}.",
             f"Server: **{server}**. Dataset: {dataset}"
             + (f"; seeding took {seed_seconds} s." if seed_seconds else "."), "",
             "### In-process: each endpoint against its raw-driver floor", "",
             f"{options.iterations} timed requests each through the whole middleware stack (Django's test "
             "client), after 2 untimed ones; the floor is the same read or write through pymongo alone "
             "(bench/floors.py).", "",
             "| Endpoint | p50 ms | p99 ms | DB ops / request (MongoDB + SQL) | Floor p50 ms | × floor | Target |",
             "|---|---:|---:|---:|---:|---:|---|"]
    ratios = {}
    for endpoint in ENDPOINTS:
        timing = inprocess[endpoint.key]
        floor = floors.get(endpoint.floor)
        ratio = timing.p50 / floor.p50 if floor and floor.p50 else None
        ratios[endpoint.key] = ratio
        target = TARGETS.get(endpoint.key)
        verdict = "" if target is None or ratio is None else (
            f"≤ {target:g}× {'met' if ratio <= target else '**not met**'}")
        lines.append(f"| {endpoint.title} | {timing.p50:.1f} | {timing.p99:.1f} | {timing.operations} "
                     f"({sum(timing.mongo_commands.values())} + {timing.sql_queries}) | "
                     f"{f'{floor.p50:.1f} ({endpoint.floor})' if floor else '–'} | "
                     f"{f'{ratio:.1f}' if ratio else '–'} | {verdict} |")
    lines += ["", f"Floors: " + "; ".join(f"{name} p50 {timing.p50:.1f} ms, p99 {timing.p99:.1f} ms"
                                       for name, timing in floors.items()) + ".", ""]
    bare_rps = next((row.rps for row in load if row.scenario == "bare_view"), None)
    lines += [f"### Over HTTP: gunicorn ({options.workers} workers × {options.threads} threads), "
              f"{options.users} concurrent Locust users on loopback, {options.seconds} s per endpoint", "",
              "| Endpoint | req/s | p50 ms | p99 ms | errors | DB ops / request | req/s vs bare view |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for row in load:
        # Only a scenario's own request has the in-process count; its helpers (a bag filled before an
        # order, lines removed) are shown without one.
        timing = inprocess.get(REQUEST_ENDPOINTS.get(row.name, ""))
        operations = timing.operations if timing else "–"
        share = f"{row.rps / bare_rps:.2f}" if bare_rps and row.scenario != "bare_view" else "–"
        lines.append(f"| {row.name} | {row.rps:.1f} | {row.p50:.0f} | {row.p99:.0f} | "
                     f"{row.failures}/{row.requests} ({row.error_rate:.1%}) | {operations} | {share} |")
    reasons = [f"{row.name}: {reason}" for row in load for reason in row.failure_reasons]
    if reasons:
        lines += ["", "Errors seen: " + "; ".join(reasons[:8]) + "."]
    lines.append("")
    if soak:
        verdict = soak["verdict"]
        total = sum(row.requests for row in soak["rows"])
        failures = sum(row.failures for row in soak["rows"])
        lines += [f"### Soak: {options.users} shoppers for {soak['seconds']} s (browse, bag, checkout, coupons)", "",
                  f"{total} requests, {failures} failed. Afterwards: {verdict.orders} orders in the store, "
                  f"{verdict.units_sold} units sold, {verdict.coupon_uses} coupon uses; "
                  + ("stock, ledger, coupon uses and order totals all add up."
                     if verdict.holds else f"**{len(verdict.problems)} problems**: "
                     + "; ".join(verdict.problems[:10])), "",
                  "| Request | req/s | p50 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {row.name} | {row.rps:.1f} | {row.p50:.0f} | {row.p99:.0f} | {row.failures}/{row.requests} |"
                  for row in soak["rows"]]
        reasons = [f"{row.name}: {reason}" for row in soak["rows"] for reason in row.failure_reasons]
        if reasons:
            lines += ["", "Errors seen: " + "; ".join(reasons[:8]) + "."]
        lines.append("")
    lines += ["![p50 latency in-process and over HTTP, and the ratio to each floor](benchmarks.png)", "", END]
    _chart(path.with_suffix(".png"), inprocess, load, ratios)
    path.with_suffix(".json").write_text(json.dumps({
        "server": server, "dataset": dataset,
        "inprocess": {key: {"p50_ms": t.p50, "p99_ms": t.p99, "operations": t.operations,
                            "mongo_commands": t.mongo_commands, "sql_queries": t.sql_queries, "errors": t.errors}
                      for key, t in inprocess.items()},
        "ratios": ratios,
        "http": [row.__dict__ for row in load],
        "soak": None if not soak else {"seconds": soak["seconds"], "problems": soak["verdict"].problems,
                                       "orders": soak["verdict"].orders,
                                       "rows": [row.__dict__ for row in soak["rows"]]},
    }, indent=1, default=str))
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    path.write_text(before + "\n".join(lines) + after)


def _chart(path: Path, inprocess: dict, load: list, ratios: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bench.endpoints import ENDPOINTS

    titles = [endpoint.title for endpoint in ENDPOINTS]
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5), gridspec_kw={"width_ratios": [3, 2]})
    positions = range(len(ENDPOINTS))
    http = {REQUEST_ENDPOINTS[row.name]: row.p50 for row in load if row.name in REQUEST_ENDPOINTS}
    left.barh([p + 0.2 for p in positions], [inprocess[e.key].p50 for e in ENDPOINTS], height=0.4,
              label="in-process p50")
    left.barh([p - 0.2 for p in positions], [http.get(e.key, 0) for e in ENDPOINTS], height=0.4,
              label="HTTP p50 under load")
    left.set_yticks(list(positions), titles, fontsize=8)
    left.set_xscale("log")
    left.set_xlabel("milliseconds (log scale)")
    left.legend(fontsize=8)
    left.invert_yaxis()
    measured = [(e.title, ratios[e.key], TARGETS.get(e.key)) for e in ENDPOINTS if ratios.get(e.key)]
    right.barh(range(len(measured)), [ratio for _, ratio, _ in measured], color="#8FA98A")
    for index, (_, _, target) in enumerate(measured):
        if target:
            right.plot([target, target], [index - 0.4, index + 0.4], color="#7A1F2B")
    right.set_yticks(range(len(measured)), [title for title, _, _ in measured], fontsize=8)
    right.set_xlabel("× raw-driver floor (red: target)")
    right.invert_yaxis()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
