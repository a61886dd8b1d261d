"""`make bench`: seed (once), measure in-process and over HTTP, soak, and write docs/benchmarks.md.

    python -m bench.run [--size default|large] [--seconds 20] [--users 50] [--soak 600] [--iterations 30]

The dataset is seeded once into var/bench/<size>/ and reused by later runs (`--fresh` seeds anew);
orders the runs place stay in it, and every figure names the dataset and the server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.stack import Stack  # noqa: E402

LOAD_SCENARIOS = ["bare_view", "listing_full", "listing_fragment", "listing_uncached", "product_page",
                  "api_products", "api_product", "cart_add", "order_place_cod", "gridfs_image"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="default", choices=["default", "large", "smoke"])
    parser.add_argument("--seconds", type=int, default=20, help="length of each endpoint's load run")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--soak", type=int, default=600, help="length of the mixed soak, in seconds (0: none)")
    parser.add_argument("--iterations", type=int, default=30, help="timed in-process requests per endpoint")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--fresh", action="store_true", help="seed a new dataset even if one is there")
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "benchmarks.md"))
    options = parser.parse_args(argv)

    work_dir = BASE_DIR / "var" / "bench" / options.size
    if options.fresh and work_dir.exists():
        shutil.rmtree(work_dir)
    stack = Stack(work_dir=work_dir, workers=options.workers, threads=options.threads)
    started = time.monotonic()
    try:
        return _run(stack, options, work_dir, started)
    finally:
        stack.stop()


def _run(stack: Stack, options, work_dir: Path, started: float) -> int:
    say = _printer(started)
    stack.services_start()
    say(f"stack: {stack.server}; databases truestyle_bench (MongoDB and PostgreSQL), Redis db 12")
    stack.manage("migrate", "--noinput", "-v0")
    stack.manage("migrate", "--database", "mongodb", "--noinput", "-v0")
    marker = work_dir / "seeded.json"
    if not marker.exists():
        say(f"seeding the {options.size} dataset (once; later runs reuse it)")
        seed_started = time.monotonic()
        stack.manage("seed_bench", "--size", options.size)
        marker.write_text(json.dumps({"size": options.size, "seconds": round(time.monotonic() - seed_started)}))

    from bench.counting import counting_install

    counting_install()
    import django

    django.setup()
    from bench.dataset import SIZES, dataset_describe
    from bench.facts import facts_write
    from bench.inprocess import inprocess_run
    from bench.invariants import store_invariants_check
    from bench.load import load_run
    from bench.report import report_write

    say("in-process: each endpoint and each raw-driver floor")
    inprocess = inprocess_run(iterations=options.iterations, say=say)

    stack.web_start()
    say(f"gunicorn on {stack.base_url} ({options.workers} workers × {options.threads} threads), Celery worker")
    load_dir = work_dir / "load"
    load_dir.mkdir(exist_ok=True)
    facts_path = work_dir / "facts.json"
    load = []
    for scenario in LOAD_SCENARIOS:
        facts_write(facts_path, shoppers=options.users)
        rows = load_run(scenario=scenario, host=stack.base_url, users=options.users, seconds=options.seconds,
                        out_dir=load_dir, facts_path=facts_path, env=stack.env)
        for row in rows:
            say(f"  {row.name}: {row.rps:.1f} req/s, p50 {row.p50:.0f} ms, p99 {row.p99:.0f} ms, "
                f"{row.failures}/{row.requests} failed")
        load += rows

    soak = None
    if options.soak:
        say(f"soak: {options.users} shoppers browsing, filling bags and checking out for {options.soak} s")
        facts_write(facts_path, shoppers=options.users)
        rows = load_run(scenario="soak", host=stack.base_url, users=options.users, seconds=options.soak,
                        out_dir=load_dir, facts_path=facts_path, env=stack.env)
        verdict = store_invariants_check()
        soak = {"seconds": options.soak, "rows": rows, "verdict": verdict}
        say(f"  after the soak: {verdict.orders} orders, {verdict.units_sold} units sold, {verdict.coupon_uses} "
            f"coupon uses; {'everything adds up' if verdict.holds else f'{len(verdict.problems)} problems'}")

    seeded = json.loads((work_dir / "seeded.json").read_text())
    report_write(Path(options.out), inprocess=inprocess, load=load, soak=soak, server=stack.server,
                 dataset=dataset_describe(SIZES[options.size]), seed_seconds=seeded.get("seconds"),
                 options=options)
    say(f"wrote {options.out}")
    failed = soak is not None and not soak["verdict"].holds
    return 1 if failed else 0


def _printer(started: float):
    def say(message: str) -> None:
        print(f"[{time.monotonic() - started:6.0f}s] {message}", flush=True)

    return say


if __name__ == "__main__":
    sys.exit(main())
