import django.core.validators
import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0004_school_directory_key'),
        ('vie_scolaire', '0003_report_cards'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CyclePositioning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_year', models.PositiveSmallIntegerField(verbose_name='année scolaire')),
                ('component', models.CharField(choices=[('CPD_FRA', "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit"), ('CPD_ETR', "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, régionale"), ('CPD_SCI', "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques"), ('CPD_ART', "Comprendre, s'exprimer en utilisant les langages des arts et du corps"), ('MET_APP', 'Les méthodes et outils pour apprendre'), ('FRM_CIT', 'La formation de la personne et du citoyen'), ('SYS_NAT', 'Les systèmes naturels et les systèmes techniques'), ('REP_MND', "Les représentations du monde et l'activité humaine")], max_length=7, verbose_name='composante')),
                ('level', models.PositiveSmallIntegerField(validators=[django.core.validators.MaxValueValidator(4)], verbose_name='positionnement')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'positionnement de fin de cycle',
                'verbose_name_plural': 'positionnements de fin de cycle',
                'abstract': False,
                'base_manager_name': 'unscoped',
                'constraints': [models.UniqueConstraint(fields=('student', 'school_year', 'component'), name='unique_cycle_positioning'), models.CheckConstraint(condition=models.Q(('level__lte', 4)), name='positioning_0_4')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='SkillEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('component', models.CharField(choices=[('CPD_FRA', "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit"), ('CPD_ETR', "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, régionale"), ('CPD_SCI', "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques"), ('CPD_ART', "Comprendre, s'exprimer en utilisant les langages des arts et du corps"), ('MET_APP', 'Les méthodes et outils pour apprendre'), ('FRM_CIT', 'La formation de la personne et du citoyen'), ('SYS_NAT', 'Les systèmes naturels et les systèmes techniques'), ('REP_MND', "Les représentations du monde et l'activité humaine")], max_length=7, verbose_name='composante')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'Maîtrise insuffisante'), (2, 'Maîtrise fragile'), (3, 'Maîtrise satisfaisante'), (4, 'Très bonne maîtrise')], verbose_name='niveau')),
                ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                ('assessment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='skill_evaluations', to='vie_scolaire.assessment')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='skill_evaluations', to=settings.AUTH_USER_MODEL)),
                ('teacher', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'évaluation de compétence',
                'verbose_name_plural': 'évaluations de compétences',
                'ordering': ['date', 'pk'],
                'abstract': False,
                'base_manager_name': 'unscoped',
                'indexes': [models.Index(fields=['school', 'student'], name='skill_student_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('assessment__isnull', False)), fields=('assessment', 'student', 'component'), name='unique_skill_per_assessment'), models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 4)), name='skill_level_1_4')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        TenantRowLevelSecurity("skillevaluation"),
        TenantRowLevelSecurity("cyclepositioning"),
    ]
