"""Staff pages for stock: adjustments, the low-stock list and waitlists."""

from adminpanel.permissions import staff_permission_required
from adminpanel.views import staff_render


@staff_permission_required("adjust_stock")
def stock_index(request):
    return staff_render(request, "adminpanel/catalog/placeholder.html", {"title": "Stock"})
