from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('communication', '0003_announcements_and_preferences'),
        ('communication', '0003_messaging'),
    ]

    operations = [
    ]
