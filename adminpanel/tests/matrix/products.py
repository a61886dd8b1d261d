"""Role-matrix inputs of the staff products pages: URL names, a valid POST body, URL argument factories."""

NAMES = {"products", "stock"}
POST_DATA: dict = {}
ARGUMENTS: dict = {}
