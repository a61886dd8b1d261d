"""`manage.py seed_demo`: demo data for a local run, loaded once; prints the staff sign-in every time."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from truestyle.accounts.services import demo_administrator_ensure
from truestyle.catalog.demo import demo_catalogue_load
from truestyle.cms.demo import demo_content_load

DEMO_ADMIN_EMAIL = "admin@truestyle.local"


class Command(BaseCommand):
    help = "Load the demo data (first run only) and print how to sign in as staff."

    def handle(self, *args, **options):
        credentials = settings.VAR_DIR / "demo-admin.txt"
        if credentials.exists():
            password = credentials.read_text().strip()
        else:
            # A fresh random password per machine: a demo login must not be a published secret.
            password = secrets.token_urlsafe(12)
        admin, created = demo_administrator_ensure(email=DEMO_ADMIN_EMAIL, password=password)
        if created:
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(password + "\n")
            credentials.chmod(0o600)
            self.stdout.write("Created the demo administrator.")
        made = demo_catalogue_load(progress=self._progress)
        if made:
            self.stdout.write(f"Loaded the demo catalogue: {made} products.")
        if demo_content_load(actor=admin):
            self.stdout.write("Loaded the demo store content and coupons (WELCOME10, FLAT200).")
        self.stdout.write(self.style.SUCCESS(
            f"Staff sign-in: {DEMO_ADMIN_EMAIL} / {password}  (at http://127.0.0.1:8000/staff/)"
        ))

    def _progress(self, done: int, total: int) -> None:
        if done == 1 or done % 8 == 0 or done == total:
            self.stdout.write(f"Loading the demo catalogue: {done}/{total} products")
            self.stdout.flush()
