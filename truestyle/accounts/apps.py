from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, using, **kwargs):
    # Set-up plumbing, not business flow: every migrate leaves the role groups
    # matching roles.py (the permissions they need exist only after migrate).
    if using != "mongodb":
        return
    from truestyle.accounts.services.roles import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "truestyle.accounts"
    label = "accounts"
    default_auto_field = "django_mongodb_backend.fields.ObjectIdAutoField"

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts-roles-sync")
