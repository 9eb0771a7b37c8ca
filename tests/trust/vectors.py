"""The test vectors of docs/trust.md, built with the project's own functions.

`test_vectors.py` rebuilds them and compares with the files in `docs/trust-vectors/`, so the
published vectors always match what the project produces; `ZHICHENG_WRITE_VECTORS=1 pytest
tests/trust/test_vectors.py` rewrites the files after a deliberate format change. The key is
a TEST key whose private seed is published here and in the vectors: never a real key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

VECTOR_DIR = Path(__file__).resolve().parents[2] / "docs" / "trust-vectors"
TEST_KEY_SEED = hashlib.sha256(b"zhicheng trust test vector key (public, never for real use)")
KEY_ID = "ktest-vectors"


def test_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(TEST_KEY_SEED.digest())


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def keys_json() -> dict[str, Any]:
    from zhicheng.certificates.payload import b64e

    raw = test_key().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"algorithm": "Ed25519", "keys": [{
        "key_id": KEY_ID, "algorithm": "Ed25519", "public_key": b64e(raw),
        "valid_from": "2024-01-01T00:00:00+00:00", "valid_until": None,
        "test_private_seed_hex": TEST_KEY_SEED.hexdigest(),
    }]}


CERTIFICATE_DATA: dict[str, Any] = {
    "v": 1, "no": "LYG-2024-ENGINEERING-M-000001", "name": "张证书", "idt": "居民身份证",
    "idm": "320706********0011", "idh": "", "series": "工程技术", "specialty": "质量工程",
    "title": "工程师", "level": "中级", "route": "评审",
    "committee": "连云港市质量工程专业中级职称评审委员会", "approval": "连职称办〔2024〕12号",
    "passed": "2024-10-25", "qualified": "2024-11-15", "authority": "连云港市人力资源和社会保障局",
    "review": "2024-01-000001", "issued": "2024-11-20", "kid": KEY_ID,
}


def certificate_vector() -> dict[str, Any]:
    from zhicheng.certificates.payload import canonical_bytes, encode, id_binding_hash

    data = {**CERTIFICATE_DATA,
            "idh": id_binding_hash(CERTIFICATE_DATA["no"], "320706199003150011")}
    body = canonical_bytes(data)
    signature = test_key().sign(body)
    tampered = bytearray(body)
    tampered[body.index("张".encode())] ^= 0x01  # one bit of the holder's name
    return {
        "payload": data,
        "payload_utf8_hex": body.hex(),
        "signature_hex": signature.hex(),
        "code": encode(body, signature, KEY_ID),
        "expect": "valid",
        "tampered_code": encode(bytes(tampered), signature, KEY_ID),
        "tampered_expect": "invalid",
        "id_binding": {"number": data["no"], "id_number": "320706199003150011",
                       "idh": data["idh"]},
    }


def revocations_vector(next_update: str = "2099-12-31T00:00:00+00:00") -> dict[str, Any]:
    from zhicheng.certificates.payload import b64e, canonical_bytes

    body = {"sequence": 351, "this_update": "2024-12-01T08:00:00+00:00",
            "next_update": next_update,
            "issued_at": "2024-12-01T08:00:00+00:00", "revoked": [{
        "number": "LYG-2024-ENGINEERING-M-000001", "revoked_on": "2024-12-01",
        "category": "fraud", "category_label": "弄虚作假"}]}
    return {"list": body, "key_id": KEY_ID, "algorithm": "Ed25519",
            "signature": b64e(test_key().sign(canonical_bytes(body)))}


def expert_draw_vector() -> dict[str, Any]:
    from zhicheng.evaluation import draw as pure

    seed = hashlib.sha256(b"zhicheng draw vector seed").hexdigest()
    candidates = [{"id": f"P-{i:02d}", "specialty": "质量工程" if i % 3 else "机械工程",
                   "level": "senior_associate" if i % 2 else "intermediate"}
                  for i in range(1, 25)]
    excluded = ["P-05", "P-11"]
    groups = [{"specialty": "质量工程", "level": "senior_associate", "count": 3, "reserve": 1},
              {"specialty": "质量工程", "level": "intermediate", "count": 2, "reserve": 1},
              {"specialty": "机械工程", "level": "senior_associate", "count": 1, "reserve": 1}]
    result = pure.draw(
        [pure.Candidate(c["id"], c["specialty"], c["level"]) for c in candidates], excluded,
        [pure.Group(g["specialty"], g["level"], g["count"], g["reserve"]) for g in groups],
        seed)
    return {"format": "zhicheng-expert-draw/2", "meeting": 0, "committee": "测试评委会",
            "date": "2024-10-25", "seed_hash": pure.seed_hash(seed), "candidates": candidates,
            "excluded": excluded,
            "exclusions": [{"id": c, "reason": "conflict", "overridden": False}
                           for c in excluded],
            "groups": groups, "seed": seed,
            "result": {"groups": [{"selected": list(g.selected), "reserve": list(g.reserve)}
                                  for g in result.groups]},
            "example_rank_key": {"text": f"{seed}|0|质量工程|senior_associate|P-01",
                                 "sha256": pure.rank_key(seed, 0, pure.Group(
                                     "质量工程", "senior_associate", 3, 1), "P-01")}}


def sampling_draw_vector() -> dict[str, Any]:
    from decimal import Decimal

    from zhicheng.reviews import sampling

    seed = hashlib.sha256(b"zhicheng sampling vector seed").hexdigest()
    population = [f"D-{i:03d}" for i in range(1, 31)]
    share = "0.100"
    sample = sampling.sampling_draw(population, Decimal(share), seed)
    return {"format": "zhicheng-sampling-draw/1", "sampling": 0, "plan": "测试评审计划",
            "committed_at": "2024-09-02T08:00:00+00:00",
            "seed_hash": sampling.seed_hash(seed), "share": share, "population": population,
            "seed": seed, "sample": sample,
            "example_rank_key": {"text": f"{seed}|D-001",
                                 "sha256": sampling.rank_key(seed, "D-001")}}


def audit_chain_vector() -> list[dict[str, Any]]:
    from zhicheng.core.audit import GENESIS, digest_body

    start = dt.datetime(2024, 7, 15, 1, 2, 3, 456789, tzinfo=dt.UTC)
    rows = [
        (7, "李办", "certificate.issue", "applications.application", "42",
         "签发电子证书 LYG-2024-ENGINEERING-M-000001", {"number": "LYG-2024-ENGINEERING-M-000001"}),
        (None, "系统", "audit.checkpoint", "", "", "审计检查点", {"seq": 1}),
        (None, "公众", "certificate.verify", "", "", "", {"result": "valid", "n": 1.5}),
    ]
    lines, prev = [], GENESIS
    for seq, (actor_id, label, action, ttype, tid, summary, data) in enumerate(rows, 1):
        body = {"seq": seq, "created_at": (start + dt.timedelta(seconds=seq)).isoformat(
                    timespec="microseconds"),
                "actor_id": actor_id, "actor_label": label, "action": action,
                "target_type": ttype, "target_id": tid, "summary": summary, "data": data,
                "prev_hash": prev}
        prev = digest_body(body)
        lines.append({**body, "hash": prev})
    return lines


# --- SM2 with SM3 (docs/trust.md §Signature algorithms) ------------------------------------

SM2_KEY_ID = "stest-vectors"
SM2_TEST_SECRET = hashlib.sha256(b"zhicheng trust SM2 test vector key (public, never for real use)")


def _sm2_signer() -> Any:
    from zhicheng.certificates.crypto import SM2Signer

    return SM2Signer.from_secret(SM2_TEST_SECRET.digest())


def sm2_sign(message: bytes, label: str) -> bytes:
    """An SM2 signature with a FIXED nonce k (so the vector files can be rebuilt byte for
    byte); the platform's own keys draw k from `secrets` for every signature."""
    import gmalg

    from zhicheng.certificates.crypto import SM2_USER_ID, verifier

    signer = _sm2_signer()
    k = int.from_bytes(hashlib.sha256(b"zhicheng vector nonce|" + label.encode()).digest(), "big")
    sm2 = gmalg.SM2(signer.secret, SM2_USER_ID, signer.public, rnd_fn=lambda bits: k)
    r, s = sm2.sign(message)
    signature = r.rjust(32, b"\0") + s.rjust(32, b"\0")
    verifier("SM2", signer.public).verify(signature, message)
    return signature


