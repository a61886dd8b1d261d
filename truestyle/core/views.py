from django.http import Http404, JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def serve_file(request, file_id):
    raise Http404
