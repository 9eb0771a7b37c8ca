"""国密 signatures (docs/trust.md §Signature algorithms): the SM2/SM3 library reproduces the
standard's own examples; a key's algorithm may be SM2; certificates, revocation lists and
audit checkpoints signed by an SM2 key verify in the project and with tools/verify/; a
rotation from Ed25519 to SM2 keeps the older certificates verifiable."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import gmalg
import pytest
from cryptography.exceptions import InvalidSignature
from django.core.management import call_command
from django.test import Client
from gmalg import ellipticcurve as ec
from gmalg.sm2 import SM2Core
from gmalg.sm3 import SM3

from zhicheng.certificates import crypto
from zhicheng.certificates import keys as keystore

from . import vectors
from .tools import run_tool

V = vectors.VECTOR_DIR


def _sm3(data: bytes) -> str:
    h = SM3()
    h.update(data)
    return h.value().hex()


def test_sm3_gives_the_hashes_of_gb_t_32905_appendix_a() -> None:
    assert _sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert _sm3(b"abcd" * 16) == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_sm2_reproduces_the_signature_example_of_gb_t_32918_2_annex_a() -> None:
    """GB/T 32918.2 (GM/T 0003.2) Annex A.2: the Fp-256 example curve, signer ID
    ALICE123@YAHOO.COM, message "message digest", the published d, k, Z_A, r and s."""
    h = lambda text: int(text.replace(" ", ""), 16)  # noqa: E731
    curve = ec.ECDLP(
        h("8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3"),
        h("787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498"),
        h("63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A"),
        (h("421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D"),
         h("0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2")),
        h("8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7"),
    )
    k = h("6CB28D99 385C175C 94F94E93 4817663F C176D925 DD72B727 260DBAAE 1FB2F96F")
    core = SM2Core(curve, SM3(), lambda bits: k)
    d = h("128B2FA8 BD433C6C 068C8D80 3DFF7979 2A519A55 171B1B65 0C23661D 15897263")
    public = core.generate_pk(d)
    assert public == (
        h("0AE4C779 8AA0F119 471BEE11 825BE462 02BB79E2 A5844495 E97C04FF 4DF2548A"),
        h("7C0240F8 8F1CD4E1 6352A73C 17B7F16F 07353E53 A176D684 A9FE0C6B B798E857"))
    uid = b"ALICE123@YAHOO.COM"
    assert core.entity_info(uid, public).hex().upper() == (
        "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A")
    r, s = core.sign(b"message digest", d, uid, public)
    assert r == h("40F1EC59 F793D9F4 9E09DCEF 49130D41 94F79FB1 EED2CAA5 5BACDB49 C4E755D1")
    assert s == h("6FC6DAC3 2C5D5CF1 0C77DFB2 0F7C2EB6 67A45787 2FB09EC5 6327A67E C7DEEBE7")
    assert core.verify(b"message digest", r, s, uid, public)
    assert not core.verify(b"message digesT", r, s, uid, public)
    assert not core.verify(b"message digest", r, s, b"BOB", public)


def test_an_sm2_key_signs_with_the_default_user_id_and_refuses_a_changed_message() -> None:
    signer = crypto.generate(crypto.SM2)
    message = "连云港市职称证书".encode()
    signature = signer.sign(message)
    assert len(signature) == 64 and len(signer.public_bytes()) == 65
    verifier = crypto.verifier(crypto.SM2, signer.public_bytes())
    verifier.verify(signature, message)
    with pytest.raises(InvalidSignature):
        verifier.verify(signature, message + b" ")
    # The signer ID is part of what is signed (GM/T 0009 default 1234567812345678).
    other_id = gmalg.SM2(pk=signer.public_bytes(), uid=b"ALICE123@YAHOO.COM")
    assert not other_id.verify(message, signature[:32], signature[32:])
    # The private key file is PKCS#8 and reads back as the same key.
    assert crypto.load_private_pem(signer.private_pem()) == signer
    with pytest.raises(crypto.KeyFormatError):
        crypto.verifier(crypto.SM2, b"\x04" + b"\x01" * 64)  # not a point of the curve


def test_sm2_vectors_verify_standalone_and_their_tampered_twins_do_not(tmp_path: Path) -> None:
    keys = str(V / "keys-sm2.json")
    cert = json.loads((V / "certificate-sm2.json").read_text(encoding="utf-8"))
    good = run_tool("certificate.py", "--keys", keys, cert["code"])
    assert good.returncode == 0 and "VALID: certificate LYG-2024" in good.stdout, good.stderr
    bad = run_tool("certificate.py", "--keys", keys, cert["tampered_code"])
    assert bad.returncode == 1 and "INVALID" in bad.stdout
    revoked = run_tool("certificate.py", "--keys", keys, "--revocations",
                       str(V / "revocations-sm2.json"), cert["code"])
    assert revoked.returncode == 1 and "REVOKED: LYG-2024" in revoked.stdout
    listed = run_tool("revocations.py", "--keys", keys, str(V / "revocations-sm2.json"))
    assert listed.returncode == 0 and "1 revoked" in listed.stdout
    chain = str(V / "audit-chain.jsonl")
    checkpoints = V / "audit-checkpoints-sm2.json"
    ok = run_tool("audit_chain.py", chain, "--checkpoints", str(checkpoints), "--keys", keys)
    assert ok.returncode == 0 and "2 checkpoints match" in ok.stdout, ok.stdout + ok.stderr
    forged = json.loads(checkpoints.read_text(encoding="utf-8"))
    forged["checkpoints"][0]["checkpoint"]["hash"] = "0" * 64
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged), encoding="utf-8")
    refused = run_tool("audit_chain.py", chain, "--checkpoints", str(path), "--keys", keys)
    assert refused.returncode == 1 and "signature invalid" in refused.stdout
    # The project's verifier reads the same vector.
    from zhicheng.certificates.signing import verify_text

    public = keystore.load_public_keys(V / "keys-sm2.json")
    assert verify_text(cert["code"], public).valid
    assert not verify_text(cert["tampered_code"], public).valid


@pytest.mark.django_db
def test_rotating_from_ed25519_to_sm2_keeps_both_certificates_verifiable(
    issued: Any, city_office: Any, tmp_path: Path, settings: Any,
) -> None:
    from zhicheng.certificates.signing import verify_text

    before = issued(name="钱旧钥")  # the fixture's key directory holds one Ed25519 key
    old_kid = keystore.active_key_id()
    out = io.StringIO()
    call_command("certificate", "rotate", "--algorithm", "SM2", stdout=out)
    assert "国密SM2" in out.getvalue() and "停止签发" in out.getvalue()
    after = issued(name="孙新钥")
    assert before.key_id == old_kid and after.key_id != old_kid
    published = json.loads(Client().get("/verify/keys.json").content)
    algorithms = {k["key_id"]: k["algorithm"] for k in published["keys"]}
    assert algorithms == {old_kid: "Ed25519", after.key_id: "SM2"}
    assert published["algorithm"] == "SM2"
    public = keystore.load_public_keys()
    for cert in (before, after):
        assert verify_text(cert.qr_text, public).valid, cert.number
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(published, ensure_ascii=False), encoding="utf-8")
    for cert, name in ((before, "钱旧钥"), (after, "孙新钥")):
        result = run_tool("certificate.py", "--keys", str(keys_file), cert.qr_text)
        assert result.returncode == 0 and name in result.stdout, result.stdout + result.stderr
    # The offline command of the project checks both against the same keys.
    for cert in (before, after):
        out = io.StringIO()
        call_command("certificate", "verify", cert.qr_text, "--keys", str(keys_file), stdout=out)
        assert "签名有效" in out.getvalue()
    # The revocation list is now signed by the SM2 key and verifies standalone.
    revocations = tmp_path / "rev.json"
    revocations.write_bytes(Client().get("/verify/revocations.json").content)
    assert json.loads(revocations.read_text(encoding="utf-8"))["algorithm"] == "SM2"
    listed = run_tool("revocations.py", "--keys", str(keys_file), str(revocations))
    assert listed.returncode == 0, listed.stdout + listed.stderr
    # The restore check of a backup verifies both with the restored key directory.
    from zhicheng.certificates.backup import check_certificate_signatures
    from zhicheng.core.backup import RestoreReport

    report = RestoreReport()
    check_certificate_signatures(report)
    assert report.ok and "2/2" in report.checks[0]
    # The public keys page names each key's algorithm.
    page = Client().get("/verify/keys/").content.decode()
    assert "国密SM2（SM3杂凑）" in page and "Ed25519" in page


@pytest.mark.django_db
def test_a_code_signed_by_an_sm2_key_is_checked_by_the_server_and_the_page_says_so(
    issued: Any,
) -> None:
    call_command("certificate", "rotate", "--algorithm", "SM2", stdout=io.StringIO())
    cert = issued(name="周国密")
    html = Client().post("/verify/", {"code": cert.qr_text}).content.decode()
    assert 'id="server-checked"' in html and "签名由服务器验证（国密SM2（SM3杂凑））" in html
    # The browser check does not pretend: the page carries the message it shows for SM2.
    assert "浏览器无法自行验证SM2签名" in html


@pytest.mark.django_db
def test_audit_checkpoints_signed_by_an_sm2_key_verify_after_rotation(tmp_path: Path) -> None:
    from zhicheng.auditlog.operations import sign_checkpoint
    from zhicheng.core.operations import SYSTEM, operation

    def event() -> None:
        with operation(SYSTEM, "test.event") as op:
            op.summary = "测试事件"

    event()
    first = sign_checkpoint()
    call_command("audit", "rotate-key", "--algorithm", "SM2", stdout=io.StringIO())
    event()
    second = sign_checkpoint()
    assert (first.algorithm, second.algorithm) == ("Ed25519", "SM2")
    client = Client()
    saved = tmp_path / "c.json"
    saved.write_bytes(client.get("/audit/checkpoints.json").content)
    keys = tmp_path / "k.json"
    keys.write_bytes(client.get("/audit/keys.json").content)
    out = io.StringIO()
    call_command("audit", "verify", "--checkpoints", str(saved), "--keys", str(keys), stdout=out)
    assert "2 checkpoints match" in out.getvalue()
    export = tmp_path / "audit.jsonl"
    call_command("audit", "export", output=str(export), stdout=io.StringIO())
    ok = run_tool("audit_chain.py", str(export), "--checkpoints", str(saved), "--keys", str(keys))
    assert ok.returncode == 0 and "2 checkpoints match" in ok.stdout, ok.stdout + ok.stderr
