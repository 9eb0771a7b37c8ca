"""A PDF with JavaScript is stored without it: the applicant is told on upload, the audit
keeps both hashes, and the unit's reviewer sees in the dossier what was removed, with the
uploaded file's hash beside the stored one (docs/security.md §Uploads)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories.documents import crafted_pdf, with_javascript
from tests.factories.reviews import DEMO_PLAN_ROW as row
from tests.factories.reviews import DEMO_SPECIALTY
from zhicheng.applications import operations as ops
from zhicheng.applications.models import Material
from zhicheng.catalogue.models import Series
from zhicheng.core.models import AuditEvent
from zhicheng.seasons.models import CommitteePlan

pytestmark = pytest.mark.django_db

def test_javascript_is_removed_and_reviewers_are_told(make_applicant, chain):
    user = make_applicant()
    plan = CommitteePlan.objects.get(season__code="lianyungang-2024", row=row)
    app = ops.start_application(user, season=plan.season, plan=plan,
                                series_id=Series.objects.get(code="engineering").pk,
                                specialty=DEMO_SPECIALTY, level="intermediate", route="normal")
    uploaded = crafted_pdf(with_javascript)
    applicant = Client()
    applicant.force_login(user)
    r = applicant.post(reverse("applications:material_upload", args=[app.pk]), {
        "file": SimpleUploadedFile("证书.pdf", uploaded, content_type="application/pdf"),
        "kind": "title", "title": "助理工程师证书", "document_date": "2019-06-30",
    }, follow=True)
    page = r.content.decode()
    assert "该PDF含有" in page and "JavaScript脚本" in page and "已自动清除" in page

    material = Material.objects.get(application=app)
    assert material.original_sha256 == hashlib.sha256(uploaded).hexdigest()
    assert material.sha256 != material.original_sha256
    assert sorted(material.removed_content) == ["event_action", "javascript", "open_action"]
    with material.file.open("rb") as stored:
        data = stored.read()
    assert hashlib.sha256(data).hexdigest() == material.sha256
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", pikepdf.Dictionary())
    [event] = AuditEvent.objects.filter(action="application.material.add")
    assert event.data["original_sha256"] == material.original_sha256
    assert "已清除文件中的活动内容" in event.summary

    ops.add_material(app, user, SimpleUploadedFile("合同.pdf", crafted_pdf(lambda pdf: None)),
                     kind="contract", title="劳动合同", document_date=dt.date(2019, 6, 30))
    ops.accept_commitment(app, user, ip="127.0.0.1")
    ops.submit_application(app, user, token=f"tok-clean-{app.pk}")

    reviewer = Client()
    reviewer.force_login(chain.unit_hr_for(app))
    html = reviewer.get(reverse("reviews:dossier", args=[app.pk])).content.decode()
    assert "上传时已清除文件中的活动内容：" in html
    assert "JavaScript脚本" in html and "打开文件时自动执行的动作" in html
    assert f"原始文件 <code>{material.original_sha256[:17]}" in html
    assert html.count("zc-cleaned") == 1  # the plain contract carries no notice
