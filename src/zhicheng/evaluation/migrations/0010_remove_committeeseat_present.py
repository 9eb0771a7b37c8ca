"""Attendance is per sitting now (0009 copied the flag into sitting 1's attendance). Going
back re-adds the flag and 0009's reverse fills it from sitting 1's attendance."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0009_sittings'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='committeeseat',
            name='present',
        ),
    ]
