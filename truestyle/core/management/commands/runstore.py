"""`manage.py runstore` (what `make run` calls): the whole store on one machine, one command.

Starts the embedded MongoDB (unless MONGODB_URI names one), migrates both
databases, loads the demo data the first time, prints the staff sign-in and
serves the site. Ctrl-C stops everything it started; the data stays in var/.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from truestyle.core.mongo.process import port_is_open, start_embedded_mongo, stop_process


class Command(BaseCommand):
    help = "Run the whole store locally: embedded MongoDB, migrations, demo data and the web server."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare everything, then exit")

    def handle(self, *args, **options):
        mongo = None
        if not os.environ.get("MONGODB_URI"):
            host, port = settings.EMBEDDED_MONGO_HOST, settings.EMBEDDED_MONGO_PORT
            if port_is_open(host, port):
                self.stdout.write(f"Using the embedded MongoDB already listening on {host}:{port}.")
            else:
                self.stdout.write(f"Starting the embedded MongoDB on {host}:{port} (data in {settings.EMBEDDED_MONGO_DATA_DIR})")
                mongo = start_embedded_mongo(port=port, host=host, data_dir=str(settings.EMBEDDED_MONGO_DATA_DIR),
                                             log_path=settings.VAR_DIR / "mongoserver.log")
        try:
            self._prepare()
            if not options["no_serve"]:
                self._serve(options["addrport"])
        finally:
            if mongo is not None:
                stop_process(mongo)
                self.stdout.write("Stopped the embedded MongoDB; the data stays in var/.")

    def _prepare(self):
        self.stdout.write("Migrating PostgreSQL/SQLite (default) and MongoDB...")
        call_command("migrate", database="default", interactive=False, verbosity=0)
        call_command("migrate", database="mongodb", interactive=False, verbosity=0)
        call_command("seed_demo", stdout=self.stdout)
        connections.close_all()

    def _serve(self, addrport):
        self.stdout.write(self.style.SUCCESS(f"TrueStyle is running at http://{addrport}/  (Ctrl-C stops it)"))
        # runserver in a child process, so that Ctrl-C reaches both and we clean up after it.
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", addrport, "--noreload", "--skip-checks"],
                                  cwd=settings.BASE_DIR)
        try:
            server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
