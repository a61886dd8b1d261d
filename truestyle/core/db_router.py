"""Route the two SQL apps to `default` (PostgreSQL) and everything else to MongoDB."""

SQL_DATABASE = "default"
MONGO_DATABASE = "mongodb"
# The only apps whose tables live in PostgreSQL. Every other app is on MongoDB.
SQL_APPS = frozenset({"auditlog", "contact"})


def database_for_app(app_label: str) -> str:
    return SQL_DATABASE if app_label in SQL_APPS else MONGO_DATABASE


class StoreRouter:
    def db_for_read(self, model, **hints):
        return database_for_app(model._meta.app_label)

    def db_for_write(self, model, **hints):
        return database_for_app(model._meta.app_label)

    def allow_relation(self, obj1, obj2, **hints):
        # No relation crosses the two databases: store ids as text instead.
        return database_for_app(obj1._meta.app_label) == database_for_app(obj2._meta.app_label)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == database_for_app(app_label)
