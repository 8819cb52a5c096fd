from django.db import migrations

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [TenantRowLevelSecurity("schoolservice")]
