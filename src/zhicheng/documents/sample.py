"""A complete example of the snapshot `render_application_form` prints (every section filled).

Builders: produce exactly this shape (see `zhicheng.documents.snapshot` for the types).
`python -m zhicheng.documents.sample out.pdf` renders it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zhicheng.documents.pdf import render_application_form
from zhicheng.documents.snapshot import ApplicationSnapshot

COMMITMENT_TEXT = (
    "本人郑重承诺：本次申报专业技术资格所提交的个人信息、学历、资历、证书、业绩成果、论文等"
    "全部材料真实、准确、完整，均由本人或所在单位如实提供，不存在弄虚作假、抄袭剽窃、"
    "伪造证件等行为。\n\n"
    "本人知悉：凡通过弄虚作假、暗箱操作等违纪违规行为取得的职称，一律予以撤销，"
    "并记入职称申报评审诚信档案库，记录期为3年；情节严重的，在一定期限内取消职称及岗位晋升资格"
    "（《2024年度连云港市职称评审工作通知》五（四））。如有不实，本人愿承担由此产生的一切后果。"
)

SAMPLE_SNAPSHOT: ApplicationSnapshot = {
    "application_no": "LYG-2024-GC-000123",
    "season": "2024年度",
    "committee": "连云港市工程技术中级职称评审委员会",
    "plan": "计划第52行 · 电力工程 · 中级 · 受理7月 · 评审9月",
    "submitted_at": "2024-07-20T10:32:15+08:00",
    "snapshot_sha256": "5d41402abc4b2a76b9719d911017c592ae3c1f2b9e0d4f8a6c7b3e2d1f0a9b8c",
    "applicant": {
        "name": "张明远",
        "gender": "男",
        "birth_date": "1988-03-12",
        "id_type": "居民身份证",
        "id_masked": "320703********1234",
        "unit": "江苏连云港电力设计院有限公司",
        "phone": "138****5678",
    },
    "request": {
        "series": "工程系列",
        "specialty": "电力工程（输配电及用电）",
        "level": "中级",
        "title_name": "工程师",
        "route": "正常申报",
        "current_title": "助理工程师",
        "current_title_date": "2015-12-28",
        "years_in_profession": 13,
    },
    "education": [
        {
            "start": "2006-09",
            "end": "2010-06",
            "school": "南京工程学院",
            "major": "电气工程及其自动化",
            "education": "大学本科",
            "degree": "工学学士",
            "mode": "全日制",
            "verified_online": True,
        },
        {
            "start": "2016-09",
            "end": "2019-06",
            "school": "河海大学",
            "major": "电气工程",
            "education": "硕士研究生",
            "degree": "工程硕士",
            "mode": "非全日制",
            "verified_online": False,
        },
    ],
    "titles": [
        {
            "name": "助理工程师",
            "specialty": "电力工程",
            "level": "初级（助理级）",
            "date": "2015-12-28",
            "obtained_via": "初定",
            "issuer": "连云港市人力资源和社会保障局",
            "certificate_number": "LYG2015C0412",
        },
        {
            "name": "注册电气工程师（供配电）",
            "specialty": "供配电",
            "level": "职业资格",
            "date": "2021-10-15",
            "obtained_via": "考试",
            "issuer": "住房和城乡建设部",
            "certificate_number": "DG32210456",
        },
    ],
    "work": [
        {
            "start": "2010-07",
            "end": "2014-12",
            "employer": "连云港供电公司",
            "position": "技术员",
            "duties": "从事10kV配电网运行维护与设备检修，参与城区配网改造工程的现场技术管理。",
        },
        {
            "start": "2015-01",
            "end": None,
            "employer": "江苏连云港电力设计院有限公司",
            "position": "设计主管",
            "duties": (
                "负责110kV及以下变电站电气一次、二次设计及输配电线路设计；主持完成"
                "徐圩新区110kV变电站新建工程、连云港港口岸电系统改造等项目的初步设计与施工图设计，"
                "编制设计说明书与概算，组织设计交底并解决施工中的技术问题；"
                "指导两名助理工程师开展配网规划工作。"
            ),
        },
    ],
    "assessments": [
        {"year": 2019, "grade": "合格", "unit": "江苏连云港电力设计院有限公司"},
        {"year": 2020, "grade": "优秀", "unit": "江苏连云港电力设计院有限公司"},
        {"year": 2021, "grade": "合格", "unit": "江苏连云港电力设计院有限公司"},
        {"year": 2022, "grade": "合格", "unit": "江苏连云港电力设计院有限公司"},
        {
            "year": 2023,
            "grade": "优秀",
            "unit": "江苏连云港电力设计院有限公司",
            "note": "年度先进工作者",
        },
    ],
    "continuing_education": [
        {"year": 2021, "public_hours": 30, "professional_hours": 60, "public_certificate": True},
        {"year": 2022, "public_hours": 30, "professional_hours": 64, "public_certificate": True},
        {
            "year": 2023,
            "public_hours": 32,
            "professional_hours": 72,
            "public_certificate": True,
            "note": "江苏省专业技术人员继续教育平台",
        },
    ],
    "achievements": [
        {
            "kind": "论文",
            "title": "沿海地区110kV变电站防腐蚀设计要点分析",
            "date": "2022-05",
            "source": "《电力勘测设计》2022年第5期",
            "role": "第1作者",
            "representative": True,
            "level": "国内公开刊物",
        },
        {
            "kind": "项目",
            "title": "徐圩新区110kV变电站新建工程（电气设计）",
            "date": "2021-11",
            "source": "国网江苏省电力有限公司",
            "role": "主持设计",
            "representative": True,
        },
        {
            "kind": "获奖",
            "title": "连云港港口岸电系统改造工程设计",
            "date": "2023-09",
            "source": "江苏省工程勘察设计行业协会（三等奖）",
            "role": "第2完成人",
            "representative": False,
            "level": "省级",
        },
        {
            "kind": "专利",
            "title": "一种用于配电柜的防凝露装置（实用新型 ZL202220123456.7）",
            "date": "2023-03",
            "source": "国家知识产权局",
            "role": "第1发明人",
            "representative": False,
        },
    ],
    "materials": [
        {
            "title": "大学本科毕业证书、学士学位证书",
            "category": "学历证明",
            "date": "2010-06-30",
            "kind": "PDF",
            "size": 1_234_567,
            "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "pages": 2,
        },
        {
            "title": "学信网学历在线验证报告",
            "category": "学历证明",
            "date": "2024-06-18",
            "kind": "PDF",
            "size": 312_000,
            "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
            "pages": 1,
        },
        {
            "title": "助理工程师资格证书",
            "category": "职称证书",
            "date": "2015-12-28",
            "kind": "JPEG",
            "size": 845_221,
            "sha256": "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13",
        },
        {
            "title": "论文《沿海地区110kV变电站防腐蚀设计要点分析》（含封面、目录、正文）",
            "category": "业绩成果（代表作）",
            "date": "2022-05-15",
            "kind": "PDF",
            "size": 4_404_019,
            "sha256": "a4e624d686e03ed2767c0abd85c14426b0b1157d2ce81d27bb4fe4f6f01d688a",
            "pages": 6,
        },
        {
            "title": "2019—2023年度考核登记表",
            "category": "年度考核",
            "date": "2024-01-10",
            "kind": "PNG",
            "size": 2_097_152,
            "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
        },
    ],
    "commitment": {
        "text": COMMITMENT_TEXT,
        "accepted_at": "2024-07-20T10:31:02+08:00",
        "accepted_ip": "10.12.0.35",
    },
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = args[0] if args else "application-form-sample.pdf"
    with Path(target).open("wb") as out:
        out.write(
            render_application_form(
                SAMPLE_SNAPSHOT, qr_url="https://zhicheng.example/applications/LYG-2024-GC-000123"
            )
        )
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
