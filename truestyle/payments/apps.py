from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "truestyle.payments"
    label = "payments"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
