"""Staff pages for products, their variants and images."""

from adminpanel.permissions import staff_permission_required
from adminpanel.views import staff_render


@staff_permission_required("manage_catalogue")
def product_list(request):
    return staff_render(request, "adminpanel/catalog/placeholder.html", {"title": "Products"})
