import django.core.validators
import django.db.models.deletion
import django.db.models.manager
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    dependencies = [
        ('annuaire', '0004_directory_import'),
        ('schools', '0004_school_directory_key'),
        ('vie_scolaire', '0001_calendar_and_timetable'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='period',
            name='entry_closes_on',
            field=models.DateField(blank=True, null=True, verbose_name='fin de la saisie des notes'),
        ),
        migrations.CreateModel(
            name='Assessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=150, verbose_name='titre')),
                ('date', models.DateField(verbose_name='date')),
                ('kind', models.CharField(choices=[('written', 'Devoir surveillé'), ('homework', 'Devoir maison'), ('oral', 'Oral'), ('quiz', 'Interrogation'), ('practical', 'Travaux pratiques'), ('other', 'Autre')], default='written', max_length=20, verbose_name='type')),
                ('scale', models.PositiveSmallIntegerField(default=20, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(99)], verbose_name='barème')),
                ('coefficient', models.DecimalField(decimal_places=2, default=Decimal('1'), help_text="0 : la note n'entre pas dans la moyenne.", max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('99'))], verbose_name='coefficient')),
                ('convert_to_20', models.BooleanField(default=False, verbose_name='ramener sur 20')),
                ('bonus', models.BooleanField(default=False, help_text='Seuls les points au-dessus de la moitié du barème comptent.', verbose_name='bonus')),
                ('optional', models.BooleanField(default=False, help_text="Compte seulement s'il améliore la moyenne.", verbose_name='facultatif')),
                ('published_to_students_on', models.DateField(blank=True, null=True, verbose_name='visible des élèves le')),
                ('published_to_parents_on', models.DateField(blank=True, null=True, verbose_name='visible des parents le')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='annuaire.teachingassignment', verbose_name='service')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='vie_scolaire.period', verbose_name='période')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'évaluation',
                'verbose_name_plural': 'évaluations',
                'ordering': ['date', 'pk'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='GradeCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=10, verbose_name='code')),
                ('label', models.CharField(max_length=100, verbose_name='signification')),
                ('counts_as_zero', models.BooleanField(default=False, verbose_name='compte comme 0')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'code de note',
                'verbose_name_plural': 'codes de note',
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
            name='Grade',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='note')),
                ('comment', models.CharField(blank=True, max_length=300, verbose_name='commentaire')),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grades', to='vie_scolaire.assessment')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grades', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('code', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='vie_scolaire.gradecode', verbose_name='code')),
            ],
            options={
                'verbose_name': 'note',
                'verbose_name_plural': 'notes',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='SubjectCoefficient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('coefficient', models.DecimalField(decimal_places=2, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('99'))], verbose_name='coefficient')),
                ('division', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subject_coefficients', to='annuaire.division')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='annuaire.subject')),
            ],
            options={
                'verbose_name': 'coefficient de matière',
                'verbose_name_plural': 'coefficients de matière',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['school', 'period', 'assignment'], name='assessment_period_idx'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('scale__gte', 1), ('scale__lte', 99)), name='assessment_scale_1_99'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('coefficient__gte', 0), ('coefficient__lte', 99)), name='assessment_coefficient_0_99'),
        ),
        migrations.AddConstraint(
            model_name='gradecode',
            constraint=models.UniqueConstraint(fields=('school', 'code'), name='unique_grade_code'),
        ),
        migrations.AddIndex(
            model_name='grade',
            index=models.Index(fields=['school', 'student'], name='grade_student_idx'),
        ),
        migrations.AddConstraint(
            model_name='grade',
            constraint=models.UniqueConstraint(fields=('assessment', 'student'), name='unique_grade'),
        ),
        migrations.AddConstraint(
            model_name='grade',
            constraint=models.CheckConstraint(condition=models.Q(('value__isnull', True), ('code__isnull', True), _connector='OR'), name='grade_value_or_code'),
        ),
        migrations.AddConstraint(
            model_name='subjectcoefficient',
            constraint=models.UniqueConstraint(fields=('division', 'subject'), name='unique_subject_coefficient'),
        ),
        TenantRowLevelSecurity("gradecode"),
        TenantRowLevelSecurity("assessment"),
        TenantRowLevelSecurity("grade"),
        TenantRowLevelSecurity("subjectcoefficient"),
    ]
