"""Inputs of the staff role matrix, one module per staff area.

Each module declares NAMES (its URL names), POST_DATA (fields that make its
forms valid) and ARGUMENTS (how to make the object a URL argument names).
"""

from adminpanel.tests.matrix import (
    backups, contact, content, coupons, customers, logs, orders, products, returns, reviews, taxonomy, transfer,
)

AREAS = (customers, taxonomy, products, transfer, coupons, orders, contact, logs, reviews, returns, content, backups)

NAMES = set().union(*(area.NAMES for area in AREAS))
POST_DATA = {key: value for area in AREAS for key, value in area.POST_DATA.items()}
ARGUMENTS = {key: value for area in AREAS for key, value in area.ARGUMENTS.items()}
