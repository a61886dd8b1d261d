from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render


@staff_member_required(login_url="storefront:sign-in")
def dashboard(request):
    return render(request, "adminpanel/dashboard.html")
