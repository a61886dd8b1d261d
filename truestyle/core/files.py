from django.http import Http404


def serve_file(request, file_id):
    raise Http404
