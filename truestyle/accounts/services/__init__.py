"""Writes for accounts. Each module owns one part: users, addresses, sessions and tokens,
sign-in limits, password reset and roles. Front doors import the functions from here."""

from truestyle.accounts.services.addresses import address_create, address_delete, address_set_default, address_update
from truestyle.accounts.services.password_reset import (
    password_reset_code_issue,
    password_reset_confirm,
    password_reset_request,
)
from truestyle.accounts.services.roles import demo_administrator_ensure, roles_sync, user_roles_set
from truestyle.accounts.services.sessions import (
    audit_sign_in,
    audit_sign_out,
    browser_session_record_device,
    session_end,
    sessions_end_all,
)
from truestyle.accounts.services.sign_in import sign_in_authenticate
from truestyle.accounts.services.tokens import (
    refresh_session_revoke,
    token_family_revoke,
    token_logout,
    token_pair_issue,
    token_refresh_rotate,
)
from truestyle.accounts.services.users import (
    user_block,
    user_deactivate,
    user_email_change,
    user_password_change,
    user_profile_update,
    user_register,
    user_unblock,
)

__all__ = [
    "audit_sign_in", "audit_sign_out",
    "address_create", "address_delete", "address_set_default", "address_update",
    "browser_session_record_device", "demo_administrator_ensure",
    "password_reset_code_issue", "password_reset_confirm", "password_reset_request",
    "refresh_session_revoke", "roles_sync", "session_end", "sessions_end_all", "sign_in_authenticate",
    "token_family_revoke", "token_logout", "token_pair_issue", "token_refresh_rotate",
    "user_block", "user_deactivate", "user_email_change", "user_password_change", "user_profile_update",
    "user_register", "user_roles_set", "user_unblock",
]
