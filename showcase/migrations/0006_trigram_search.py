"""Typo-tolerant search needs PostgreSQL's pg_trgm and trigram indexes on the search index's
plain-text title (Wagtail's database search backend keeps it in wagtailsearch_indexentry)."""

from django.db import migrations


def enable(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (`make run`): search works without typo tolerance
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS showcase_search_title_trgm "
        "ON wagtailsearch_indexentry USING gin (title_text gin_trgm_ops)"
    )


def disable(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS showcase_search_title_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0005_project_members"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(enable, disable)]
