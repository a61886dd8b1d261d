from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "truestyle.core"
    label = "core"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
