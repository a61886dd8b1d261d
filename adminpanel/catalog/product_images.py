"""Staff pages for a product's image gallery: upload several at once, drag to reorder, delete.

Images are stored in GridFS by truestyle.catalog.services.images; the order is saved by an htmx
POST that SortableJS triggers at the end of a drag (static/js/staff-images.js). Without
JavaScript, the move-earlier / move-later buttons post the same form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from adminpanel.catalog.product_forms import ImageUploadForm
from adminpanel.catalog.products import add_service_errors, product_context, product_or_404
from adminpanel.permissions import staff_permission_required
from adminpanel.views import post_only, staff_render
from truestyle.catalog import staff_selectors
from truestyle.catalog.services.images import product_image_delete, product_images_add, product_images_reorder
from truestyle.core.errors import NotFound, StoreError

TEMPLATE = "adminpanel/catalog/products/images.html"


def _images_page(request, product, *, form=None, order_error: str = "", status: int = 200, fragment: bool = False):
    context = {**product_context(request, product, "images"),
               "images": staff_selectors.product_images_for_staff(product=product),
               "form": form or ImageUploadForm(product=product), "order_error": order_error}
    return staff_render(request, f"{TEMPLATE}#gallery" if fragment else TEMPLATE, context, status=status)


@staff_permission_required("manage_catalogue")
def product_images(request, product_id: str):
    return _images_page(request, product_or_404(product_id))


@staff_permission_required("manage_catalogue")
@post_only
def product_images_upload(request, product_id: str):
    product = product_or_404(product_id)
    form = ImageUploadForm(request.POST, request.FILES, product=product)
    if form.is_valid():
        try:
            added = product_images_add(actor=request.user, product=product, uploads=form.cleaned_data["images"],
                                       alt_text=form.cleaned_data["alt_text"],
                                       colourway=form.cleaned_data["colourway"])
        except StoreError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{len(added)} image{'s' if len(added) != 1 else ''} added.")
            return redirect("adminpanel:product-images", product_id=product.pk)
    return _images_page(request, product, form=form, status=400)


def _moved(order: list[str], move: str) -> list[str]:
    """The order with one image moved a place ("<id>:-1" earlier, "<id>:1" later); unchanged if invalid."""
    image_id, _, step = move.partition(":")
    if image_id not in order or step not in ("-1", "1"):
        return order
    index = order.index(image_id)
    target = min(max(index + int(step), 0), len(order) - 1)
    order = list(order)
    order.insert(target, order.pop(index))
    return order


@staff_permission_required("manage_catalogue")
@post_only
def product_images_order(request, product_id: str):
    """Save the gallery order posted as `image_order` ids (htmx answers with the gallery fragment)."""
    product = product_or_404(product_id)
    order = _moved(request.POST.getlist("image_order"), request.POST.get("move", ""))
    error = ""
    try:
        product_images_reorder(actor=request.user, product=product, ordered_ids=order)
    except StoreError:
        # Usually a stale page: someone else added or deleted an image since it was opened.
        error = "The gallery changed since this page was opened; here is the current order. Please try again."
    if request.htmx:
        # 200 even for the refusal: htmx swaps only successful answers, and the fragment carries the message.
        return _images_page(request, product, order_error=error, fragment=True)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Image order saved.")
    return redirect("adminpanel:product-images", product_id=product.pk)


@staff_permission_required("manage_catalogue")
@post_only
def product_image_delete_view(request, product_image_id: str):
    image = staff_selectors.product_image_for_staff(image_id=product_image_id)
    if image is None:
        raise Http404("No such image")
    try:
        product_image_delete(actor=request.user, product=image.product, image_id=image.pk)
    except NotFound:
        raise Http404("No such image")
    messages.success(request, "Image deleted.")
    return redirect("adminpanel:product-images", product_id=image.product_id)
