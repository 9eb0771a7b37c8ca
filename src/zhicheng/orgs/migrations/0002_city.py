"""Cities: a season, district and organisation may belong to one (docs/seasons.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='City',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='代码')),
                ('name', models.CharField(max_length=40, unique=True, verbose_name='名称')),
                ('name_en', models.CharField(blank=True, max_length=60, verbose_name='英文名称')),
            ],
            options={
                'verbose_name': '城市',
                'verbose_name_plural': '城市',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='district',
            name='city',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='districts', to='orgs.city', verbose_name='所属城市'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='city',
            field=models.ForeignKey(blank=True, help_text='机构所属城市；不填则视为本系统唯一的城市（单城市安装）。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='orgs.city', verbose_name='所属城市'),
        ),
    ]
