"""HTTP load on loopback: one bounded headless Locust run per scenario (bench/locustfile.py), read back
from Locust's CSV statistics."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
# Scenario → the Locust user class in bench/locustfile.py (named, not imported: importing Locust
# monkey-patches the process with gevent, which this Django process must not be).
SCENARIO_CLASSES = {
    "listing_full": "ListingFull", "listing_fragment": "ListingFragment", "listing_uncached": "ListingUncached",
    "product_page": "ProductPage", "api_products": "ApiProducts", "api_product": "ApiProduct", "cart_add": "CartAdd",
    "order_place_cod": "OrderPlace", "gridfs_image": "GridFSImage", "bare_view": "BareView", "soak": "Soak",
}


@dataclass
class LoadResult:
    scenario: str
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p99: float
    failure_reasons: list[str] = field(default_factory=list)

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


def load_run(*, scenario: str, host: str, users: int, seconds: int, out_dir: Path, facts_path: Path,
             env: dict[str, str]) -> list[LoadResult]:
    """Run one scenario; returns a row per request name (the scenario's own requests)."""
    prefix = out_dir / scenario
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(BASE_DIR / "bench" / "locustfile.py"), "--headless",
         "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--stop-timeout", "10",
         "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         SCENARIO_CLASSES[scenario]],
        cwd=BASE_DIR, env={**os.environ, **env, "BENCH_FACTS": str(facts_path)}, check=False,
        stdout=subprocess.DEVNULL, stderr=open(out_dir / f"{scenario}.log", "wb"))
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                continue
            rows.append(LoadResult(scenario=scenario, name=row["Name"], requests=int(row["Request Count"]),
                                   failures=int(row["Failure Count"]), rps=float(row["Requests/s"]),
                                   p50=float(row["50%"] or 0), p99=float(row["99%"] or 0)))
    reasons: dict[str, list[str]] = {}
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with open(failures_csv, newline="") as failures:
            for row in csv.DictReader(failures):
                reasons.setdefault(row["Name"], []).append(f"{row['Occurrences']}× {row['Error'][:160]}")
    for row in rows:
        row.failure_reasons = reasons.get(row.name, [])
    return rows
