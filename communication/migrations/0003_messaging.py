import communication.messaging.models
import django.db.models.deletion
import django.db.models.manager
import uuid
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    dependencies = [
        ('communication', '0002_notification_delivery'),
        ('schools', '0004_school_directory_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Conversation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=200, verbose_name='objet')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('last_message_at', models.DateTimeField(verbose_name='dernier message')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'conversation',
                'verbose_name_plural': 'conversations',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Draft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(blank=True, max_length=200, verbose_name='objet')),
                ('body', models.TextField(blank=True, max_length=10000, verbose_name='message')),
                ('recipients', models.JSONField(blank=True, default=list, verbose_name='destinataires')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'brouillon',
                'verbose_name_plural': 'brouillons',
                'ordering': ['-updated_at'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Message',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(max_length=10000, verbose_name='message')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('batch', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('conversation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='communication.conversation')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'message',
                'verbose_name_plural': 'messages',
                'ordering': ['created_at', 'pk'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='MessageAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='nom')),
                ('file', models.FileField(upload_to=communication.messaging.models.attachment_path, verbose_name='fichier')),
                ('size', models.PositiveIntegerField(verbose_name='taille')),
                ('draft', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='communication.draft')),
                ('message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='communication.message')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'pièce jointe',
                'verbose_name_plural': 'pièces jointes',
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='MessageReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(blank=True, max_length=1000, verbose_name='motif')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='communication.message')),
                ('reporter', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'signalement',
                'verbose_name_plural': 'signalements',
                'ordering': ['-created_at'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='MessagingSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('students_suspended', models.BooleanField(default=False, verbose_name='envoi suspendu pour les élèves')),
                ('parents_suspended', models.BooleanField(default=False, verbose_name='envoi suspendu pour les parents')),
                ('parents_read_young_children', models.BooleanField(default=False, verbose_name='les parents lisent les messages de leurs enfants de moins de 15 ans')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
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
            name='ModerationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('recipient_cap', 'Trop de destinataires'), ('rate_limit', "Trop d'envois en une minute"), ('suspended', 'Envoi refusé : messagerie suspendue'), ('switch', 'Suspension modifiée'), ('policy', 'Règles modifiées'), ('report', 'Message signalé')], max_length=20, verbose_name='événement')),
                ('detail', models.CharField(blank=True, max_length=500, verbose_name='détail')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='communication.message')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'événement de modération',
                'verbose_name_plural': 'journal de modération',
                'ordering': ['-created_at', '-pk'],
                'abstract': False,
                'base_manager_name': 'unscoped',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='Participant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received', models.BooleanField(default=False)),
                ('sent', models.BooleanField(default=False)),
                ('trashed', models.BooleanField(default=False, verbose_name='dans la corbeille')),
                ('unread', models.PositiveIntegerField(default=0, verbose_name='non lus')),
                ('last_read_at', models.DateTimeField(blank=True, null=True)),
                ('conversation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='communication.conversation')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
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
            name='PolicyRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sender_profile', models.CharField(choices=[('student', 'Élève'), ('parent', 'Responsable légal'), ('teacher', 'Enseignant'), ('staff', 'Personnel'), ('direction', 'Direction')], max_length=20, verbose_name="profil de l'expéditeur")),
                ('recipient_profile', models.CharField(choices=[('student', 'Élève'), ('parent', 'Responsable légal'), ('teacher', 'Enseignant'), ('staff', 'Personnel'), ('direction', 'Direction')], max_length=20, verbose_name='profil du destinataire')),
                ('reach', models.CharField(choices=[('nobody', 'Personne'), ('division', 'Dans la division'), ('school', "Dans l'établissement")], max_length=10, verbose_name='portée')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
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
            name='SendingLimit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('profile', models.CharField(choices=[('student', 'Élève'), ('parent', 'Responsable légal'), ('teacher', 'Enseignant'), ('staff', 'Personnel'), ('direction', 'Direction')], max_length=20, verbose_name='profil')),
                ('max_recipients', models.PositiveIntegerField(verbose_name='destinataires par message au plus')),
                ('max_per_minute', models.PositiveIntegerField(verbose_name='envois par minute au plus')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
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
        migrations.AddIndex(
            model_name='draft',
            index=models.Index(fields=['school', 'author'], name='draft_author_idx'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['school', 'conversation', 'created_at'], name='message_conversation_idx'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['school', 'author', 'created_at'], name='message_author_idx'),
        ),
        migrations.AddConstraint(
            model_name='messageattachment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('draft__isnull', True), ('message__isnull', False)), models.Q(('draft__isnull', False), ('message__isnull', True)), _connector='OR'), name='message_attachment_of_one_thing'),
        ),
        migrations.AddConstraint(
            model_name='messagingsettings',
            constraint=models.UniqueConstraint(fields=('school',), name='unique_messaging_settings'),
        ),
        migrations.AddIndex(
            model_name='moderationevent',
            index=models.Index(fields=['school', 'created_at'], name='moderation_event_idx'),
        ),
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(fields=['school', 'user', 'trashed'], name='participant_mailbox_idx'),
        ),
        migrations.AddConstraint(
            model_name='participant',
            constraint=models.UniqueConstraint(fields=('conversation', 'user'), name='unique_participant'),
        ),
        migrations.AddConstraint(
            model_name='policyrule',
            constraint=models.UniqueConstraint(fields=('school', 'sender_profile', 'recipient_profile'), name='unique_policy_rule'),
        ),
        migrations.AddConstraint(
            model_name='sendinglimit',
            constraint=models.UniqueConstraint(fields=('school', 'profile'), name='unique_sending_limit'),
        ),
        TenantRowLevelSecurity("conversation"),
        TenantRowLevelSecurity("participant"),
        TenantRowLevelSecurity("message"),
        TenantRowLevelSecurity("draft"),
        TenantRowLevelSecurity("messageattachment"),
        TenantRowLevelSecurity("policyrule"),
        TenantRowLevelSecurity("sendinglimit"),
        TenantRowLevelSecurity("messagingsettings"),
        TenantRowLevelSecurity("messagereport"),
        TenantRowLevelSecurity("moderationevent"),
    ]
