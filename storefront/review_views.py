"""The storefront's review pages: the reviews section of the product page (sorted and filtered
through htmx), the "helpful" button, and the "Write a review" page for customers who received
the piece. Rules live in truestyle.reviews.services; this module only turns HTTP into calls."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from truestyle.catalog.models import Product
from truestyle.core.errors import StoreError
from truestyle.core.images import ACCEPT_ATTRIBUTE
from truestyle.reviews import selectors, services
from truestyle.reviews.models import MAX_PHOTOS, Fit, Review

SECTION = "storefront/reviews/_section.html"


def _product_or_404(slug: str) -> Product:
    product = Product.objects.filter(slug=slug, is_active=True).first()
    if product is None:
        raise Http404("No such product.")
    return product


def _page_number(request) -> int:
    raw = request.GET.get("rpage", "1")
    return int(raw) if raw.isdigit() else 1


def review_context(request, product: Product) -> dict:
    """What the product page's reviews section shows; the product page adds it to its context."""
    filters = selectors.ReviewFilters.from_query(request.GET)
    listing = selectors.approved_reviews(product=product, filters=filters, page=_page_number(request))
    user = request.user
    own = selectors.own_review(user=user, product=product)
    query = filters.as_query()
    return {
        "product": product,
        "review_summary": selectors.review_summary(product=product),
        "review_page": listing,
        "review_filters": filters,
        "review_sorts": [(key, label) for key, (label, _) in selectors.SORTS.items()],
        "review_fits": Fit.choices,
        "review_query": urlencode(query),
        "review_pages": [{"number": n, "url": "?" + urlencode({**query, "rpage": n}), "current": n == listing.page}
                         for n in range(1, listing.pages + 1)] if listing.pages > 1 else [],
        "helpful_marked": selectors.helpful_marked(user=user, reviews=listing.reviews),
        "own_review": own,
        "can_review": own is None and services.eligible_line(user=user, product=product) is not None,
    }


@require_GET
def review_list(request, slug: str):
    """A product's reviews: the whole section (loaded by the product page), only the list (sort and
    filter changes), or, without htmx, a page of its own, so every link works without JavaScript.

    The product page itself shows only the summary line from the product's own figures and loads
    this section after it has rendered, so the product page's queries stay what they were.
    """
    product = _product_or_404(slug)
    context = review_context(request, product)
    if request.htmx and not request.htmx.history_restore_request:
        part = "#review-list" if request.htmx.target == "review-list" else ""
        response = render(request, SECTION + part, context)
    else:
        response = render(request, "storefront/reviews/reviews.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@require_POST
def review_helpful(request, review_id: str):
    review = (Review.objects.filter(pk=review_id, status="approved").select_related("product").first()
              if selectors.is_object_id(review_id) else None)
    if review is None:
        raise Http404("No such review.")
    back = reverse("storefront:product-reviews", args=[review.product.slug]) + "#reviews"
    if not request.user.is_authenticated:
        if request.htmx:
            return render(request, "storefront/reviews/_helpful.html",
                          {"review": review, "helpful_error": "Sign in to mark reviews helpful."})
        return redirect_to_login(back)
    error, marked = "", True
    try:
        review.helpful_count = services.review_mark_helpful(user=request.user, review_id=review.pk)
    except StoreError as refusal:
        # A second mark is not a mistake worth a message: the button simply shows it is marked.
        error, marked = refusal.message, refusal.code == "already_helpful"
        review.refresh_from_db()
    if request.htmx:
        return render(request, "storefront/reviews/_helpful.html",
                      {"review": review, "marked": marked, "helpful_error": "" if marked else error})
    (messages.error if error and not marked else messages.success)(request, error or "Thanks for your feedback.")
    return redirect(back)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the service decodes and judges each photo."""

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReviewForm(forms.Form):
    """Only shapes the input; the service checks every rule and its field errors land here."""

    rating = forms.TypedChoiceField(choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
                                    coerce=int, widget=forms.RadioSelect, label="Your rating",
                                    error_messages={"required": "Choose from 1 to 5 stars."})
    title = forms.CharField(max_length=services.TITLE_MAX, label="Title")
    text = forms.CharField(max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}), label="Your review")
    fit = forms.ChoiceField(choices=Fit.choices, widget=forms.RadioSelect, label="How does it fit?",
                            error_messages={"required": "Tell us how it fits: runs small, true to size or runs large."})
    photos = MultipleFileField(required=False, label=f"Photos (up to {MAX_PHOTOS})",
                             widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))


def review_write(request, slug: str):
    product = _product_or_404(slug)
    product_url = reverse("storefront:product", args=[slug])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    own = selectors.own_review(user=request.user, product=product)
    line = services.eligible_line(user=request.user, product=product)
    context = {"product": product, "product_url": product_url, "own_review": own, "line": line}
    if own is not None or line is None:
        return render(request, "storefront/reviews/write.html", context, status=403 if line is None else 409)
    form = ReviewForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_submit(user=request.user, product=product, photos=form.cleaned_data["photos"],
                                       **{name: form.cleaned_data[name] for name in ("rating", "title", "text", "fit")})
            except StoreError as error:
                for name, errors in error.fields.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
                if not error.fields:
                    form.add_error(None, error.message)
            else:
                messages.success(request, "Thank you! Your review will appear once we have checked it.")
                return redirect(product_url + "#reviews")
        status = 400
    return render(request, "storefront/reviews/write.html", {**context, "form": form}, status=status)
