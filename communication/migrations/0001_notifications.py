import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models

from schools.rls import TenantRowLevelSecurity


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('schools', '0004_school_directory_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=50, verbose_name='type')),
                ('title', models.CharField(max_length=200, verbose_name='titre')),
                ('body', models.TextField(blank=True, verbose_name='texte')),
                ('url', models.CharField(blank=True, max_length=500, verbose_name='lien')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='lu le')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at'],
                'abstract': False,
                'base_manager_name': 'unscoped',
                'indexes': [models.Index(fields=['school', 'recipient', 'read_at'], name='notification_recipient_idx')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unscoped', django.db.models.manager.Manager()),
            ],
        ),
        TenantRowLevelSecurity("notification"),
    ]
