"""Staff pages for CSV import and export of products and variants."""

from adminpanel.permissions import staff_permission_required
from adminpanel.views import staff_render


@staff_permission_required("manage_catalogue")
def transfer_index(request):
    return staff_render(request, "adminpanel/catalog/placeholder.html", {"title": "Import / export"})
