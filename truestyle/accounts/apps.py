from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "truestyle.accounts"
    label = "accounts"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
