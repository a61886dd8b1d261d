"""Role-matrix inputs of the staff transfer pages: URL names, a valid POST body, URL argument factories."""

NAMES = {"catalog-transfer"}
POST_DATA: dict = {}
ARGUMENTS: dict = {}
