from django.urls import path

from storefront import content_views

urlpatterns = [
    path("about/", content_views.about, name="about"),
    path("terms/", content_views.terms, name="terms"),
    path("policies/<slug:slug>/", content_views.policy, name="policy"),
    path("faqs/", content_views.faqs, name="faqs"),
    path("store-footer/", content_views.footer, name="content-footer"),
]
