from django.utils.functional import SimpleLazyObject

from truestyle.cms.selectors import footer_if_cached


def footer(request):
    """The footer's store details and links, from the cache only (lazy: pages without a footer pay nothing).

    A page render never queries for the footer: when the cache has no copy, the footer asks for its
    fragment (storefront content_views.footer) once the page has loaded, and that fills the cache.
    """
    return {"FOOTER": SimpleLazyObject(lambda: footer_if_cached() or {})}
