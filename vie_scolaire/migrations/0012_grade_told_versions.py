from django.db import migrations, models
from django.db.models import F


def mark_told_grades(apps, schema_editor):
    """The grades of assessments already told were told as they stand: a later change reads "note modifiée"."""
    Grade = apps.get_model("vie_scolaire", "Grade")
    Grade.objects.filter(assessment__students_told_at__isnull=False).update(students_told_version=F("version"))
    Grade.objects.filter(assessment__parents_told_at__isnull=False).update(parents_told_version=F("version"))


class Migration(migrations.Migration):

    dependencies = [
        ("vie_scolaire", "0011_absence_notice_sent_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="grade",
            name="parents_told_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="grade",
            name="students_told_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(mark_told_grades, migrations.RunPython.noop),
    ]
