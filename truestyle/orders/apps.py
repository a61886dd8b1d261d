from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "truestyle.orders"
    label = "orders"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
