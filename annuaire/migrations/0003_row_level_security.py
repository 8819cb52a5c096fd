from django.db import migrations

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [("annuaire", "0002_school_links"), ("schools", "0002_row_level_security")]

    operations = [
        TenantRowLevelSecurity(model)
        for model in (
            "division",
            "teachinggroup",
            "groupdivision",
            "subject",
            "membership",
            "groupmembership",
            "teachingassignment",
            "guardianship",
            "charteracceptance",
        )
    ]
