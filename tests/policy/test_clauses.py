"""Every clause of sections 一 and 二 of the notice (and the attachment) has at least one rule."""

from zhicheng.policy.engine import evaluate  # noqa: F401  (registers the rules)
from zhicheng.policy.registry import RULES

# Clauses of 一 and 二 as printed in 连职称办〔2024〕4号.
CLAUSES = {
    "一（一）": "在我市从事专业技术工作并签订合同；在我市就业的自由职业者",
    "一（二）": "港澳台人员；持许可证、永久居留证或海外高层次人才居住证的外籍人员",
    "一": "公务员（含参公）、离退休人员不得申报；受处分人员影响期内不得申报",
    "二（一）": "资格条件；逐级申报；海外归国、党政机关交流、部队转业人员首次申报",
    "二（二）": "资历截止2023-12-31，基本称职/不称职年度不计；材料截止2024-03-31；不得重复使用",
    "二（三）1": "部队院校、党校学历",
    "二（三）2": "技工院校班次视同学历",
    "二（三）3": "未取得学历的全日制大中专生降一级",
    "二（三）4": "培训班证书不能作为学历依据",
    "二（四）": "职业资格与职称对应；国际职业资格；高技能人才贯通",
    "二（五）": "基层事业单位“三定向”",
    "二（六）": "急需紧缺人才考核认定；符合正常条件的须走正常渠道",
    "二（七）": "考评结合；9个以考代评专业",
    "二（八）1": "同级转评；转评满1年后申报高一级，年限连续计算",
    "二（八）2": "同一年度不得同时申报两个系列",
    "二（九）": "继续教育学时和公需科目合格证明",
    "二（十）": "地方职称学历破格；外地职称证书",
    "二（十一）": "初定对象（2022年及以后；2021年及以前且专业不符）与过渡期",
    "二（十一）1": "大专、中专见习1年初定员级",
    "二（十一）2": "本科见习1年初定助理级",
    "二（十一）3": "硕士、第二学士初定助理级",
    "二（十一）4": "博士初定中级",
    "五（四）": "诚信档案记录期3年",
    "附件": "评审计划表受理时间",
}


def test_every_clause_has_a_rule():
    cited = {clause for rule in RULES for clause in rule.clauses}
    missing = {c: text for c, text in CLAUSES.items() if c not in cited}
    assert not missing, f"clauses without a rule: {missing}"


def test_rule_ids_are_unique_and_cite_known_clauses():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    known = set(CLAUSES) | {"二（三）", "三（二）", "四", "五（一）", "五（五）"}
    for rule in RULES:
        assert set(rule.clauses) <= known, rule.id
