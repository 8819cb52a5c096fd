from django.db import migrations


def add_default_reasons(apps, schema_editor):
    """Schools that existed before the reasons did get them; new schools get them when created."""
    from vie_scolaire.attendance.services.office import DEFAULT_REASONS

    School = apps.get_model("schools", "School")
    AbsenceReason = apps.get_model("vie_scolaire", "AbsenceReason")
    for school_id in School.objects.values_list("pk", flat=True):
        present = set(AbsenceReason.objects.filter(school_id=school_id).values_list("code", flat=True))
        AbsenceReason.objects.bulk_create(
            AbsenceReason(
                school_id=school_id,
                code=code,
                label=label,
                justifies=justifies,
                counts_on_report=counts,
                visible_to_parents=visible,
                parents_may_choose=choose,
            )
            for code, label, justifies, counts, visible, choose in DEFAULT_REASONS
            if code not in present
        )


class Migration(migrations.Migration):

    dependencies = [
        ("vie_scolaire", "0006_justifications_and_early_departures"),
    ]

    # Going back leaves the reasons: the school may have used or edited them since.
    operations = [migrations.RunPython(add_default_reasons, migrations.RunPython.noop)]
