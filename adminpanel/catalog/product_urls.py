from django.urls import path

from adminpanel.catalog import products, stock

urlpatterns = [
    path("products/", products.product_list, name="products"),
    path("stock/", stock.stock_index, name="stock"),
]
