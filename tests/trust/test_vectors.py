"""The published test vectors (docs/trust-vectors/) are what the project's code produces, and
the standalone verifiers in tools/verify/ accept the good ones and refuse the bad ones."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from . import vectors
from .tools import TOOLS, run_tool

V = vectors.VECTOR_DIR


def test_vectors_match_the_project_code() -> None:
    built = vectors.build()
    if os.environ.get("ZHICHENG_WRITE_VECTORS") == "1":
        V.mkdir(parents=True, exist_ok=True)
        for name, text in built.items():
            (V / name).write_text(text, encoding="utf-8")
    for name, text in built.items():
        assert (V / name).read_text(encoding="utf-8") == text, f"{name} is out of date"


def test_tools_import_nothing_of_zhicheng() -> None:
    for path in TOOLS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "from zhicheng" not in source and "import zhicheng" not in source, path.name


def test_certificate_vector_verifies_and_its_tampered_twin_does_not() -> None:
    cert = json.loads((V / "certificate.json").read_text(encoding="utf-8"))
    good = run_tool("certificate.py", "--keys", str(V / "keys.json"), cert["code"])
    assert good.returncode == 0, good.stdout + good.stderr
    assert "VALID: certificate LYG-2024-ENGINEERING-M-000001" in good.stdout
    bad = run_tool("certificate.py", "--keys", str(V / "keys.json"), cert["tampered_code"])
    assert bad.returncode == 1 and "INVALID" in bad.stdout
    # The signature covers the payload bytes (hex in the vector), not the base64url text.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from zhicheng.certificates.payload import b64d

    key = json.loads((V / "keys.json").read_text(encoding="utf-8"))["keys"][0]
    Ed25519PublicKey.from_public_bytes(b64d(key["public_key"])).verify(
        bytes.fromhex(cert["signature_hex"]), bytes.fromhex(cert["payload_utf8_hex"]))


def test_certificate_vector_is_refused_once_listed_as_revoked() -> None:
    cert = json.loads((V / "certificate.json").read_text(encoding="utf-8"))
    out = run_tool("certificate.py", "--keys", str(V / "keys.json"),
                   "--revocations", str(V / "revocations.json"), cert["code"])
    assert out.returncode == 1 and "REVOKED: LYG-2024-ENGINEERING-M-000001" in out.stdout


def test_revocation_vector_verifies_and_an_edited_list_does_not(tmp_path: Path) -> None:
    ok = run_tool("revocations.py", "--keys", str(V / "keys.json"), str(V / "revocations.json"))
    assert ok.returncode == 0 and "1 revoked" in ok.stdout
    document = json.loads((V / "revocations.json").read_text(encoding="utf-8"))
    document["list"]["revoked"] = []  # an older-looking, emptied list with the same signature
    edited = tmp_path / "revocations.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    bad = run_tool("revocations.py", "--keys", str(V / "keys.json"), str(edited))
    assert bad.returncode == 1 and "signature invalid" in bad.stdout


def test_expert_draw_vector_reruns_and_a_changed_result_is_caught(tmp_path: Path) -> None:
    ok = run_tool("expert_draw.py", str(V / "expert-draw.json"))
    assert ok.returncode == 0 and "OK" in ok.stdout, ok.stdout + ok.stderr
    record = json.loads((V / "expert-draw.json").read_text(encoding="utf-8"))
    record["result"]["groups"][0]["selected"].reverse()
    changed = tmp_path / "draw.json"
    changed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    bad = run_tool("expert_draw.py", str(changed))
    assert bad.returncode == 1 and "DIFFERENT" in bad.stdout
    record = json.loads((V / "expert-draw.json").read_text(encoding="utf-8"))
    record["seed"] = "0" * 64  # a seed other than the committed one
    changed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    bad = run_tool("expert_draw.py", str(changed))
    assert bad.returncode == 1 and "SHA-256(seed)" in bad.stdout


def test_sampling_draw_vector_reruns_and_a_changed_sample_is_caught(tmp_path: Path) -> None:
    ok = run_tool("sampling_draw.py", str(V / "sampling-draw.json"))
    assert ok.returncode == 0 and "OK" in ok.stdout, ok.stdout + ok.stderr
    record = json.loads((V / "sampling-draw.json").read_text(encoding="utf-8"))
    assert len(record["sample"]) == 3  # ceil(30 × 0.100)
    record["sample"] = sorted(record["sample"])[::-1]
    changed = tmp_path / "sampling.json"
    changed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    bad = run_tool("sampling_draw.py", str(changed))
    assert bad.returncode == 1 and "DIFFERENT" in bad.stdout
    record = json.loads((V / "sampling-draw.json").read_text(encoding="utf-8"))
    record["seed"] = "0" * 64
    changed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    bad = run_tool("sampling_draw.py", str(changed))
    assert bad.returncode == 1 and "SHA-256(seed)" in bad.stdout
    record["share"] = 0.1  # a number, not the decimal text
    changed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert run_tool("sampling_draw.py", str(changed)).returncode == 2


@pytest.mark.parametrize(("edit", "broken"), [("content", 2), ("delete", 2), ("relink", 3)])
def test_audit_chain_vector_and_its_edits(tmp_path: Path, edit: str, broken: int) -> None:
    ok = run_tool("audit_chain.py", str(V / "audit-chain.jsonl"))
    assert ok.returncode == 0 and "OK: 3 events" in ok.stdout
    lines = (V / "audit-chain.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    if edit == "content":
        events[1]["summary"] = "改过的摘要"
    elif edit == "delete":
        del events[1]
    else:
        events[2]["prev_hash"] = events[0]["hash"]
    path = tmp_path / "chain.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events),
                    encoding="utf-8")
    bad = run_tool("audit_chain.py", str(path))
    assert bad.returncode == 1 and f"BROKEN: event #{broken}" in bad.stdout


def test_a_stale_revocation_list_is_refused() -> None:
    cert = json.loads((V / "certificate.json").read_text(encoding="utf-8"))
    stale = run_tool("revocations.py", "--keys", str(V / "keys.json"),
                     str(V / "revocations-stale.json"))
    assert stale.returncode == 1 and "stale" in stale.stdout
    refused = run_tool("certificate.py", "--keys", str(V / "keys.json"),
                       "--revocations", str(V / "revocations-stale.json"), cert["code"])
    assert refused.returncode == 2 and "stale" in refused.stderr


def test_a_certificate_issued_outside_its_keys_validity_is_refused(tmp_path: Path) -> None:
    cert = json.loads((V / "certificate.json").read_text(encoding="utf-8"))
    keys = json.loads((V / "keys.json").read_text(encoding="utf-8"))
    keys["keys"][0]["valid_from"] = "2025-01-01T00:00:00+00:00"  # after the issue date
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(keys), encoding="utf-8")
    out = run_tool("certificate.py", "--keys", str(path), cert["code"])
    assert out.returncode == 1 and "outside the key's validity" in out.stdout
