#!/usr/bin/env python3
"""Check a zhicheng audit proof without the project's code (docs/trust.md §Merkle tree).

    python3 audit_inclusion.py proof.json [--keys audit-keys.json]
    python3 audit_inclusion.py --consistency c.json --checkpoints checkpoints.json
                               [--keys audit-keys.json]

proof.json is the bundle an applicant downloads from the dossier page
(`zhicheng-audit-inclusion/1`): the signed tree head (a checkpoint with `tree_size` and
`root`), and each event of the dossier with its hashed fields, hash, leaf index and audit
path. Checked: the tree head's signature with the audit key (from --keys, the published
/audit/keys.json; without it the keys inside the bundle, which only proves the bundle is
self-consistent); each event's hash recomputed from its fields; its leaf index is seq - 1;
its RFC 6962 audit path leads from SHA-256(0x00 ‖ event hash) to the signed root.

With --consistency: a `zhicheng-audit-consistency/1` proof between two tree sizes, both of
which must be signed tree heads in the saved checkpoints file; proves the older log is a
prefix of the newer one. Standard library plus `cryptography` (`gmalg` for an SM2 audit
key). Exit 0 verified; 1 not verified; 2 unreadable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

FIELDS = ("seq", "created_at", "actor_id", "actor_label", "action", "target_type",
          "target_id", "summary", "data", "prev_hash")


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_hash(event: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: event[k] for k in FIELDS})).hexdigest()


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes],
                     root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


class NotVerified(Exception):
    """A signature or proof that does not verify (exit 1, not 2)."""


def check_tree_head(head: Any, keys_doc: Any) -> tuple[int, bytes]:
    """(tree size, root) of a signed tree head whose signature verifies; NotVerified if
    not."""
    from signatures import b64url_decode, verify_signature

    if not isinstance(head, dict) or "tree_size" not in head.get("checkpoint", {}):
        raise ValueError("no signed tree head (no checkpoint with a Merkle tree yet)")
    entries = keys_doc["keys"] if isinstance(keys_doc, dict) else keys_doc
    key = {str(k["key_id"]): k for k in entries}.get(str(head.get("key_id")))
    body = head["checkpoint"]
    if key is None:
        raise NotVerified(f"tree head #{body.get('tree_size')}: unknown key "
                          f"{head.get('key_id')}")
    if head.get("algorithm", key.get("algorithm")) != key.get("algorithm"):
        raise NotVerified("tree head: algorithm differs from its key's")
    if not verify_signature(key, b64url_decode(str(head["signature"])), canonical(body)):
        raise NotVerified(f"tree head #{body['tree_size']}: signature invalid")
    return int(body["tree_size"]), bytes.fromhex(str(body["root"]))


def check_bundle(bundle: dict[str, Any], keys_doc: Any) -> list[str]:
    size, root = check_tree_head(bundle.get("tree_head"), keys_doc)
    problems = []
    for item in bundle.get("events", []):
        event, index = item["event"], int(item["leaf_index"])
        seq = event.get("seq")
        if event_hash(event) != event.get("hash"):
            problems.append(f"event #{seq}: content does not match its hash")
            continue
        if index != int(seq) - 1:
            problems.append(f"event #{seq}: leaf index {index} is not seq - 1")
            continue
        proof = [bytes.fromhex(p) for p in item["proof"]]
        if not verify_inclusion(index, size, leaf_hash(bytes.fromhex(event["hash"])), proof,
                                root):
            problems.append(f"event #{seq}: not in the signed tree of {size} events "
                            "(the proof does not lead to the signed root)")
    return problems


def check_consistency(document: dict[str, Any], checkpoints: Any, keys_doc: Any) -> list[str]:
    entries = checkpoints["checkpoints"] if isinstance(checkpoints, dict) else checkpoints
    heads: dict[int, bytes] = {}
    for entry in entries:
        if "tree_size" in entry.get("checkpoint", {}):
            size, root = check_tree_head(entry, keys_doc)
            heads[size] = root
    first, second = int(document["first"]), int(document["second"])
    missing = [n for n in (first, second) if n not in heads]
    if missing:
        return [f"no signed tree head of size {n} in the checkpoints" for n in missing]
    proof = [bytes.fromhex(p) for p in document["proof"]]
    if not verify_consistency(first, second, heads[first], heads[second], proof):
        return [f"the tree of {first} events is not a prefix of the tree of {second}: "
                "history was rewritten (or the proof is wrong)"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("proof", nargs="?", help="the dossier's proof bundle (JSON)")
    parser.add_argument("--keys", help="the published audit keys (audit-keys.json)")
    parser.add_argument("--consistency", help="a consistency proof between two tree sizes")
    parser.add_argument("--checkpoints", help="with --consistency: saved checkpoints")
    args = parser.parse_args(argv)
    try:
        keys_doc = json.loads(Path(args.keys).read_text(encoding="utf-8")) if args.keys else None
        if args.consistency:
            if not args.checkpoints:
                raise ValueError("--consistency needs --checkpoints")
            document = json.loads(Path(args.consistency).read_text(encoding="utf-8"))
            checkpoints = json.loads(Path(args.checkpoints).read_text(encoding="utf-8"))
            if keys_doc is None:
                raise ValueError("--consistency needs --keys")
            problems = check_consistency(document, checkpoints, keys_doc)
            message = (f"the log of {document['first']} events is a prefix of the log of "
                       f"{document['second']}")
        else:
            if not args.proof:
                raise ValueError("give a proof bundle or --consistency")
            bundle = json.loads(Path(args.proof).read_text(encoding="utf-8"))
            if keys_doc is None:
                keys_doc = bundle.get("keys") or {"keys": []}
                print("NOTE: using the keys inside the bundle; compare them with the "
                      "published /audit/keys.json (or pass --keys)")
            problems = check_bundle(bundle, keys_doc)
            head = bundle["tree_head"]["checkpoint"]
            message = (f"{len(bundle.get('events', []))} events of dossier "
                       f"{bundle.get('application')} are in the signed tree of "
                       f"{head['tree_size']} events (root {head['root'][:16]}…, "
                       f"signed {head['time']})")
            pending = len(bundle.get("pending", []))
            if pending:
                message += f"; {pending} newer events await the next checkpoint"
    except NotVerified as exc:
        problems = [str(exc)]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    if problems:
        for problem in problems:
            print(f"NOT VERIFIED: {problem}")
        return 1
    print(f"OK: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
