"""Forms of the staff coupon pages: input shape only. The coupon rules (percent at most 100, the end
after the start, limits, unique codes) live in truestyle.promotions.validation and come back as
field errors."""

from django import forms

from truestyle.promotions.selectors import STATUSES

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class CouponSearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Code or description"}))
    status = forms.ChoiceField(choices=[("", "Any status"), *STATUSES], required=False)


class _LocalDateTime(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format=DATETIME_LOCAL)


class CouponForm(forms.Form):
    code = forms.CharField(max_length=30, help_text="Shoppers type it at checkout; upper or lower case is the same.",
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}))
    description = forms.CharField(max_length=200, required=False, help_text="For staff only.")
    kind = forms.ChoiceField(label="Type", choices=[("percent", "Percent off"), ("flat", "Flat amount off (₹)")])
    value = forms.DecimalField(label="Value", max_digits=10, decimal_places=2,
                               help_text="Percent (up to 100) or rupees, by type.")
    max_discount = forms.DecimalField(label="Maximum discount (₹)", max_digits=10, decimal_places=2, required=False,
                                      help_text="Caps a percent discount; empty means no cap.")
    min_order_value = forms.DecimalField(label="Minimum order (₹)", max_digits=10, decimal_places=2, required=False,
                                         help_text="Of the whole bag, before the discount.")
    valid_from = forms.DateTimeField(label="Starts", required=False, input_formats=[DATETIME_LOCAL],
                                     widget=_LocalDateTime(), help_text="Empty means now.")
    valid_until = forms.DateTimeField(label="Ends", required=False, input_formats=[DATETIME_LOCAL],
                                      widget=_LocalDateTime(), help_text="Empty means no end.")
    usage_limit = forms.IntegerField(label="Uses in all", required=False, help_text="Empty means no limit.")
    per_customer_limit = forms.IntegerField(label="Uses per customer", required=False,
                                            help_text="Empty means no limit.")
    category_ids = forms.MultipleChoiceField(label="Only these categories", required=False,
                                             help_text="Subcategories included; none means every category.",
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    brand_ids = forms.MultipleChoiceField(label="Only these brands", required=False,
                                          help_text="None means every brand.",
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args, categories=(), brands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_ids"].choices = list(categories)
        self.fields["brand_ids"].choices = list(brands)
