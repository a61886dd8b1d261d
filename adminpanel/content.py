"""Staff content pages: one set of views for every content type in adminpanel.content_forms.CONTENT_TYPES.

A list (drag to reorder, saved at once by an htmx POST from static/js/staff-content.js; the
move-up/down buttons post the same form without JavaScript), a publish switch, a create/edit
form with an image upload, and a delete confirmation. Store details are one form of their own.
Every write goes through truestyle.cms.services.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format

from adminpanel.content_forms import CONTENT_TYPES, ContentType, StoreDetailsForm
from adminpanel.permissions import staff_permission_required
from adminpanel.views import client_ip, post_only, staff_render
from truestyle.cms import selectors, services
from truestyle.core.errors import StoreError

PERMISSION = "manage_content"
TEMPLATES = "adminpanel/content/"


def _type_or_404(kind: str) -> ContentType:
    content_type = CONTENT_TYPES.get(kind)
    if content_type is None:
        raise Http404("No such content type")
    return content_type


def _item_or_404(content_type: ContentType, item_id: str):
    item = selectors.item_for_staff(content_type.model, item_id=item_id)
    if item is None:
        raise Http404("No such item")
    return item


def _cell(item, attribute: str) -> str:
    value = getattr(item, attribute)
    value = value() if callable(value) else value
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    return "" if value is None else str(value)


@staff_permission_required(PERMISSION)
def content_index(request):
    sections = [{"type": content_type, "count": content_type.model.objects.count()}
                for content_type in CONTENT_TYPES.values()]
    return staff_render(request, TEMPLATES + "index.html",
                        {"sections": sections, "store": selectors.store_details_for_staff()})


def _list_page(request, content_type: ContentType, *, order_error: str = "", fragment: bool = False):
    items = selectors.items_for_staff(content_type.model)
    image_field = content_type.model.IMAGE_FIELD
    rows = [{"item": item, "image": getattr(item, image_field) if image_field else "",
             "cells": [(heading, _cell(item, attribute)) for attribute, heading in content_type.columns]}
            for item in items]
    context = {"type": content_type, "rows": rows,
               "order_error": order_error, "has_images": bool(image_field)}
    return staff_render(request, TEMPLATES + ("list.html#items" if fragment else "list.html"), context)


@staff_permission_required(PERMISSION)
def content_list(request, kind: str):
    return _list_page(request, _type_or_404(kind))


def _moved(order: list[str], move: str) -> list[str]:
    """The order with one item moved a place ("<id>:-1" earlier, "<id>:1" later); unchanged if invalid."""
    item_id, _, step = move.partition(":")
    if item_id not in order or step not in ("-1", "1"):
        return order
    index = order.index(item_id)
    target = min(max(index + int(step), 0), len(order) - 1)
    order = list(order)
    order.insert(target, order.pop(index))
    return order


@staff_permission_required(PERMISSION)
@post_only
def content_order(request, kind: str):
    """Save the order posted as `order` ids (htmx gets the list fragment back, others a redirect)."""
    content_type = _type_or_404(kind)
    order = _moved(request.POST.getlist("order"), request.POST.get("move", ""))
    error = ""
    try:
        services.content_reorder(actor=request.user, model=content_type.model, ordered_ids=order,
                                 ip=client_ip(request))
    except StoreError:
        # Usually a stale page: someone added or deleted an item since it was opened.
        error = "The list changed since this page was opened; here is the current order. Please try again."
    if request.htmx:
        # 200 even for the refusal: htmx swaps only successful answers, and the fragment carries the message.
        return _list_page(request, content_type, order_error=error, fragment=True)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Order saved.")
    return redirect("adminpanel:content-list", kind=kind)


def _form_page(request, content_type: ContentType, item, form, *, status: int = 200):
    image_field = content_type.model.IMAGE_FIELD
    context = {"type": content_type, "item": item, "form": form,
               "image": getattr(item, image_field) if item is not None and image_field else ""}
    return staff_render(request, TEMPLATES + "form.html", context, status=status)


def _save(request, content_type: ContentType, item):
    form = content_type.form(request.POST, request.FILES, instance=item)
    if form.is_valid():
        try:
            saved = services.content_save(actor=request.user, model=content_type.model, item=item,
                                          data=form.service_data(), upload=form.cleaned_data.get("image_upload"),
                                          ip=client_ip(request))
        except StoreError as error:
            for field, errors in error.fields.items():
                field = "image_upload" if field == "image" else field
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, f"“{saved}” saved.")
            return redirect("adminpanel:content-list", kind=content_type.slug)
    return _form_page(request, content_type, item, form, status=400)


@staff_permission_required(PERMISSION)
def content_create(request, kind: str):
    content_type = _type_or_404(kind)
    if request.method == "POST":
        return _save(request, content_type, None)
    return _form_page(request, content_type, None, content_type.form())


@staff_permission_required(PERMISSION)
def content_edit(request, kind: str, item_id: str):
    content_type = _type_or_404(kind)
    item = _item_or_404(content_type, item_id)
    if request.method == "POST":
        return _save(request, content_type, item)
    return _form_page(request, content_type, item, content_type.form(instance=item))


@staff_permission_required(PERMISSION)
@post_only
def content_publish(request, kind: str, item_id: str):
    """The publish switch: `published` = "1" or "0" (absent: the opposite of now)."""
    content_type = _type_or_404(kind)
    item = _item_or_404(content_type, item_id)
    wanted = request.POST.get("published")
    published = (wanted == "1") if wanted in ("0", "1") else not item.is_published
    services.content_publish_set(actor=request.user, item=item, published=published, ip=client_ip(request))
    messages.success(request, f"“{item}” is {'published' if published else 'hidden from the store'}.")
    return redirect("adminpanel:content-list", kind=kind)


@staff_permission_required(PERMISSION)
def content_delete(request, kind: str, item_id: str):
    """GET asks for confirmation; POST deletes."""
    content_type = _type_or_404(kind)
    item = _item_or_404(content_type, item_id)
    if request.method == "POST":
        services.content_delete(actor=request.user, item=item, ip=client_ip(request))
        messages.success(request, f"“{item}” deleted.")
        return redirect("adminpanel:content-list", kind=kind)
    return staff_render(request, TEMPLATES + "delete.html", {"type": content_type, "item": item})


@staff_permission_required(PERMISSION)
def store_details(request):
    details = selectors.store_details_for_staff()
    form = StoreDetailsForm(request.POST or None, instance=details)
    if request.method == "POST":
        if form.is_valid():
            services.store_details_save(actor=request.user, data=form.cleaned_data, ip=client_ip(request))
            messages.success(request, "Store details saved.")
            return redirect("adminpanel:content-store")
        return staff_render(request, TEMPLATES + "store.html", {"form": form}, status=400)
    return staff_render(request, TEMPLATES + "store.html", {"form": form})
