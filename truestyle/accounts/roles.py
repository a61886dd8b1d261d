"""The store's roles and what each may do: declared once, here.

Permissions are Django permissions on the `accounts.User` model (so that they
exist without extra models); roles are Django groups of the same name. Every
staff page and staff API action names one of these permissions, and
`truestyle.accounts.permissions.user_has_permission` checks it.
"""

from __future__ import annotations

STAFF_PERMISSIONS = [
    ("view_staff_area", "Can open the staff area"),
    ("view_customers", "Can view customers"),
    ("block_customers", "Can block and unblock customers"),
    ("assign_roles", "Can assign staff roles"),
    ("manage_catalogue", "Can edit brands, categories and products"),
    ("adjust_stock", "Can adjust stock"),
    ("manage_orders", "Can manage orders"),
    ("manage_payments", "Can manage payments and refunds"),
    ("manage_returns", "Can manage returns and exchanges"),
    ("manage_coupons", "Can manage coupons"),
    ("moderate_reviews", "Can moderate reviews"),
    ("manage_content", "Can edit store content"),
    ("handle_contact_messages", "Can read and answer contact messages"),
    ("view_dashboard", "Can see the sales dashboard"),
    ("view_logs", "Can browse request and audit logs"),
    ("manage_backups", "Can back up and restore the store"),
]
ALL_STAFF_PERMISSIONS = frozenset(codename for codename, _ in STAFF_PERMISSIONS)


class Role:
    CUSTOMER = "customer"
    SUPPORT_AGENT = "support_agent"
    CATALOGUE_MANAGER = "catalogue_manager"
    ORDER_MANAGER = "order_manager"
    CONTENT_EDITOR = "content_editor"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.CUSTOMER: "Customer",
    Role.SUPPORT_AGENT: "Support agent",
    Role.CATALOGUE_MANAGER: "Catalogue manager",
    Role.ORDER_MANAGER: "Order manager",
    Role.CONTENT_EDITOR: "Content editor",
    Role.ADMINISTRATOR: "Administrator",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CUSTOMER: frozenset(),
    Role.SUPPORT_AGENT: frozenset(
        {"view_staff_area", "view_customers", "handle_contact_messages", "manage_returns", "moderate_reviews"}
    ),
    Role.CATALOGUE_MANAGER: frozenset({"view_staff_area", "manage_catalogue", "adjust_stock"}),
    Role.ORDER_MANAGER: frozenset(
        {"view_staff_area", "view_customers", "manage_orders", "manage_payments", "manage_returns", "manage_coupons",
         "view_dashboard"}
    ),
    Role.CONTENT_EDITOR: frozenset({"view_staff_area", "manage_content"}),
    Role.ADMINISTRATOR: ALL_STAFF_PERMISSIONS,
}
STAFF_ROLES = frozenset(role for role, permissions in ROLE_PERMISSIONS.items() if permissions)


def permission_name(codename: str) -> str:
    """The full name Django's `has_perm` takes."""
    return f"accounts.{codename}"
