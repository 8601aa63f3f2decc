from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    # Permissions are normally created by post_migrate, after every migration has run; on a
    # fresh database they do not exist yet. Create them now so the groups get them at once.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from accounts.roles import ensure_role_groups

    ensure_role_groups(apps)


class Migration(migrations.Migration):
    # After the migrations that create the models whose permissions the groups get.
    # (showcase 0002 depends on this one, so showcase 0001 is the latest it can follow.)
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
        ("showcase", "0001_initial"),
        ("reviews", "0002_reports_replies_votes"),
        ("tasks", "0002_claim_lease"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
