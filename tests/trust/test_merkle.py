"""The Merkle tree over the audit log is RFC 6962's: the Certificate Transparency reference
tree heads and proofs, and every proof of every tree up to 40 leaves verifies while a wrong
leaf, index, size or proof does not (auditlog/merkle.py and tools/verify/audit_inclusion.py
agree)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from zhicheng.auditlog import merkle

from .tools import TOOLS

CT_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
HASHES = [merkle.leaf_hash(leaf) for leaf in CT_LEAVES]


def _hex(items: list[bytes]) -> list[str]:
    return [i.hex() for i in items]


def test_roots_and_proofs_are_the_certificate_transparency_reference_ones() -> None:
    assert merkle.root([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    for n in range(1, 9):
        assert merkle.root(HASHES[:n]).hex() == CT_ROOTS[n - 1], n
    assert _hex(merkle.inclusion_proof(0, HASHES)) == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]
    assert _hex(merkle.inclusion_proof(5, HASHES)) == [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]
    assert _hex(merkle.consistency_proof(2, HASHES)) == [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]
    assert _hex(merkle.consistency_proof(2, HASHES[:5])) == [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]


def _standalone() -> object:
    spec = importlib.util.spec_from_file_location("audit_inclusion", TOOLS / "audit_inclusion.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(TOOLS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(TOOLS))
    return module


def test_every_proof_verifies_and_every_wrong_one_is_refused_in_both_verifiers() -> None:
    tool = _standalone()
    leaves = [merkle.leaf_hash(bytes([i, i * 7 % 256])) for i in range(40)]
    for verify_inclusion, verify_consistency in (
            (merkle.verify_inclusion, merkle.verify_consistency),
            (tool.verify_inclusion, tool.verify_consistency)):  # type: ignore[attr-defined]
        for n in range(1, 41):
            tree, top = leaves[:n], merkle.root(leaves[:n])
            for i in range(n):
                proof = merkle.inclusion_proof(i, tree)
                assert verify_inclusion(i, n, tree[i], proof, top)
                assert not verify_inclusion(i, n, merkle.leaf_hash(b"x"), proof, top)
                if n > 1:
                    assert not verify_inclusion((i + 1) % n, n, tree[i], proof, top)
                    assert not verify_inclusion(i, n, tree[i], proof[:-1], top)
                    bad = [bytes(32)] + proof[1:]
                    assert not verify_inclusion(i, n, tree[i], bad, top)
            for m in range(1, n):
                proof = merkle.consistency_proof(m, tree)
                first = merkle.root(tree[:m])
                assert verify_consistency(m, n, first, top, proof), (m, n)
                assert not verify_consistency(m, n, merkle.root(leaves[1:m + 1]), top, proof)
                assert not verify_consistency(m, n, first, top, proof[:-1])
                assert not verify_consistency(m, n, first, merkle.leaf_hash(b"other"), proof)


def test_merkle_vectors_verify_standalone_and_a_changed_event_does_not(tmp_path: Path) -> None:
    from .tools import run_tool
    from .vectors import VECTOR_DIR as V

    keys = str(V / "keys.json")
    ok = run_tool("audit_inclusion.py", str(V / "audit-inclusion.json"), "--keys", keys)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK: 2 events of dossier 42 are in the signed tree of 3 events" in ok.stdout
    bundle = json.loads((V / "audit-inclusion.json").read_text(encoding="utf-8"))
    bundle["events"][1]["event"]["actor_label"] = "别人"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    bad = run_tool("audit_inclusion.py", str(changed), "--keys", keys)
    assert bad.returncode == 1 and "event #3: content does not match" in bad.stdout
    consistent = run_tool("audit_inclusion.py", "--consistency", str(V / "audit-consistency.json"),
                          "--checkpoints", str(V / "audit-tree-heads.json"), "--keys", keys)
    assert consistent.returncode == 0, consistent.stdout + consistent.stderr
    # The project's checkpoint check reads the same chain (tools/verify/audit_chain.py).
    chain = run_tool("audit_chain.py", str(V / "audit-chain.jsonl"), "--checkpoints",
                     str(V / "audit-tree-heads.json"), "--keys", keys)
    assert chain.returncode == 0 and "2 checkpoints match" in chain.stdout, chain.stdout
