import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from truestyle.accounts import services
from truestyle.accounts.models import User
from truestyle.accounts.permissions import permissions_cache_key, user_has_permission, user_permissions
from truestyle.accounts.roles import ROLE_PERMISSIONS, Role
from truestyle.accounts.tests.factories import user_create
from truestyle.auditlog.models import AuditEntry
from truestyle.core.errors import StoreError


@pytest.fixture
def admin(db):
    user = user_create(email="admin@example.com")
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    return User.objects.get(pk=user.pk)


def test_migrate_created_every_role_with_its_permissions(db):
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


def test_assigning_a_role_grants_its_permissions_and_audits(admin):
    agent = user_create()

    services.user_roles_set(actor=admin, user=agent, roles={Role.SUPPORT_AGENT})

    agent = User.objects.get(pk=agent.pk)
    assert agent.is_staff is True
    assert user_permissions(agent) == {f"accounts.{c}" for c in ROLE_PERMISSIONS[Role.SUPPORT_AGENT]}
    entry = AuditEntry.objects.get(action="user.roles_set")
    assert (entry.before, entry.after) == ({"roles": []}, {"roles": ["support_agent"]})


def test_a_revoked_permission_stops_working_on_the_next_request(admin):
    manager = user_create()
    services.user_roles_set(actor=admin, user=manager, roles={Role.CATALOGUE_MANAGER})
    manager = User.objects.get(pk=manager.pk)
    assert user_has_permission(manager, "manage_catalogue") is True
    assert cache.get(permissions_cache_key(manager)) is not None  # cached under the old version

    services.user_roles_set(actor=admin, user=manager, roles=set())

    fresh = User.objects.get(pk=manager.pk)  # what the next request loads
    assert user_has_permission(fresh, "manage_catalogue") is False
    assert fresh.is_staff is False


def test_with_redis_down_the_check_falls_back_to_mongodb(admin, monkeypatch):
    from django_redis.cache import RedisCache

    manager = user_create()
    services.user_roles_set(actor=admin, user=manager, roles={Role.ORDER_MANAGER})
    manager = User.objects.get(pk=manager.pk)
    # A real django-redis cache, configured like settings.CACHES, at a port where nothing listens.
    unreachable = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {
        "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": True}})
    monkeypatch.setattr("truestyle.accounts.permissions.cache", unreachable)
    monkeypatch.setattr("django_redis.cache.DJANGO_REDIS_IGNORE_EXCEPTIONS", True, raising=False)

    assert user_has_permission(manager, "manage_orders") is True
    assert user_has_permission(manager, "manage_catalogue") is False


def test_customers_and_inactive_users_hold_no_staff_permissions(admin):
    shopper = user_create()
    assert user_permissions(shopper) == frozenset()
    admin.is_active = False
    assert user_permissions(admin) == frozenset()


def test_unknown_roles_and_self_demotion_are_refused(admin):
    with pytest.raises(StoreError) as unknown:
        services.user_roles_set(actor=admin, user=admin, roles={"owner"})
    with pytest.raises(StoreError) as demotion:
        services.user_roles_set(actor=admin, user=admin, roles={Role.SUPPORT_AGENT})

    assert (unknown.value.code, demotion.value.code) == ("unknown_role", "cannot_demote_self")
    assert set(admin.groups.values_list("name", flat=True)) == {Role.ADMINISTRATOR}
