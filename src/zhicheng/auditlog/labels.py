"""The audit actions of accounts, API tokens, the audit chain itself and the operators'
tools, as people read them (core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

labels.register("audit_action", {
    "accounts.identity.register": _("实名注册"),
    "api.token_create": _("创建接口令牌"),
    "api.token_revoke": _("吊销接口令牌"),
    "applicant.employment": _("修改工作单位"),
    "applicant_profile.create": _("建立申报资料"),
    "applicant_profile.employment": _("修改工作单位"),
    "application.update": _("修改申报"),
    "application.commitment": _("签署诚信承诺"),
    "application.material.add": _("上传材料"),
    "application.material.delete": _("删除材料"),
    "application.submit": _("提交申报"),
    "application.withdraw": _("撤回申报"),
    "audit.verify": _("校验审计链"),
    "audit.checkpoint": _("签署审计检查点"),
    "calendar.year.publish": _("发布工作日历"),
    "catalogue.load": _("导入职称目录"),
    "orgs.load": _("导入机构名录"),
    "season.load": _("导入申报季数据"),
    "auditlog.verify_chain": _("校验审计链"),
    "demo.accounts": _("演示：创建账号"),
    "demo.applicant_profile": _("演示：填写申报资料"),
    "demo.clock.pin": _("演示：固定日期"),
    "demo.clock.set": _("演示：调整日期"),
    "demo.review_applicant": _("演示：审核申报"),
    "demo.seed": _("演示：生成数据"),
    "simulate.applicant": _("模拟：申报人"),
    "simulate.committees": _("模拟：评委会"),
    "simulate.employers": _("模拟：用人单位"),
    "simulate.officials": _("模拟：工作人员"),
    "simulate.setup": _("模拟：准备数据"),
    "simulate.unit_officials": _("模拟：单位人事"),
})
