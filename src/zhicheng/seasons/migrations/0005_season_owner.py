"""Seasons belong to a city (orgs.City). Existing seasons get the city their `city` name
names (code: the season code's prefix, e.g. yunhu-2024 → yunhu); when the
installation has exactly one city, its organisations and districts belong to it."""

import django.db.models.deletion
from django.db import migrations, models


def assign_cities(apps, schema_editor):
    City = apps.get_model("orgs", "City")
    Season = apps.get_model("seasons", "Season")
    Organisation = apps.get_model("orgs", "Organisation")
    District = apps.get_model("orgs", "District")
    for season in Season.objects.filter(owner__isnull=True).order_by("year", "code"):
        city = City.objects.filter(name=season.city).first()
        if city is None:
            code = season.code.rsplit("-", 1)[0] or season.code
            if City.objects.filter(code=code).exists():
                code = f"{code}-{City.objects.count() + 1}"
            city = City.objects.create(code=code, name=season.city)
        season.owner = city
        season.save(update_fields=["owner"])
    if City.objects.count() == 1:
        only = City.objects.get()
        Organisation.objects.filter(city__isnull=True).update(city=only)
        District.objects.filter(city__isnull=True).update(city=only)


def one_current_season(apps, schema_editor):
    """Going back to one current season for the whole installation: the newest stays."""
    Season = apps.get_model("seasons", "Season")
    current = Season.objects.filter(is_current=True).order_by("-year", "-pk")
    keep = current.first()
    if keep is not None:
        current.exclude(pk=keep.pk).update(is_current=False)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_city'),
        ('seasons', '0004_seasonversion_scheduled_on'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='season',
            name='one_current_season',
        ),
        migrations.AddField(
            model_name='season',
            name='owner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seasons', to='orgs.city', verbose_name='所属城市'),
        ),
        migrations.RunPython(assign_cities, one_current_season),
        migrations.AddConstraint(
            model_name='season',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('owner', 'is_current'), name='one_current_season_per_city'),
        ),
    ]
