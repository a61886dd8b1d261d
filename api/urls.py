from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("api.accounts.urls")),
    path("staff/", include("api.staff.urls")),
    path("catalog/", include("api.catalog.urls")),
    path("content/", include("api.content.urls")),
    path("", include("api.shopping.urls")),
    path("", include("api.orders.urls")),
    path("", include("api.payments.urls")),
    path("", include("api.reviews.urls")),
    path("", include("api.returns.urls")),
]
