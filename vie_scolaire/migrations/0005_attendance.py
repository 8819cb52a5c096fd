import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0004_school_directory_key'),
        ('vie_scolaire', '0004_skills'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AbsenceReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=30, verbose_name='code')),
                ('label', models.CharField(max_length=200, verbose_name='libellé')),
                ('justifies', models.BooleanField(default=True, verbose_name="justifie l'absence")),
                ('counts_on_report', models.BooleanField(default=True, verbose_name='compte au bulletin')),
                ('visible_to_parents', models.BooleanField(default=True, verbose_name='visible des parents')),
                ('parents_may_choose', models.BooleanField(default=False, verbose_name='au choix des parents')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': "motif d'absence",
                'verbose_name_plural': "motifs d'absence",
                'ordering': ['label'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Absence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField(verbose_name='du')),
                ('ends_at', models.DateTimeField(verbose_name='au')),
                ('source', models.CharField(choices=[('roll_call', 'Appel'), ('office', 'Vie scolaire'), ('parent', 'Responsable légal')], max_length=10, verbose_name='origine')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('lesson', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='absences', to='vie_scolaire.lesson')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='absences', to=settings.AUTH_USER_MODEL)),
                ('reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='vie_scolaire.absencereason')),
            ],
            options={
                'verbose_name': 'absence',
                'verbose_name_plural': 'absences',
                'ordering': ['starts_at'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Lateness',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('minutes', models.PositiveSmallIntegerField(verbose_name='minutes')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('lesson', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='latenesses', to='vie_scolaire.lesson')),
                ('reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='vie_scolaire.absencereason')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='latenesses', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'retard',
                'verbose_name_plural': 'retards',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='RollCall',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('taken_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('lesson', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='roll_call', to='vie_scolaire.lesson')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('taken_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'appel',
                'verbose_name_plural': 'appels',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddConstraint(
            model_name='absencereason',
            constraint=models.UniqueConstraint(fields=('school', 'code'), name='unique_absence_reason'),
        ),
        migrations.AddIndex(
            model_name='absence',
            index=models.Index(fields=['school', 'student', 'starts_at'], name='absence_student_idx'),
        ),
        migrations.AddConstraint(
            model_name='absence',
            constraint=models.CheckConstraint(condition=models.Q(('starts_at__lt', models.F('ends_at'))), name='absence_start_before_end'),
        ),
        migrations.AddConstraint(
            model_name='absence',
            constraint=models.UniqueConstraint(condition=models.Q(('lesson__isnull', False)), fields=('lesson', 'student'), name='unique_roll_call_absence'),
        ),
        migrations.AddIndex(
            model_name='lateness',
            index=models.Index(fields=['school', 'student'], name='lateness_student_idx'),
        ),
        migrations.AddConstraint(
            model_name='lateness',
            constraint=models.UniqueConstraint(fields=('lesson', 'student'), name='unique_lateness'),
        ),
        TenantRowLevelSecurity("absencereason"),
        TenantRowLevelSecurity("rollcall"),
        TenantRowLevelSecurity("absence"),
        TenantRowLevelSecurity("lateness"),
    ]
