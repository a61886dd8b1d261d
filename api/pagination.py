"""The API's one pagination style: ?page=N&page_size=M, answered with count, next, previous and results."""

from rest_framework.pagination import PageNumberPagination


class StorePagination(PageNumberPagination):
    page_size = 24
    page_size_query_param = "page_size"
    max_page_size = 100