def sm2_keys_json() -> dict[str, Any]:
    from zhicheng.certificates.payload import b64e

    return {"algorithm": "SM2", "keys": [{
        "key_id": SM2_KEY_ID, "algorithm": "SM2", "public_key": b64e(_sm2_signer().public),
        "valid_from": "2024-01-01T00:00:00+00:00", "valid_until": None,
        "test_private_key_hex": SM2_TEST_SECRET.hexdigest(),
        "user_id": "1234567812345678",
    }]}


def sm2_certificate_vector() -> dict[str, Any]:
    from zhicheng.certificates.payload import canonical_bytes, encode, id_binding_hash

    data = {**CERTIFICATE_DATA, "kid": SM2_KEY_ID,
            "idh": id_binding_hash(CERTIFICATE_DATA["no"], "320706199003150011")}
    body = canonical_bytes(data)
    signature = sm2_sign(body, "certificate")
    tampered = bytearray(body)
    tampered[body.index("张".encode())] ^= 0x01
    return {
        "payload": data, "payload_utf8_hex": body.hex(), "signature_hex": signature.hex(),
        "signature_r_hex": signature[:32].hex(), "signature_s_hex": signature[32:].hex(),
        "code": encode(body, signature, SM2_KEY_ID), "expect": "valid",
        "tampered_code": encode(bytes(tampered), signature, SM2_KEY_ID),
        "tampered_expect": "invalid",
    }


