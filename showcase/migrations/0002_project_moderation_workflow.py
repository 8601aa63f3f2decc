from django.db import migrations


def create_workflow(apps, schema_editor):
    from showcase.moderation import (
        ensure_project_moderation_workflow,
        unassign_wagtail_default_workflow,
    )

    ensure_project_moderation_workflow(apps)
    unassign_wagtail_default_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
