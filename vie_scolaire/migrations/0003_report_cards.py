import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    dependencies = [
        ('annuaire', '0004_directory_import'),
        ('schools', '0004_school_directory_key'),
        ('vie_scolaire', '0002_grades'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportCard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('general_comment', models.TextField(blank=True, max_length=1000, verbose_name='appréciation générale')),
                ('council_decision', models.CharField(blank=True, choices=[('', 'Aucune'), ('felicitations', 'Félicitations'), ('compliments', 'Compliments'), ('encouragements', 'Encouragements'), ('avertissement_travail', 'Avertissement travail'), ('avertissement_conduite', 'Avertissement conduite')], max_length=30, verbose_name='décision du conseil de classe')),
                ('half_days_absent', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="demi-journées d'absence")),
                ('half_days_unjustified', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='dont non justifiées')),
                ('lateness', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='retards')),
                ('pdf', models.FileField(blank=True, upload_to='bulletins/%Y/')),
                ('generated_at', models.DateTimeField(blank=True, null=True)),
                ('division', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='annuaire.division')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='report_cards', to='vie_scolaire.period')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_cards', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'bulletin',
                'verbose_name_plural': 'bulletins',
                'abstract': False,
                'base_manager_name': 'unscoped',
                'indexes': [models.Index(fields=['school', 'student'], name='report_card_student_idx')],
                'constraints': [models.UniqueConstraint(fields=('period', 'student'), name='unique_report_card')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='ReportCardRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'En attente'), ('running', 'En cours'), ('done', 'Terminé'), ('failed', 'Échec')], default='pending', max_length=10, verbose_name='état')),
                ('total', models.PositiveSmallIntegerField(default=0)),
                ('done', models.PositiveSmallIntegerField(default=0)),
                ('error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('division', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='annuaire.division')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='vie_scolaire.period')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'édition de bulletins',
                'verbose_name_plural': 'éditions de bulletins',
                'ordering': ['-created_at'],
                'abstract': False,
                'base_manager_name': 'unscoped',
                'indexes': [models.Index(fields=['school', 'division', 'period'], name='report_card_run_idx')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='SubjectComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('comment', models.TextField(max_length=1000, verbose_name='appréciation')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='annuaire.teachingassignment')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='vie_scolaire.period')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'appréciation de matière',
                'verbose_name_plural': 'appréciations de matière',
                'abstract': False,
                'base_manager_name': 'unscoped',
                'constraints': [models.UniqueConstraint(fields=('period', 'assignment', 'student'), name='unique_subject_comment')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        TenantRowLevelSecurity("subjectcomment"),
        TenantRowLevelSecurity("reportcard"),
        TenantRowLevelSecurity("reportcardrun"),
    ]
