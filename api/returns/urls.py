from django.urls import path

from api.returns import views

urlpatterns = [
    path("returns", views.ReturnListView.as_view(), name="returns"),
    path("returns/eligible", views.EligibleLinesView.as_view(), name="returns-eligible"),
    path("returns/<str:return_number>", views.ReturnDetailView.as_view(), name="return"),
    path("returns/<str:return_number>/cancel", views.ReturnCancelView.as_view(), name="return-cancel"),
]
