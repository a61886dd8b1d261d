"""`manage.py mongoserver`: run the embedded MongoDB-compatible server in the foreground."""

import asyncio
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from truestyle.core.mongo.server import serve


class Command(BaseCommand):
    help = "Run the embedded MongoDB-compatible server (a one-member replica set) in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.EMBEDDED_MONGO_HOST)
        parser.add_argument("--port", type=int, default=settings.EMBEDDED_MONGO_PORT)
        parser.add_argument("--data", default=str(settings.EMBEDDED_MONGO_DATA_DIR),
                            help="directory for the SQLite files (':memory:' keeps nothing)")
        parser.add_argument("--replica-set", default=settings.EMBEDDED_MONGO_REPLICA_SET)
        parser.add_argument("--advertise-host", default=None,
                            help="host name clients use to reach this server (defaults to --host)")

    def handle(self, *args, **options):
        data_dir = None if options["data"] == ":memory:" else Path(options["data"])

        def ready(address):
            where = data_dir or "memory"
            self.stdout.write(f"embedded MongoDB listening on {address.host}:{address.port} (data: {where})")
            self.stdout.flush()

        asyncio.run(
            serve(host=options["host"], port=options["port"], data_dir=data_dir,
                  replica_set=options["replica_set"], advertise_host=options["advertise_host"], ready=ready)
        )
