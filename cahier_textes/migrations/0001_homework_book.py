import cahier_textes.models
import django.core.validators
import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('annuaire', '0004_directory_import'),
        ('schools', '0004_school_directory_key'),
        ('vie_scolaire', '0008_weekly_lesson_retired_from'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Homework',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due_on', models.DateField(verbose_name='pour le')),
                ('description', models.TextField(verbose_name='consigne')),
                ('minutes', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(600)], verbose_name='durée estimée (minutes)')),
                ('kind', models.CharField(choices=[('to_do', 'Travail à faire'), ('learn', 'Leçon à apprendre'), ('assessment', 'Évaluation annoncée')], default='to_do', max_length=10, verbose_name='type')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('changed_after_visa_at', models.DateTimeField(blank=True, null=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('due_lesson', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='homework_due', to='vie_scolaire.lesson')),
                ('given_in', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='homework_given', to='vie_scolaire.lesson')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'travail à faire',
                'verbose_name_plural': 'travaux à faire',
                'ordering': ['due_on', 'pk'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='HomeworkDone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('done_at', models.DateTimeField(auto_now_add=True)),
                ('homework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='done_by', to='cahier_textes.homework')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='LessonEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content', models.TextField(blank=True, verbose_name='contenu de la séance')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('changed_after_visa_at', models.DateTimeField(blank=True, null=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('lesson', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='entry', to='vie_scolaire.lesson')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'contenu de séance',
                'verbose_name_plural': 'contenus de séance',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='nom')),
                ('file', models.FileField(blank=True, upload_to=cahier_textes.models.attachment_path, verbose_name='fichier')),
                ('url', models.URLField(blank=True, max_length=500, verbose_name='lien')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('homework', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='cahier_textes.homework')),
                ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='cahier_textes.lessonentry')),
            ],
            options={
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Revision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('changed_at', models.DateTimeField(auto_now_add=True)),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='cahier_textes.lessonentry')),
                ('homework', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='cahier_textes.homework')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'ordering': ['changed_at', 'pk'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Visa',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signed_at', models.DateTimeField(auto_now_add=True)),
                ('covers_until', models.DateField(verbose_name="jusqu'au")),
                ('comment', models.TextField(blank=True, max_length=2000, verbose_name='commentaire')),
                ('division', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='annuaire.division')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('signed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('teacher', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'visa',
                'verbose_name_plural': 'visas',
                'ordering': ['-signed_at'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='WorkloadLimit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('minutes_per_day', models.PositiveSmallIntegerField(default=90, verbose_name='minutes de travail par jour')),
                ('assessments_per_week', models.PositiveSmallIntegerField(default=3, verbose_name='évaluations annoncées par semaine')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'seuil de charge de travail',
                'verbose_name_plural': 'seuils de charge de travail',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddIndex(
            model_name='homework',
            index=models.Index(fields=['school', 'due_on'], name='homework_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='homeworkdone',
            constraint=models.UniqueConstraint(fields=('homework', 'student'), name='unique_homework_done'),
        ),
        migrations.AddConstraint(
            model_name='attachment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('entry__isnull', False), ('homework__isnull', True)), models.Q(('entry__isnull', True), ('homework__isnull', False)), _connector='OR'), name='attachment_of_one_thing'),
        ),
        migrations.AddConstraint(
            model_name='attachment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('file', ''), models.Q(('url', ''), _negated=True)), models.Q(models.Q(('file', ''), _negated=True), ('url', '')), _connector='OR'), name='attachment_file_or_link'),
        ),
        migrations.AddConstraint(
            model_name='revision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('entry__isnull', False), ('homework__isnull', True)), models.Q(('entry__isnull', True), ('homework__isnull', False)), _connector='OR'), name='revision_of_one_thing'),
        ),
        migrations.AddIndex(
            model_name='visa',
            index=models.Index(fields=['school', 'teacher', 'division'], name='visa_book_idx'),
        ),
        migrations.AddConstraint(
            model_name='workloadlimit',
            constraint=models.UniqueConstraint(fields=('school',), name='unique_workload_limit'),
        ),
        TenantRowLevelSecurity("lessonentry"),
        TenantRowLevelSecurity("homework"),
        TenantRowLevelSecurity("revision"),
        TenantRowLevelSecurity("homeworkdone"),
        TenantRowLevelSecurity("attachment"),
        TenantRowLevelSecurity("visa"),
        TenantRowLevelSecurity("workloadlimit"),
    ]
