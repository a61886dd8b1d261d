"""Staff pages for brands, categories, occasions and product types."""

from adminpanel.permissions import staff_permission_required
from adminpanel.views import staff_render


@staff_permission_required("manage_catalogue")
def taxonomy_index(request):
    return staff_render(request, "adminpanel/catalog/placeholder.html", {"title": "Brands & categories"})
