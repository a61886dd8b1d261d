"""Profile one benchmarked endpoint in-process with pyinstrument, on the seeded benchmark dataset.

    .venv/bin/python -m bench.profile product_page [--size default] [--requests 20]

Starts the benchmark's databases as `make bench` does (the dataset must be seeded: run `make bench`
once), makes the requests through the whole middleware stack and prints where the time went.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.stack import Stack  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("endpoint")
    parser.add_argument("--size", default="default")
    parser.add_argument("--requests", type=int, default=20)
    options = parser.parse_args(argv)
    work_dir = BASE_DIR / "var" / "bench" / options.size
    if not (work_dir / "seeded.json").exists():
        parser.error(f"no seeded {options.size} dataset in {work_dir}: run `make bench` first")
    stack = Stack(work_dir=work_dir, workers=1, threads=1)
    try:
        stack.services_start()
        import django
        from pyinstrument import Profiler

        django.setup()
        from bench.endpoints import ENDPOINTS, DatasetFacts

        endpoint = next((e for e in ENDPOINTS if e.key == options.endpoint), None)
        if endpoint is None:
            parser.error(f"unknown endpoint; one of: {', '.join(e.key for e in ENDPOINTS)}")
        prepare, request = endpoint.make(DatasetFacts.load())
        prepare()
        request()  # warm the caches first, as the benchmark does
        profiler = Profiler(interval=0.0005)
        for _ in range(options.requests):
            prepare()
            profiler.start()
            request()
            profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
