"""Merkle proofs over the audit log (docs/trust.md §Merkle tree): checkpoints sign a tree
head; the applicant downloads, from their dossier page, the proof that every event of the
dossier is in the log under it, and tools/verify/audit_inclusion.py checks it; a changed
event or proof is caught; a consistency proof between two saved checkpoints holds until
history is rewritten."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from zhicheng.auditlog import merkle, tree
from zhicheng.auditlog.operations import sign_checkpoint
from zhicheng.core.operations import SYSTEM, operation

from .test_checkpoints import _rewrite_history
from .tools import run_tool

pytestmark = pytest.mark.django_db


def _event(target: Any = None, text: str = "测试事件") -> None:
    with operation(SYSTEM, "test.event", target=target) as op:
        op.summary = text


def _href(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}" href="([^"]+)"', html)
    assert match, f"no link #{element_id} on the page"
    return match.group(1)


def _download(client: Client, url: str, path: Path) -> Path:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    path.write_bytes(response.content)
    return path


def test_the_checkpoint_signs_the_merkle_tree_of_every_event_up_to_the_head() -> None:
    for i in range(5):
        _event(text=f"事件{i}")
    cp = sign_checkpoint()
    n = cp.seq
    assert cp.tree_size == n >= 5
    assert cp.root == merkle.root(tree.leaf_hashes(n)).hex()
    assert cp.as_json()["checkpoint"] == {"seq": n, "hash": cp.hash, "time": cp.time,
                                          "tree_size": n, "root": cp.root}


def test_the_applicant_downloads_a_proof_of_their_dossier_that_the_verifier_accepts(
    make_approved: Any, tmp_path: Path,
) -> None:
    app = make_approved(name="吴证明")
    other = make_approved(name="郑旁人")
    _event(app, "第一条")
    _event(other, "别人的")
    _event(app, "第二条")
    sign_checkpoint()
    _event(app, "检查点之后")  # proven only by the next checkpoint
    client = Client()
    client.force_login(app.applicant)
    dossier = client.get(_dossier_url(app))
    html = dossier.content.decode()
    assert "下载审计记录证明（JSON）" in html
    proof = _download(client, _href(html, "audit-proof-download"), tmp_path / "proof.json")
    keys = _download(Client(), "/audit/keys.json", tmp_path / "keys.json")
    ok = run_tool("audit_inclusion.py", str(proof), "--keys", str(keys))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"OK: 2 events of dossier {app.pk} are in the signed tree of" in ok.stdout
    assert "1 newer events await the next checkpoint" in ok.stdout
    bundle = json.loads(proof.read_text(encoding="utf-8"))
    assert [e["event"]["summary"] for e in bundle["events"]] == ["第一条", "第二条"]
    assert "别人的" not in proof.read_text(encoding="utf-8")
    # Without --keys the bundle's own keys are used, and the tool says so.
    alone = run_tool("audit_inclusion.py", str(proof))
    assert alone.returncode == 0 and "NOTE: using the keys inside the bundle" in alone.stdout
    # Someone else's dossier: no proof for them.
    assert client.get(f"/audit/dossier/{other.pk}/proof.json").status_code == 404


def _dossier_url(app: Any) -> str:
    from django.urls import reverse

    return reverse("applications:detail", args=[app.pk])


@pytest.mark.parametrize("tamper, expected", [
    ("summary", "content does not match its hash"),
    ("rehashed", "not in the signed tree"),
    ("proof", "not in the signed tree"),
    ("root", "signature invalid"),
])
def test_a_changed_event_proof_or_tree_head_is_caught(
    make_approved: Any, tmp_path: Path, tamper: str, expected: str,
) -> None:
    app = make_approved()
    for i in range(3):
        _event(app, f"事件{i}")
        _event(None, "其他")
    sign_checkpoint()
    client = Client()
    client.force_login(app.applicant)
    response = client.get(f"/audit/dossier/{app.pk}/proof.json")
    bundle = json.loads(response.content)
    item = bundle["events"][1]
    if tamper == "summary":
        item["event"]["summary"] = "改过的摘要"
    elif tamper == "rehashed":  # changed and re-hashed: the signed root still refuses it
        import hashlib

        from zhicheng.certificates.payload import canonical_bytes

        item["event"]["summary"] = "改过的摘要"
        body = {k: v for k, v in item["event"].items() if k != "hash"}
        item["event"]["hash"] = hashlib.sha256(canonical_bytes(body)).hexdigest()
    elif tamper == "proof":
        item["proof"][0] = "00" * 32
    else:
        bundle["tree_head"]["checkpoint"]["root"] = "11" * 32
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    keys = _download(Client(), "/audit/keys.json", tmp_path / "keys.json")
    out = run_tool("audit_inclusion.py", str(path), "--keys", str(keys))
    assert out.returncode == 1 and expected in out.stdout, out.stdout + out.stderr


def test_a_consistency_proof_between_two_checkpoints_holds_until_history_is_rewritten(
    tmp_path: Path,
) -> None:
    for _ in range(6):
        _event()
    sign_checkpoint()
    for _ in range(5):
        _event()
    sign_checkpoint()
    public = Client()
    page = public.get("/audit/checkpoints/").content.decode()
    link = re.search(r'class="consistency" href="([^"]+)"', page)
    assert link, "the checkpoints page links each tree head to its consistency proof"
    url = link.group(1).replace("&amp;", "&")
    first, second = (int(x) for x in re.findall(r"\d+", url.split("?")[1]))
    assert second == first + 6  # five events and the first checkpoint's own
    saved = _download(public, "/audit/checkpoints.json", tmp_path / "c.json")
    keys = _download(public, "/audit/keys.json", tmp_path / "k.json")
    proof = _download(public, url, tmp_path / "consistency.json")
    args = ["--checkpoints", str(saved), "--keys", str(keys)]
    ok = run_tool("audit_inclusion.py", "--consistency", str(proof), *args)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"log of {first} events is a prefix of the log of {second}" in ok.stdout
    _rewrite_history()
    _event()
    _event()
    rewritten = _download(public, f"/audit/consistency.json?first={first}&second={second}",
                          tmp_path / "rewritten.json")
    bad = run_tool("audit_inclusion.py", "--consistency", str(rewritten), *args)
    assert bad.returncode == 1 and "history was rewritten" in bad.stdout
    # The project's own check against the saved checkpoints says so too.
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--checkpoints", str(saved), "--keys", str(keys),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert public.get("/audit/consistency.json?first=x").status_code == 400
