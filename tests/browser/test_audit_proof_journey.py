"""The applicant downloads, from their application page, the proof that every event of
their dossier is in the audit log under a signed tree head, and the standalone verifier
accepts the file the browser saved (docs/trust.md §Merkle tree)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.browser.sessions import hand_session
from tests.factories.certificates import (  # noqa: F401  (fixtures)
    _keys_and_date,
    make_approved,
)
from tests.trust.tools import run_tool

pytestmark = pytest.mark.browser


def test_the_applicant_downloads_the_audit_proof_of_their_dossier(
    page: Any, live_server: Any, make_approved: Any, tmp_path: Any,  # noqa: F811
) -> None:
    from zhicheng.auditlog.operations import sign_checkpoint
    from zhicheng.core.operations import SYSTEM, operation

    app = make_approved(name="冯证明")
    for text in ("单位审核通过", "初审通过"):
        with operation(SYSTEM, "test.event", target=app) as op:
            op.summary = text
    sign_checkpoint()
    base = live_server.url
    hand_session(page, base, app.applicant)
    page.goto(f"{base}/apply/")
    page.click(f"a[href='/apply/{app.pk}/'] >> nth=0")
    page.wait_for_selector("#audit-proof")
    with page.expect_download() as info:
        page.click("#audit-proof-download")
    proof = tmp_path / "proof.json"
    info.value.save_as(proof)
    assert json.loads(proof.read_text(encoding="utf-8"))["application"] == app.pk
    keys = tmp_path / "keys.json"
    keys.write_bytes(Client().get("/audit/keys.json").content)
    out = run_tool("audit_inclusion.py", str(proof), "--keys", str(keys))
    assert out.returncode == 0 and f"2 events of dossier {app.pk}" in out.stdout, out.stdout
