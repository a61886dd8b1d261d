"""`manage.py seed_bench [--size default|large|smoke]`: the benchmark dataset (bench/dataset.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.dataset import SIZES, dataset_describe, dataset_seed


class Command(BaseCommand):
    help = "Seed the fixed-seed benchmark dataset into empty databases."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="default",
                            help="default: 300 products (embedded MongoDB); large: 2,000 (a real MongoDB)")

    def handle(self, *args, size, **options):
        chosen = SIZES[size]
        self.stdout.write(f"Seeding {dataset_describe(chosen)}")
        started = time.monotonic()
        try:
            made = dataset_seed(size=chosen, progress=lambda message: self.stdout.write(f"  {message}"))
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {made['products']} products, {made['variants']} variants, {made['images']} images, "
            f"{made['shoppers']} shoppers, {made['coupons']} coupons in {time.monotonic() - started:.0f} s"))
