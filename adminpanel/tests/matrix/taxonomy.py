"""Role-matrix inputs of the staff taxonomy pages: URL names, a valid POST body, URL argument factories."""

NAMES = {"taxonomy"}
POST_DATA: dict = {}
ARGUMENTS: dict = {}
