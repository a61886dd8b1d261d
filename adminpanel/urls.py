app_name = "adminpanel"
urlpatterns = []
