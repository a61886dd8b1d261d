"""The store's settings plus one bare view (bench/urls.py): what `make bench` serves and measures."""

from datetime import timedelta

from truestyle.settings import *  # noqa: F403
from truestyle.settings import SIMPLE_JWT

ROOT_URLCONF = "bench.urls"
# Sign-ins are minted once before a run; a 10-minute soak must not outlive its access tokens.
SIMPLE_JWT = {**SIMPLE_JWT, "ACCESS_TOKEN_LIFETIME": timedelta(minutes=30)}
