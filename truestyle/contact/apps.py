from django.apps import AppConfig


class ContactConfig(AppConfig):
    """Messages from the contact form, kept in PostgreSQL (the `default` database)."""

    name = "truestyle.contact"
    label = "contact"
    default_auto_field = "django.db.models.BigAutoField"
