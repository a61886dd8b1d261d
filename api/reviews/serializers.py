"""Shapes of the reviews API: the query of a review list, the submitted review, and the outputs."""

from rest_framework import serializers

from api.serializers import PlainCharField, StrictSerializer
from truestyle.reviews import services
from truestyle.reviews.models import MAX_PHOTOS, Fit
from truestyle.reviews.selectors import SORTS


class ReviewListQuery(serializers.Serializer):
    sort = serializers.ChoiceField(choices=list(SORTS), default="newest")
    stars = serializers.IntegerField(min_value=1, max_value=5, required=False)
    fit = serializers.ChoiceField(choices=Fit.values, required=False)
    photos = serializers.BooleanField(default=False, help_text="Only reviews with photos")
    page = serializers.IntegerField(min_value=1, max_value=100_000, default=1)


class ReviewInput(StrictSerializer):
    """A review as JSON, or as multipart/form-data with up to 3 `photos` (JPEG, PNG or WebP)."""

    rating = serializers.IntegerField(help_text="1 to 5 stars")
    title = PlainCharField(max_length=services.TITLE_MAX)
    text = PlainCharField(max_length=services.TEXT_MAX, help_text=f"At least {services.TEXT_MIN} characters")
    fit = serializers.ChoiceField(choices=Fit.values)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=MAX_PHOTOS,
                                   help_text="Multipart requests only")


class StarCountOutput(serializers.Serializer):
    stars = serializers.IntegerField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class FitCountOutput(serializers.Serializer):
    value = serializers.CharField(help_text="runs_small, true_to_size or runs_large")
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class SummaryOutput(serializers.Serializer):
    average = serializers.DecimalField(max_digits=2, decimal_places=1, help_text="To one decimal; 0.0 with none")
    count = serializers.IntegerField()
    distribution = StarCountOutput(many=True, help_text="From 5 stars down to 1")
    fit = FitCountOutput(many=True)
    fit_summary = serializers.CharField(allow_blank=True, help_text='e.g. "Most say true to size"; "" with none')


class ReviewOutput(serializers.Serializer):
    id = serializers.CharField()
    rating = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    fit = serializers.ChoiceField(choices=Fit.values)
    size = serializers.CharField(help_text="The size the reviewer bought")
    colour = serializers.CharField(allow_blank=True)
    author_name = serializers.CharField()
    photo_urls = serializers.ListField(child=serializers.CharField())
    helpful_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ReviewListOutput(serializers.Serializer):
    summary = SummaryOutput()
    count = serializers.IntegerField(help_text="Reviews matching the filters")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ReviewOutput(many=True)


class SubmittedReviewOutput(ReviewOutput):
    status = serializers.CharField(help_text="pending, approved or rejected")


class HelpfulOutput(serializers.Serializer):
    helpful_count = serializers.IntegerField()


class ModerationQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "approved", "rejected"], default="pending")


class ModerationInput(StrictSerializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = PlainCharField(max_length=services.REASON_MAX, required=False, allow_blank=True,
                            help_text="Required to reject; shown to staff only")


class ModerationReviewOutput(SubmittedReviewOutput):
    product_slug = serializers.CharField()
    rejection_reason = serializers.CharField(allow_blank=True)
