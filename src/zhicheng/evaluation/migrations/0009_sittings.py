"""Sittings (分场会议): every existing meeting gets sitting 1 from its own date, place and
presiding; each of its cases is voted at sitting 1; its seats' attendance (the `present`
flag) becomes sitting 1's attendance rows, then the flag goes (0010, a migration of its own:
PostgreSQL alters no table with pending constraint checks in the same transaction)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps: Any, schema_editor: Any) -> None:
    Meeting = apps.get_model("evaluation", "Meeting")
    Sitting = apps.get_model("evaluation", "Sitting")
    Case = apps.get_model("evaluation", "Case")
    CommitteeSeat = apps.get_model("evaluation", "CommitteeSeat")
    Attendance = apps.get_model("evaluation", "Attendance")
    for m in Meeting.objects.order_by("pk").iterator():
        first = Sitting.objects.create(meeting_id=m.pk, number=1, date=m.date, place=m.place,
                                       presiding_id=m.presiding_id)
        Case.objects.filter(meeting_id=m.pk).update(sitting_id=first.pk)
        Attendance.objects.bulk_create([
            Attendance(sitting_id=first.pk, seat_id=pk) for pk in
            CommitteeSeat.objects.filter(meeting_id=m.pk, present=True).values_list(
                "pk", flat=True)])


def backwards(apps: Any, schema_editor: Any) -> None:
    CommitteeSeat = apps.get_model("evaluation", "CommitteeSeat")
    Attendance = apps.get_model("evaluation", "Attendance")
    CommitteeSeat.objects.filter(pk__in=Attendance.objects.filter(
        sitting__number=1).values("seat_id")).update(present=True)


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0008_alter_dossieraccess_at'),
    ]

    operations = [
        migrations.CreateModel(
            name='Sitting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='场次')),
                ('date', models.DateField(verbose_name='会议日期')),
                ('place', models.CharField(max_length=200, verbose_name='会议地点')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sittings', to='evaluation.meeting')),
                ('presiding', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='evaluation.committeemember', verbose_name='会议主持人')),
            ],
            options={
                'verbose_name': '分场会议',
                'verbose_name_plural': '分场会议',
                'ordering': ['meeting_id', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seat', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='evaluation.committeeseat')),
                ('sitting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='evaluation.sitting')),
            ],
            options={
                'verbose_name': '出席',
                'verbose_name_plural': '出席',
            },
        ),
        migrations.AddField(
            model_name='case',
            name='sitting',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='cases', to='evaluation.sitting', verbose_name='场次'),
        ),
        migrations.AddConstraint(
            model_name='sitting',
            constraint=models.UniqueConstraint(fields=('meeting', 'number'), name='eval_sitting_unique'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.UniqueConstraint(fields=('sitting', 'seat'), name='eval_attendance_unique'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
