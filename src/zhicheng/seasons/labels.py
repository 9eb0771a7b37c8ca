"""The seasons app's audit actions as people read them (core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

labels.register("audit_action", {
    "season.publish": _("发布年度数据"),
    "season.schedule": _("定期发布年度数据"),
    "seasons.committeeplan.series": _("修改计划表的评审系列"),
    "season.redecide": _("按更正版本重新判定"),
    "season.plan_import": _("导入评审计划表"),
    "season.derive": _("以上一届为基础新建草稿"),
    "season.edit_draft": _("修改年度草稿"),
    "season.correction_draft": _("新建更正草稿"),
    "season.archive": _("结束并归档年度"),
    "season.document_template": _("修改文件模板"),
})
