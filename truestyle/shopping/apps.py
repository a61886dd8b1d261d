from django.apps import AppConfig


class ShoppingConfig(AppConfig):
    name = "truestyle.shopping"
    label = "shopping"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
