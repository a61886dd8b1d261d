from django.urls import path

from api.content import views

urlpatterns = [
    path("home", views.HomeView.as_view(), name="content-home"),
    path("pages/<slug:slug>", views.PageView.as_view(), name="content-page"),
    path("faqs", views.FaqsView.as_view(), name="content-faqs"),
    path("store", views.StoreView.as_view(), name="content-store"),
]
