import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    dependencies = [
        ('annuaire', '0004_directory_import'),
        ('communication', '0002_notification_delivery'),
        ('schools', '0004_school_directory_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Announcement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='titre')),
                ('body', models.TextField(verbose_name='texte')),
                ('status', models.CharField(choices=[('pending', 'En attente de validation'), ('published', 'Validée'), ('rejected', 'Refusée')], default='published', max_length=10, verbose_name='état')),
                ('whole_school', models.BooleanField(default=False, verbose_name="tout l'établissement")),
                ('publish_at', models.DateTimeField(verbose_name='publication le')),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expiration le')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('fanout_cursor', models.BigIntegerField(default=0, editable=False)),
                ('notified_at', models.DateTimeField(blank=True, editable=False, null=True)),
            ],
            options={
                'verbose_name': 'actualité',
                'verbose_name_plural': 'actualités',
                'ordering': ['-publish_at', '-pk'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='AnnouncementAudience',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('profile', models.CharField(blank=True, choices=[('student', 'Élève'), ('parent', 'Responsable légal'), ('teacher', 'Enseignant'), ('staff', 'Personnel'), ('direction', 'Direction')], max_length=20, verbose_name='profil')),
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
            name='AnnouncementRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('read_at', models.DateTimeField(auto_now_add=True)),
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
            name='AnnouncementSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('approval_required', models.BooleanField(default=False, help_text="Les actualités écrites par un personnel délégué attendent la validation d'un membre de la direction.", verbose_name='validation par la direction')),
            ],
            options={
                'verbose_name': 'réglages des actualités',
                'verbose_name_plural': 'réglages des actualités',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='DigestSent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(max_length=20)),
                ('sent_at', models.DateTimeField()),
                ('notifications', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='NotificationPreferences',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channels', models.JSONField(blank=True, default=dict, verbose_name='canaux')),
                ('quiet_start', models.TimeField(blank=True, null=True, verbose_name='pas de courriel ni de SMS de')),
                ('quiet_end', models.TimeField(blank=True, null=True, verbose_name='à')),
                ('digest', models.CharField(choices=[('none', 'Aucun'), ('daily', 'Quotidien'), ('weekly', 'Hebdomadaire')], default='none', max_length=10, verbose_name='résumé par courriel')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'préférences de notification',
                'verbose_name_plural': 'préférences de notification',
            },
        ),
        migrations.AddField(
            model_name='notification',
            name='outbox',
            field=models.CharField(blank=True, default='', editable=False, max_length=20),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('outbox', ''), _negated=True), fields=['school', 'created_at'], name='notification_outbox_idx'),
        ),
        migrations.AddField(
            model_name='announcement',
            name='author',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='announcements_written', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='announcement',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='announcement',
            name='school',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school'),
        ),
        migrations.AddField(
            model_name='announcementaudience',
            name='announcement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='audience', to='communication.announcement'),
        ),
        migrations.AddField(
            model_name='announcementaudience',
            name='division',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='annuaire.division'),
        ),
        migrations.AddField(
            model_name='announcementaudience',
            name='school',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school'),
        ),
        migrations.AddField(
            model_name='announcementread',
            name='announcement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reads', to='communication.announcement'),
        ),
        migrations.AddField(
            model_name='announcementread',
            name='school',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school'),
        ),
        migrations.AddField(
            model_name='announcementread',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='announcementsettings',
            name='school',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school'),
        ),
        migrations.AddField(
            model_name='digestsent',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='notificationpreferences',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_prefs', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='announcement',
            index=models.Index(fields=['school', 'status', 'publish_at'], name='announcement_current_idx'),
        ),
        migrations.AddIndex(
            model_name='announcementaudience',
            index=models.Index(fields=['school', 'announcement'], name='audience_announcement_idx'),
        ),
        migrations.AddConstraint(
            model_name='announcementaudience',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('profile', ''), ('division__isnull', False)), models.Q(models.Q(('profile', ''), _negated=True), ('division__isnull', True)), _connector='OR'), name='audience_profile_xor_division'),
        ),
        migrations.AddIndex(
            model_name='announcementread',
            index=models.Index(fields=['school', 'user'], name='announcement_read_user_idx'),
        ),
        migrations.AddConstraint(
            model_name='announcementread',
            constraint=models.UniqueConstraint(fields=('announcement', 'user'), name='unique_announcement_read'),
        ),
        migrations.AddConstraint(
            model_name='announcementsettings',
            constraint=models.UniqueConstraint(fields=('school',), name='unique_announcement_settings'),
        ),
        migrations.AddIndex(
            model_name='digestsent',
            index=models.Index(fields=['user', '-sent_at'], name='digest_user_idx'),
        ),
        migrations.AddConstraint(
            model_name='digestsent',
            constraint=models.UniqueConstraint(fields=('user', 'period'), name='unique_digest_per_period'),
        ),
        migrations.AddIndex(
            model_name='notificationpreferences',
            index=models.Index(fields=['digest', 'user'], name='prefs_digest_idx'),
        ),
        TenantRowLevelSecurity("announcement"),
        TenantRowLevelSecurity("announcementaudience"),
        TenantRowLevelSecurity("announcementread"),
        TenantRowLevelSecurity("announcementsettings"),
    ]
