from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Figures about the store (dashboard aggregations); reads other apps' collections, owns no models yet."""

    name = "truestyle.analytics"
    label = "analytics"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
