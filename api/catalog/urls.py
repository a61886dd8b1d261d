from django.urls import path

from api.catalog import views

urlpatterns = [
    path("products", views.ProductListView.as_view(), name="catalog-products"),
    path("products/<slug:slug>", views.ProductDetailView.as_view(), name="catalog-product"),
    path("categories", views.CategoryTreeView.as_view(), name="catalog-categories"),
    path("brands", views.BrandListView.as_view(), name="catalog-brands"),
    path("occasions", views.OccasionListView.as_view(), name="catalog-occasions"),
    path("trending", views.TrendingView.as_view(), name="catalog-trending"),
]
