from django.urls import path

from adminpanel.catalog import product_images, products, stock

urlpatterns = [
    path("products/", products.product_list, name="products"),
    path("products/new/", products.product_create, name="product-create"),
    # Image ids are global, so deleting one needs no product in the URL.
    path("products/images/<str:product_image_id>/delete/", product_images.product_image_delete_view,
         name="product-image-delete"),
    path("products/<str:product_id>/", products.product_edit, name="product"),
    path("products/<str:product_id>/variants/", products.product_variants, name="product-variants"),
    path("products/<str:product_id>/variants/generate/", products.product_variants_generate,
         name="product-variants-generate"),
    path("products/<str:product_id>/variants/save/", products.product_variants_save, name="product-variants-save"),
    path("products/<str:product_id>/images/", product_images.product_images, name="product-images"),
    path("products/<str:product_id>/images/upload/", product_images.product_images_upload,
         name="product-images-upload"),
    path("products/<str:product_id>/images/order/", product_images.product_images_order,
         name="product-images-order"),
    path("stock/", stock.stock_index, name="stock"),
    path("stock/products/<str:product_id>/", stock.stock_product, name="stock-product"),
    path("stock/variants/<str:variant_id>/", stock.stock_variant, name="stock-variant"),
    path("stock/variants/<str:variant_id>/adjust/", stock.stock_adjust_view, name="stock-adjust"),
]
