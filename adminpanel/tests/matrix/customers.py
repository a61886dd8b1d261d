"""Role-matrix inputs of the customer pages."""

from truestyle.accounts.tests.factories import user_create

NAMES = {"dashboard", "customers", "customer", "customer-block", "customer-unblock", "customer-roles"}
POST_DATA = {"reason": "Repeated chargebacks", "roles": ["customer"]}
ARGUMENTS = {"user_id": lambda: str(user_create(email="target@example.com").pk)}
