"""Forms of the staff product and stock pages: input shape only; the rules live in truestyle.catalog.services."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from truestyle.catalog.models import Brand, Category, Colourway, Occasion, ProductType, StockMovement
from truestyle.core.images import ACCEPT_ATTRIBUTE

ACTIVE_CHOICES = [("", "Active or not"), ("yes", "Active"), ("no", "Inactive")]
# Sales and returns move stock through orders; staff record only these by hand.
ADJUST_REASONS = [(reason.value, reason.label) for reason in (
    StockMovement.Reason.RESTOCK, StockMovement.Reason.DAMAGE, StockMovement.Reason.CORRECTION)]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return f"{'— ' * category.depth}{category.name}"


class ProductSearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, slug or SKU"}))
    brand = forms.ChoiceField(required=False)
    category = forms.ChoiceField(required=False)
    active = forms.ChoiceField(label="Status", choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain choices (not model fields): an unknown id in a shared link filters nothing instead of failing.
        self.fields["brand"].choices = [("", "Any brand"), *((str(pk), name) for pk, name in
                                                             Brand.objects.values_list("pk", "name"))]
        self.fields["category"].choices = [("", "Any category"), *(
            (str(c.pk), f"{'— ' * c.depth}{c.name}") for c in Category.objects.only("pk", "name", "depth"))]


class ProductForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=220, required=False, help_text="Part of the product's address; leave empty to "
                                                                     "make it from the name.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    material = forms.CharField(max_length=200, required=False)
    care = forms.CharField(label="Care", max_length=300, required=False)
    brand = forms.ModelChoiceField(queryset=Brand.objects.all(), empty_label="Choose a brand")
    category = CategoryChoiceField(queryset=Category.objects.all(), empty_label="Choose a category")
    product_type = forms.ModelChoiceField(label="Type", queryset=ProductType.objects.all(),
                                          empty_label="Choose a type", help_text="Decides the sizes on offer.")
    occasions = forms.ModelMultipleChoiceField(queryset=Occasion.objects.all(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    mrp = forms.DecimalField(label="MRP (₹)", max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    price = forms.DecimalField(label="Selling price (₹)", max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    tags = forms.CharField(max_length=400, required=False, help_text="Separate tags with commas.")
    is_active = forms.BooleanField(label="Active (shown in the shop)", required=False, initial=True)
    is_featured = forms.BooleanField(label="Featured on the home page", required=False)

    @staticmethod
    def initial_for(product) -> dict:
        return {
            "name": product.name, "slug": product.slug, "description": product.description,
            "material": product.material, "care": product.care, "brand": product.brand_id,
            "category": product.category_id, "product_type": product.product_type_id,
            "occasions": list(product.occasions.values_list("pk", flat=True)), "mrp": product.mrp,
            "price": product.price, "tags": ", ".join(product.tags), "is_active": product.is_active,
            "is_featured": product.is_featured,
        }

    def values(self) -> dict:
        """The cleaned data in the shape `product_save` takes."""
        data = dict(self.cleaned_data)
        data["tags"] = [tag.strip() for tag in data["tags"].split(",") if tag.strip()]
        data["occasions"] = list(data["occasions"])
        return data


class MatrixGenerateForm(forms.Form):
    """Sizes (of the product's type) and colours for `variant_matrix_generate`.

    Colours come as parallel lists `matrix-colour_name` / `matrix-colour_hex` (one pair per row of
    the form); rows without a name are ignored, so spare empty rows do no harm.
    """

    prefix = "matrix"
    sizes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, error_messages={
        "required": "Choose at least one size."})

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sizes"].choices = [(size, size) for size in product.product_type.sizes]
        self.colours: list[dict] = []

    def clean(self):
        cleaned = super().clean()
        names = self.data.getlist(self.add_prefix("colour_name")) if self.is_bound else []
        hexes = self.data.getlist(self.add_prefix("colour_hex")) if self.is_bound else []
        self.colours = [{"name": name.strip(), "hex": hex_value.strip()}
                        for name, hex_value in zip(names, hexes) if name.strip()]
        if not self.colours:
            self.add_error(None, "Add at least one colour with a name.")
        return cleaned


class VariantGridForm(forms.Form):
    """One SKU and one low-stock threshold cell per variant (`sku-<id>`, `threshold-<id>`).

    Only variants whose cells were posted get fields: a variant made after the page was opened (by
    someone else) keeps its values instead of failing a save it was never part of. Stock is shown
    on the page but never posted: it moves only through stock adjustments.
    """

    def __init__(self, *args, variants, **kwargs):
        super().__init__(*args, **kwargs)
        self.variants = variants
        for variant in variants:
            if self.is_bound and f"sku-{variant.pk}" not in self.data:
                continue
            self.fields[f"sku-{variant.pk}"] = forms.CharField(
                label=f"SKU of {variant.colourway.name}, {variant.size}", max_length=40, initial=variant.sku)
            self.fields[f"threshold-{variant.pk}"] = forms.IntegerField(
                label=f"Low-stock threshold of {variant.colourway.name}, {variant.size}", min_value=0,
                max_value=100_000, initial=variant.low_stock_threshold)

    def rows(self) -> list[dict]:
        return [{"id": str(variant.pk), "sku": self.cleaned_data[f"sku-{variant.pk}"],
                 "low_stock_threshold": self.cleaned_data[f"threshold-{variant.pk}"]}
                for variant in self.variants if f"sku-{variant.pk}" in self.fields]

    def cell(self, variant) -> dict:
        return {"sku": self[f"sku-{variant.pk}"], "threshold": self[f"threshold-{variant.pk}"]} \
            if f"sku-{variant.pk}" in self.fields else {}


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one input; their content is checked by the service, which names each bad file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, (list, tuple)) else [data]) if file]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        single = super().clean
        return [single(file, initial) for file in files]


class ImageUploadForm(forms.Form):
    prefix = "upload"
    images = MultipleImageField(label="Images", help_text="JPEG, PNG or WebP; choose several at once.",
                                error_messages={"required": "Choose one or more images."})
    alt_text = forms.CharField(label="Alt text", max_length=200,
                               help_text="What the picture shows, for people who cannot see it.")
    colourway = forms.ModelChoiceField(label="Colour", queryset=Colourway.objects.none(), required=False,
                                       empty_label="All colours")

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colourway"].queryset = Colourway.objects.filter(product=product)


class StockAdjustForm(forms.Form):
    """One adjustment; `auto_id` is per variant so that many forms can share one page."""

    prefix = "adjust"
    delta = forms.IntegerField(label="Change", min_value=-100_000, max_value=100_000,
                               help_text="Positive adds units, negative removes them.",
                               widget=forms.NumberInput(attrs={"placeholder": "+10 or −2"}))
    reason = forms.ChoiceField(choices=ADJUST_REASONS)
    note = forms.CharField(max_length=300, required=False, widget=forms.TextInput(attrs={"placeholder": "Note"}))

    def __init__(self, *args, variant_id, **kwargs):
        kwargs.setdefault("auto_id", f"id_%s_{variant_id}")
        super().__init__(*args, **kwargs)

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError("Enter a quantity other than zero.")
        return delta
