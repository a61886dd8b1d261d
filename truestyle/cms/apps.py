from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "truestyle.cms"
    label = "cms"
    verbose_name = "Store content"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
