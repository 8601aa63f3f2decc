from django.db import migrations


def create_groups(apps, schema_editor):
    # Permissions and Wagtail's root collection exist only after post_migrate on a fresh
    # database; ensure_role_groups() is idempotent and seed_demo completes it later.
    Group = apps.get_model("auth", "Group")
    for name in ("Authors", "Moderators"):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
