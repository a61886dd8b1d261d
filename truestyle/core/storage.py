from django.core.files.storage import Storage


class GridFSStorage(Storage):
    pass
