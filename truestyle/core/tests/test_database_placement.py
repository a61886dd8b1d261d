"""Each app's data lands in its own database, and no relation crosses the two."""

import pytest
from django.db import connections

from truestyle.accounts.models import User
from truestyle.auditlog.models import AuditEntry
from truestyle.contact.models import ContactMessage
from truestyle.core.db_router import StoreRouter
from truestyle.core.tests.ormapp.models import CrossDatabaseProbe


def _postgres_count(table: str) -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _mongo_count(collection: str) -> int:
    return connections["mongodb"].database[collection].count_documents({})


def test_default_database_is_postgresql(db):
    assert connections["default"].vendor == "postgresql"
    assert connections["mongodb"].vendor == "mongodb"


def test_contact_message_lives_in_postgresql_only(db):
    ContactMessage.objects.create(name="Asha", email="asha@example.com", subject="Sizing", message="Do you have XS?")

    assert _postgres_count("contact_messages") == 1
    assert _mongo_count("contact_messages") == 0
    assert "contact_messages" not in connections["mongodb"].database.list_collection_names()


def test_audit_row_lives_in_postgresql_only(db):
    AuditEntry.objects.create(action="role.assign", object_type="user", object_id="65f0", actor_id="65aa")

    assert _postgres_count("audit_log") == 1
    assert "audit_log" not in connections["mongodb"].database.list_collection_names()


def test_user_lives_in_mongodb_only(db):
    user = User.objects.create_user("ravi@example.com", "a-long-enough-password")

    stored = connections["mongodb"].database["users"].find_one({"email": "ravi@example.com"})
    assert stored["_id"] == user.pk
    assert "users" not in connections["default"].introspection.table_names()


def test_a_relation_across_the_two_databases_is_refused(db):
    message = ContactMessage.objects.create(name="Asha", email="asha@example.com", subject="Hi", message="Hello")

    with pytest.raises(ValueError, match="router prevents this relation"):
        CrossDatabaseProbe(contact=message)
    assert _mongo_count("orm_cross_database_probe") == 0


def test_router_sends_only_the_sql_apps_to_postgresql():
    router = StoreRouter()

    assert router.allow_migrate("default", "contact") is True
    assert router.allow_migrate("default", "auditlog") is True
    assert router.allow_migrate("mongodb", "contact") is False
    assert router.allow_migrate("default", "accounts") is False
    assert router.allow_migrate("mongodb", "accounts") is True
    assert router.allow_migrate("mongodb", "auth") is True
    assert router.db_for_write(User) == "mongodb"
    assert router.db_for_read(ContactMessage) == "default"
