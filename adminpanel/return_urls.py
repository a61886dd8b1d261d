from django.urls import path

from adminpanel import returns

urlpatterns = [
    path("", returns.return_queue, name="returns"),
    path("<str:return_number>/", returns.return_detail, name="return"),
    path("<str:return_number>/status/", returns.return_transition_view, name="return-transition"),
]
