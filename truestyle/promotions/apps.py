from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "truestyle.promotions"
    label = "promotions"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
