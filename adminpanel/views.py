from django.shortcuts import render

from adminpanel.permissions import staff_permission_required


@staff_permission_required("view_staff_area")
def dashboard(request):
    return render(request, "adminpanel/dashboard.html")
