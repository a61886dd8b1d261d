from django.conf import settings


def store(request):
    """Values every page's layout needs."""
    return {"STORE_NAME": settings.STORE_NAME}
