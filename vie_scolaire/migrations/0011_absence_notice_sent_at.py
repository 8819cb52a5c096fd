from django.db import migrations, models
from django.db.models import F


def mark_earlier_notices_sent(apps, schema_editor):
    """Absences recorded before this change were told at once: their notice is not owed again."""
    Absence = apps.get_model("vie_scolaire", "Absence")
    Absence.objects.filter(source="roll_call").update(notice_sent_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('vie_scolaire', '0010_attendance_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='absence',
            name='notice_sent_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='familles averties le'),
        ),
        migrations.RunPython(mark_earlier_notices_sent, migrations.RunPython.noop),
    ]
