from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vie_scolaire', '0008_weekly_lesson_retired_from'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='parents_told_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='assessment',
            name='students_told_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
