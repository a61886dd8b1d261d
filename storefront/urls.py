from django.urls import include, path

from storefront import catalog_views, contact_views, views

app_name = "storefront"
urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("shop/", catalog_views.shop, name="shop"),
    path("shop/c/<path:category_path>/", catalog_views.shop_category, name="shop-category"),
    path("shop/brand/<slug:slug>/", catalog_views.shop_brand, name="shop-brand"),
    path("shop/occasion/<slug:slug>/", catalog_views.shop_occasion, name="shop-occasion"),
    path("p/<slug:slug>/", catalog_views.product_detail, name="product"),
    path("p/<slug:slug>/notify/", catalog_views.product_waitlist_join, name="product-waitlist"),
    path("contact/", contact_views.contact, name="contact"),
    path("", include("storefront.content_urls")),
    # Account pages: names stay in this namespace (storefront:sign-in, storefront:account, …).
    path("account/", include("storefront.account_urls")),
    path("account/orders/", include("storefront.order_urls")),
    path("account/returns/", include("storefront.return_urls")),
    path("checkout/", include("storefront.checkout_urls")),
    path("", include("storefront.shopping_urls")),
    path("", include("storefront.review_urls")),
]
