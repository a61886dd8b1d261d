"""Fair-use limits of the API: requests per minute per signed-in user, or per address for anonymous callers.

These keep one client from crowding out the others; the security limits (sign-in attempts, OTP
codes) live in the accounts services. The rates come from settings.API_THROTTLE_RATES when a
request is judged, so a deployment (or a test) can change them without a restart of the class.
The counters are in the cache: if Redis is away the cache answers nothing and requests pass,
since a fairness limit must never take the API down with it.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class StoreAnonThrottle(_SettingsRate, AnonRateThrottle):
    scope = "anon"


class StoreUserThrottle(_SettingsRate, UserRateThrottle):
    scope = "user"
