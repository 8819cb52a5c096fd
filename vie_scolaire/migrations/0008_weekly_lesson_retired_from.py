from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vie_scolaire', '0007_default_absence_reasons'),
    ]

    operations = [
        migrations.AddField(
            model_name='weeklylesson',
            name='retired_from',
            field=models.DateField(blank=True, null=True, verbose_name='retiré à partir du'),
        ),
    ]
