from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "truestyle.backups"
    label = "backups"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
