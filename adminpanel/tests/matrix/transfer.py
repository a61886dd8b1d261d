"""Role-matrix inputs of the staff transfer pages: URL names, a valid POST body, URL argument factories."""

from truestyle.catalog.models import CatalogImport


class _CsvFile:
    """An upload the matrix can post once per role: unlike a file object, it reads in full every time."""

    name = "catalogue.csv"

    def read(self) -> bytes:
        return b"slug,name\r\nlinen-kurta,Linen Kurta\r\n"


NAMES = {"catalog-transfer", "catalog-transfer-export", "catalog-transfer-import", "catalog-transfer-job"}
POST_DATA = {"file": _CsvFile()}
ARGUMENTS = {"import_id": lambda: str(CatalogImport.objects.create(file="0" * 24 + ".csv", status="done").pk)}
