# A superuser made by `jalon createsuperuser` before this release got the member role and
# showed as a member on the People page, though they administer everything: say it.

import jalon.accounts.models
from django.db import migrations


def superusers_are_administrators(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True, role="member").update(role="admin")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", jalon.accounts.models.UserManager()),
            ],
        ),
        migrations.RunPython(superusers_are_administrators, migrations.RunPython.noop),
    ]