def sm2_revocations_vector() -> dict[str, Any]:
    from zhicheng.certificates.payload import b64e, canonical_bytes

    body = revocations_vector()["list"]
    return {"list": body, "key_id": SM2_KEY_ID, "algorithm": "SM2",
            "signature": b64e(sm2_sign(canonical_bytes(body), "revocations"))}


def sm2_checkpoints_vector() -> dict[str, Any]:
    """Checkpoints over `audit-chain.jsonl`, signed by the SM2 test key (at event 2 and 3)."""
    from zhicheng.certificates.payload import b64e, canonical_bytes

    chain = audit_chain_vector()
    entries = []
    for line in (chain[2], chain[1]):
        body = {"seq": line["seq"], "hash": line["hash"], "time": "2024-07-15T02:00:00+00:00"}
        entries.append({"checkpoint": body, "key_id": SM2_KEY_ID, "algorithm": "SM2",
                        "signature": b64e(sm2_sign(canonical_bytes(body), f"cp{line['seq']}"))})
    return {"checkpoints": entries}


# --- Merkle tree (docs/trust.md §Merkle tree) -----------------------------------------------


def _tree_head(chain: list[dict[str, Any]], size: int) -> dict[str, Any]:
    from zhicheng.auditlog import merkle
    from zhicheng.certificates.payload import b64e, canonical_bytes

    leaves = [merkle.leaf_hash(merkle.event_leaf(line["hash"])) for line in chain[:size]]
    body = {"seq": size, "hash": chain[size - 1]["hash"],
            "time": f"2024-07-15T0{size}:00:00+00:00", "tree_size": size,
            "root": merkle.root(leaves).hex()}
    return {"checkpoint": body, "key_id": KEY_ID, "algorithm": "Ed25519",
            "signature": b64e(test_key().sign(canonical_bytes(body)))}


def tree_heads_vector() -> dict[str, Any]:
    """Checkpoints with signed tree heads over `audit-chain.jsonl` (sizes 3 and 2)."""
    chain = audit_chain_vector()
    return {"checkpoints": [_tree_head(chain, 3), _tree_head(chain, 2)]}


def inclusion_vector() -> dict[str, Any]:
    """The proof bundle of a dossier whose events are 1 and 3 of `audit-chain.jsonl`."""
    from zhicheng.auditlog import merkle

    chain = audit_chain_vector()
    leaves = [merkle.leaf_hash(merkle.event_leaf(line["hash"])) for line in chain]
    return {"format": "zhicheng-audit-inclusion/1", "application": 42,
            "tree_head": _tree_head(chain, 3), "keys": keys_json(),
            "events": [{"leaf_index": i, "event": chain[i], "proof": [
                p.hex() for p in merkle.inclusion_proof(i, leaves)]} for i in (0, 2)],
            "pending": []}


def consistency_vector() -> dict[str, Any]:
    from zhicheng.auditlog import merkle

    chain = audit_chain_vector()
    leaves = [merkle.leaf_hash(merkle.event_leaf(line["hash"])) for line in chain]
    return {"format": "zhicheng-audit-consistency/1", "first": 2, "second": 3,
            "first_root": merkle.root(leaves[:2]).hex(), "second_root": merkle.root(leaves).hex(),
            "proof": [p.hex() for p in merkle.consistency_proof(2, leaves)]}


def build() -> dict[str, str]:
    chain = audit_chain_vector()
    return {
        "audit-tree-heads.json": _dump(tree_heads_vector()),
        "audit-inclusion.json": _dump(inclusion_vector()),
        "audit-consistency.json": _dump(consistency_vector()),
        "keys-sm2.json": _dump(sm2_keys_json()),
        "certificate-sm2.json": _dump(sm2_certificate_vector()),
        "revocations-sm2.json": _dump(sm2_revocations_vector()),
        "audit-checkpoints-sm2.json": _dump(sm2_checkpoints_vector()),
        "keys.json": _dump(keys_json()),
        "certificate.json": _dump(certificate_vector()),
        "revocations.json": _dump(revocations_vector()),
        "revocations-stale.json": _dump(revocations_vector("2024-12-02T08:00:00+00:00")),
        "expert-draw.json": _dump(expert_draw_vector()),
        "sampling-draw.json": _dump(sampling_draw_vector()),
        "audit-chain.jsonl": "".join(
            json.dumps(line, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
            for line in chain),
    }
