from django.apps import AppConfig


class OrmAppConfig(AppConfig):
    """Models for the ORM conformance tests only (installed by truestyle.test_settings)."""

    name = "truestyle.core.tests.ormapp"
    label = "ormapp"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
