from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    ENTRY = "entry", _("员级")
    ASSISTANT = "assistant", _("助理级")
    INTERMEDIATE = "intermediate", _("中级")
    ASSOCIATE_SENIOR = "associate_senior", _("副高级")
    FULL_SENIOR = "full_senior", _("正高级")


LEVEL_ORDER = [c.value for c in Level]


class Series(models.Model):
    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("系列"), max_length=60, unique=True)
    name_en = models.CharField(_("英文名"), max_length=80, blank=True)
    confidence = models.CharField(_("可信度"), max_length=1, default="H")
    source = models.CharField(_("来源"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("职称系列")
        verbose_name_plural = _("职称系列")

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="specialties", verbose_name=_("系列")
    )
    name = models.CharField(_("专业"), max_length=120)

    class Meta:
        ordering = ["series__position", "name"]
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        constraints = [
            models.UniqueConstraint(fields=["series", "name"], name="catalogue_specialty_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series.name}·{self.name}"


class Title(models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="titles", verbose_name=_("系列")
    )
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    name = models.CharField(_("职称名称"), max_length=60)

    class Meta:
        ordering = ["series__position", "level", "name"]
        verbose_name = _("职称名称")
        verbose_name_plural = _("职称名称")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "level", "name"], name="catalogue_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
