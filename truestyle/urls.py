from django.urls import include, path

from truestyle.core.files import serve_file
from truestyle.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("files/<str:file_id>", serve_file, name="file"),
    path("api/v1/", include("api.urls")),
    path("staff/", include("adminpanel.urls")),
    path("payments/", include("truestyle.payments.urls")),
    path("", include("storefront.urls")),
]

handler400 = "truestyle.core.errors.bad_request"
handler403 = "truestyle.core.errors.permission_denied"
handler404 = "truestyle.core.errors.page_not_found"
handler500 = "truestyle.core.errors.server_error"
