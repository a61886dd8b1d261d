"""The store's URLs plus `/bench/bare/`: a view that does nothing behind the same middleware, the
floor every page is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), path("", include("truestyle.urls"))]
