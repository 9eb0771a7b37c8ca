"""The meeting's audit actions and the public draw record's codes as people read them
(core.labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhicheng.core import labels

labels.register("audit_action", {
    "evaluation.attendance": _("登记出席"),
    "evaluation.sitting.add": _("增加分场会议"),
    "evaluation.sitting.change": _("修改分场会议"),
    "evaluation.sitting.assign": _("调整分场评审对象"),
    "evaluation.ballot.cast": _("投票"),
    "evaluation.ballot.close": _("结束投票"),
    "evaluation.ballot.open": _("开始投票"),
    "evaluation.ceiling": _("确定通过率上限"),
    "evaluation.committee.create": _("组建评委会"),
    "evaluation.conflict.declare": _("申报回避关系"),
    "evaluation.data_report.send": _("报送评审数据"),
    "evaluation.defence": _("登记答辩"),
    "evaluation.draw.commit": _("确认抽取结果"),
    "evaluation.draw.override": _("调整抽取结果"),
    "evaluation.draw.run": _("抽取评审专家"),
    "evaluation.expert.activate": _("启用专家"),
    "evaluation.expert.add": _("专家入库"),
    "evaluation.expert.deactivate": _("停用专家"),
    "evaluation.meeting.create": _("创建评审会议"),
    "evaluation.meeting.delete": _("删除开评报告"),
    "evaluation.meeting.presiding": _("指定会议主持人"),
    "evaluation.dossier.open": _("评委查阅评审材料"),
    "evaluation.meeting.open": _("召开评审会议"),
    "evaluation.meeting.update": _("修改评审会议"),
    "evaluation.member.role": _("设置评委职务"),
    "evaluation.member.seat": _("评委入座"),
    "evaluation.member.unseat": _("评委退出"),
    "evaluation.recuse": _("评委回避"),
    "evaluation.report.decide": _("审定评审报告"),
    "evaluation.report.submit": _("提交评审报告"),
    "evaluation.reserve": _("启用备选专家"),
    "evaluation.results.file": _("评审结果归档"),
    "evaluation.results.publish": _("公布评审结果"),
    "evaluation.results.record": _("登记评审结果"),
    "evaluation.tally.roles": _("指定计票监票人"),
    "evaluation.tally.sign": _("签署计票结果"),
})

# Why a pool code of a public draw record stood aside (queries.EXCLUSION_CLASS): one class.
labels.register("exclusion_class", {"conflict": _("回避")})
