from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('communication', '0001_notifications'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='emailed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='envoyée par courriel le'),
        ),
        migrations.AddField(
            model_name='notification',
            name='texted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='envoyée par SMS le'),
        ),
    ]
