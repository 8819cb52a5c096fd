import datetime
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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Room',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=30, verbose_name='code')),
                ('name', models.CharField(blank=True, max_length=100, verbose_name='nom')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'salle',
                'verbose_name_plural': 'salles',
                'ordering': ['code'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='SchoolCalendar',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_year', models.PositiveSmallIntegerField(help_text='Année de la rentrée.', verbose_name='année scolaire')),
                ('first_day', models.DateField(verbose_name='premier jour de cours')),
                ('last_day', models.DateField(verbose_name='dernier jour de cours')),
                ('afternoon_starts_at', models.TimeField(default=datetime.time(12, 0), verbose_name="début de l'après-midi")),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'calendrier scolaire',
                'verbose_name_plural': 'calendriers scolaires',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='TimeSlot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=10, verbose_name='code')),
                ('start', models.TimeField(verbose_name='début')),
                ('end', models.TimeField(verbose_name='fin')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'créneau',
                'verbose_name_plural': 'créneaux',
                'ordering': ['start'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='WeeklyLesson',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_year', models.PositiveSmallIntegerField(verbose_name='année scolaire')),
                ('weekday', models.PositiveSmallIntegerField(help_text='1 = lundi … 7 = dimanche', verbose_name='jour')),
                ('start', models.TimeField(verbose_name='début')),
                ('end', models.TimeField(verbose_name='fin')),
                ('week_pattern', models.CharField(choices=[('every', 'Toutes les semaines'), ('A', 'Semaine A'), ('B', 'Semaine B'), ('weeks', 'Semaines choisies')], max_length=5, verbose_name='semaines')),
                ('weeks', models.JSONField(blank=True, default=list, verbose_name='semaines choisies')),
                ('source', models.CharField(choices=[('sts', 'STS-Web'), ('index', 'EDT / PRONOTE (Index Éducation)'), ('udt', 'UnDeuxTemps'), ('manual', 'Saisie')], max_length=10, verbose_name='origine')),
                ('source_key', models.CharField(max_length=255)),
                ('room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='vie_scolaire.room', verbose_name='salle')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='annuaire.subject', verbose_name='matière')),
            ],
            options={
                'verbose_name': 'cours hebdomadaire',
                'verbose_name_plural': 'cours hebdomadaires',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Lesson',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scheduled_date', models.DateField(verbose_name='date prévue')),
                ('date', models.DateField(verbose_name='date')),
                ('start', models.TimeField(verbose_name='début')),
                ('end', models.TimeField(verbose_name='fin')),
                ('cancelled', models.BooleanField(default=False, verbose_name='annulé')),
                ('change_reason', models.CharField(blank=True, max_length=200, verbose_name='motif')),
                ('changed_at', models.DateTimeField(blank=True, null=True)),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('replacement_teacher', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='replacements', to=settings.AUTH_USER_MODEL, verbose_name='remplaçant')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='vie_scolaire.room', verbose_name='salle')),
                ('weekly_lesson', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='occurrences', to='vie_scolaire.weeklylesson')),
            ],
            options={
                'verbose_name': 'séance',
                'verbose_name_plural': 'séances',
                'ordering': ['date', 'start'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='WeeklyLessonDivision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('division', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='annuaire.division')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('weekly_lesson', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='vie_scolaire.weeklylesson')),
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
        migrations.AddField(
            model_name='weeklylesson',
            name='divisions',
            field=models.ManyToManyField(related_name='weekly_lessons', through='vie_scolaire.WeeklyLessonDivision', to='annuaire.division'),
        ),
        migrations.CreateModel(
            name='WeeklyLessonGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='annuaire.teachinggroup')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('weekly_lesson', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='vie_scolaire.weeklylesson')),
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
        migrations.AddField(
            model_name='weeklylesson',
            name='groups',
            field=models.ManyToManyField(related_name='weekly_lessons', through='vie_scolaire.WeeklyLessonGroup', to='annuaire.teachinggroup'),
        ),
        migrations.CreateModel(
            name='WeeklyLessonTeacher',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('teacher', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                ('weekly_lesson', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='vie_scolaire.weeklylesson')),
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
        migrations.AddField(
            model_name='weeklylesson',
            name='teachers',
            field=models.ManyToManyField(blank=True, related_name='weekly_lessons', through='vie_scolaire.WeeklyLessonTeacher', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='WeekOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('monday', models.DateField(verbose_name='lundi de la semaine')),
                ('kind', models.CharField(choices=[('A', 'Semaine A'), ('B', 'Semaine B')], max_length=1, verbose_name='semaine')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': "changement d'alternance",
                'verbose_name_plural': "changements d'alternance",
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key_hash', models.CharField(max_length=64, unique=True)),
                ('prefix', models.CharField(max_length=8)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'agenda partagé',
                'verbose_name_plural': 'agendas partagés',
                'ordering': ['-created_at'],
                'abstract': False,
                'base_manager_name': 'unscoped',
                'indexes': [models.Index(fields=['school', 'owner'], name='calendar_feed_owner_idx')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Holiday',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_year', models.PositiveSmallIntegerField(verbose_name='année scolaire')),
                ('name', models.CharField(max_length=100, verbose_name='nom')),
                ('first_day', models.DateField(verbose_name='premier jour')),
                ('last_day', models.DateField(verbose_name='dernier jour')),
                ('from_city', models.BooleanField(default=False, verbose_name='saisi par la Ville')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'vacances ou fermeture',
                'verbose_name_plural': 'vacances et fermetures',
                'ordering': ['first_day'],
                'abstract': False,
                'base_manager_name': 'unscoped',
                'indexes': [models.Index(fields=['school', 'school_year'], name='holiday_year_idx')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Period',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_year', models.PositiveSmallIntegerField(verbose_name='année scolaire')),
                ('name', models.CharField(max_length=100, verbose_name='nom')),
                ('first_day', models.DateField(verbose_name='premier jour')),
                ('last_day', models.DateField(verbose_name='dernier jour')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'période',
                'verbose_name_plural': 'périodes',
                'ordering': ['first_day'],
                'abstract': False,
                'base_manager_name': 'unscoped',
                'indexes': [models.Index(fields=['school', 'school_year'], name='period_year_idx')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddConstraint(
            model_name='room',
            constraint=models.UniqueConstraint(fields=('school', 'code'), name='unique_room_code'),
        ),
        migrations.AddConstraint(
            model_name='schoolcalendar',
            constraint=models.UniqueConstraint(fields=('school', 'school_year'), name='unique_school_calendar'),
        ),
        migrations.AddConstraint(
            model_name='timeslot',
            constraint=models.UniqueConstraint(fields=('school', 'code'), name='unique_time_slot'),
        ),
        migrations.AddIndex(
            model_name='lesson',
            index=models.Index(fields=['school', 'date'], name='lesson_date_idx'),
        ),
        migrations.AddConstraint(
            model_name='lesson',
            constraint=models.UniqueConstraint(fields=('weekly_lesson', 'scheduled_date'), name='unique_lesson_occurrence'),
        ),
        migrations.AddConstraint(
            model_name='lesson',
            constraint=models.CheckConstraint(condition=models.Q(('start__lt', models.F('end'))), name='lesson_start_before_end'),
        ),
        migrations.AddConstraint(
            model_name='weeklylessondivision',
            constraint=models.UniqueConstraint(fields=('weekly_lesson', 'division'), name='unique_lesson_division'),
        ),
        migrations.AddConstraint(
            model_name='weeklylessongroup',
            constraint=models.UniqueConstraint(fields=('weekly_lesson', 'group'), name='unique_lesson_group'),
        ),
        migrations.AddIndex(
            model_name='weeklylessonteacher',
            index=models.Index(fields=['school', 'teacher'], name='lesson_teacher_idx'),
        ),
        migrations.AddConstraint(
            model_name='weeklylessonteacher',
            constraint=models.UniqueConstraint(fields=('weekly_lesson', 'teacher'), name='unique_lesson_teacher'),
        ),
        migrations.AddConstraint(
            model_name='weeklylesson',
            constraint=models.UniqueConstraint(fields=('school', 'school_year', 'source', 'source_key'), name='unique_weekly_lesson_source'),
        ),
        migrations.AddConstraint(
            model_name='weeklylesson',
            constraint=models.CheckConstraint(condition=models.Q(('start__lt', models.F('end'))), name='weekly_lesson_start_before_end'),
        ),
        migrations.AddConstraint(
            model_name='weekoverride',
            constraint=models.UniqueConstraint(fields=('school', 'monday'), name='unique_week_override'),
        ),
        TenantRowLevelSecurity("schoolcalendar"),
        TenantRowLevelSecurity("holiday"),
        TenantRowLevelSecurity("period"),
        TenantRowLevelSecurity("weekoverride"),
        TenantRowLevelSecurity("timeslot"),
        TenantRowLevelSecurity("room"),
        TenantRowLevelSecurity("weeklylesson"),
        TenantRowLevelSecurity("weeklylessonteacher"),
        TenantRowLevelSecurity("weeklylessondivision"),
        TenantRowLevelSecurity("weeklylessongroup"),
        TenantRowLevelSecurity("lesson"),
        TenantRowLevelSecurity("calendarfeed"),
    ]
