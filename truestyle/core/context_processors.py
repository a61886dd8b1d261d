from django.conf import settings
from django.utils.functional import SimpleLazyObject

from truestyle.accounts.permissions import user_has_permission


def store(request):
    """Values every page's layout needs.

    `SHOW_STAFF_LINK` is lazy: pages that never show the header (fragments) pay nothing for it.
    """
    return {
        "STORE_NAME": settings.STORE_NAME,
        "SHOW_STAFF_LINK": SimpleLazyObject(lambda: user_has_permission(request.user, "view_staff_area")),
    }
