from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "truestyle.reviews"
    label = "reviews"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"
