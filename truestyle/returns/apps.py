from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "truestyle.returns"
    label = "returns"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
