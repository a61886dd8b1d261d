from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "truestyle.catalog"
    label = "catalog"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
