"""The Celery application: Redis is the broker; tasks take ids and call one service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truestyle.settings")

app = Celery("truestyle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
