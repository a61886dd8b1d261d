"""Every model change has its migration: `makemigrations --check` finds nothing to write."""

from io import StringIO

from django.core.management import call_command


def test_the_models_and_the_migrations_agree(db):
    output = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=output)

    assert output.getvalue().strip() == "No changes detected"
