from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"

    def ready(self):
        from api import schema  # noqa: F401  (registers the schema extensions)
