"""Browser sessions in MongoDB that know their user, device and IP.

Django's database session store, with our model: listing a user's signed-in
browsers and ending them all (sign out everywhere, blocking, password reset)
is then one indexed query.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

USER_ID_KEY = "_auth_user_id"
DEVICE_KEY = "_truestyle_device"
IP_KEY = "_truestyle_ip"


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from truestyle.accounts.models import BrowserSession

        return BrowserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = str(data.get(USER_ID_KEY, ""))
        instance.device = str(data.get(DEVICE_KEY, ""))[:300]
        instance.ip_address = str(data.get(IP_KEY, ""))[:45]
        return instance
