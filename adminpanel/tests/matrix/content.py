"""Role-matrix inputs of the staff content pages: URL names and URL argument factories.

The list, forms and delete confirmation answer GET; ordering and the publish switch are POST-only
(an empty order is refused with a message and a redirect; the switch needs no body).
"""

from truestyle.cms.models import HeroBanner

NAMES = {"content", "content-store", "content-list", "content-create", "content-order", "content-edit",
         "content-publish", "content-delete"}
POST_DATA: dict = {}
ARGUMENTS = {
    "kind": lambda: "hero-banners",
    "item_id": lambda: str(HeroBanner.objects.create(headline="Matrix banner", image="").pk),
}
