from __future__ import annotations

import copy
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from zhicheng.documents.fonts import FontUnavailable
from zhicheng.documents.pdf import SnapshotError, render_application_form
from zhicheng.documents.sample import SAMPLE_SNAPSHOT
from zhicheng.documents.snapshot import ApplicationSnapshot

QR_URL = "https://zhicheng.example/applications/LYG-2024-GC-000123"


def render(snapshot: Any, **kwargs: Any) -> bytes:
    return render_application_form(snapshot, qr_url=QR_URL, **kwargs)


def sample() -> ApplicationSnapshot:
    return copy.deepcopy(SAMPLE_SNAPSHOT)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext output with whitespace removed (it drops spaces between CJK glyphs anyway)."""
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render(SAMPLE_SNAPSHOT)


def test_is_an_a4_pdf(sample_pdf: bytes) -> None:
    assert sample_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(sample_pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)
    assert reader.metadata is not None and "专业技术资格评审申报表" in str(reader.metadata.title)


def test_text_has_the_form(sample_pdf: bytes, tmp_path: Path) -> None:
    text = text_of(sample_pdf, tmp_path)
    for expected in [
        "专业技术资格评审申报表",
        "张明远",
        "工程师",
        "电力工程（输配电及用电）",
        "320703********1234",
        "连云港市工程技术中级职称评审委员会",
        "单位意见",
        "单位盖章",
        "负责人签字",
        "初审意见",
        "复核意见",
        "申报人承诺",
        "★代表作",
        "9f86d081884c7d65",  # a material's SHA-256 prefix
        "第1页共",
    ]:
        assert expected in text, expected


def test_font_is_embedded(sample_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    path.write_bytes(sample_pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, out.stdout
    for row in rows:
        # columns: name type encoding emb sub uni object-id
        emb = row.split()[-5]
        assert emb == "yes", f"font not embedded: {row}"


def test_qr_code_is_an_image(sample_pdf: bytes) -> None:
    page = PdfReader(io.BytesIO(sample_pdf)).pages[0]
    resources: Any = page["/Resources"]
    xobjects = resources["/XObject"].get_object()
    subtypes = [xobjects[name].get_object()["/Subtype"] for name in xobjects]
    assert "/Image" in subtypes


def test_same_snapshot_same_bytes(sample_pdf: bytes) -> None:
    assert render(SAMPLE_SNAPSHOT) == sample_pdf


def test_long_tables_split_with_repeated_headers(tmp_path: Path) -> None:
    snapshot = sample()
    snapshot["achievements"] = [
        {
            "kind": "论文",
            "title": f"第{i}篇论文：沿海地区变电站防腐蚀设计的若干问题研究与实践总结",
            "date": "2020-01",
            "source": "《电力勘测设计》",
            "role": "第1作者",
            "representative": i < 2,
        }
        for i in range(40)
    ]
    pdf = render(snapshot)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    text = text_of(pdf, tmp_path)
    assert "第2页" in text
    assert text.count("七、业绩成果与论文") >= 2  # the title and header rows repeat
    assert "第39篇论文" in text


def test_empty_sections_print_wu(tmp_path: Path) -> None:
    snapshot = sample()
    for key in ("education", "titles", "work", "assessments", "continuing_education"):
        snapshot[key] = []
    snapshot["achievements"] = []
    snapshot["materials"] = []
    text = text_of(render(snapshot), tmp_path)
    sections = ["二、学历", "三、", "四、", "五、", "六、", "七、", "八、", "九、"]
    for start, end in zip(sections, sections[1:], strict=False):
        body = text[text.index(start) : text.index(end)].split("提交时间")[0]  # minus footer
        assert body.endswith("无"), (start, body)


def test_long_text_wraps_and_markup_is_escaped(tmp_path: Path) -> None:
    snapshot = sample()
    snapshot["work"][1]["duties"] = "负责变电站电气设计与施工配合工作。" * 28  # ~500 characters
    snapshot["achievements"][0]["title"] = "A<b>&C 论文" + "x" * 120  # no break points at all
    pdf = render(snapshot)
    text = text_of(pdf, tmp_path)
    assert "A<b>&C论文" in text


def test_draft_is_marked(tmp_path: Path) -> None:
    snapshot = sample()
    snapshot["submitted_at"] = None
    snapshot["commitment"]["accepted_at"] = None
    text = text_of(render(snapshot), tmp_path)
    assert "草稿" in text
    assert "尚未在线确认本承诺" in text


def test_missing_and_unknown_keys_are_named() -> None:
    snapshot: Any = sample()
    del snapshot["applicant"]["name"]
    snapshot["work"][0]["employr"] = "typo"
    with pytest.raises(SnapshotError) as caught:
        render(snapshot)
    message = str(caught.value)
    assert "applicant.name" in message
    assert "work[0].employr" in message


def test_optional_keys_may_be_left_out() -> None:
    snapshot: Any = sample()
    del snapshot["applicant"]["phone"]
    del snapshot["snapshot_sha256"]
    del snapshot["education"][0]["verified_online"]
    assert render(snapshot).startswith(b"%PDF-")


def test_full_identity_number_is_refused() -> None:
    snapshot = sample()
    snapshot["applicant"]["id_masked"] = "32070319880312123X"
    with pytest.raises(SnapshotError, match="脱敏"):
        render(snapshot)


def test_missing_font_names_the_package(settings: Any) -> None:
    settings.ZHICHENG_PDF_FONT = "/nonexistent/font.ttc"
    with pytest.raises(FontUnavailable, match="fonts-wqy-microhei"):
        render(SAMPLE_SNAPSHOT)


def _page_texts(pdf: bytes) -> list[str]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return ["".join((page.extract_text() or "").split()) for page in pages]


def test_a_long_work_row_runs_on_from_page_one_instead_of_leaving_it_half_empty() -> None:
    """A work-history row longer than the space left on page 1 starts there and continues on
    page 2 (the row splits), so page 1 is not left half empty."""
    snapshot = sample()
    snapshot["education"] = snapshot["education"][:1]
    snapshot["titles"] = snapshot["titles"][:1]
    long_duties = "负责焊接工艺评定与质量追溯。" * 120 + "以上为全部内容"
    snapshot["work"] = [{**snapshot["work"][0], "duties": long_duties}]
    pages = _page_texts(render(snapshot))
    first = next(i for i, text in enumerate(pages) if "四、工作经历" in text)
    assert "负责焊接工艺评定与质量追溯" in pages[first]  # the row starts under its heading
    assert "以上为全部内容" in "".join(pages[first + 1:])  # and runs on to the next page
