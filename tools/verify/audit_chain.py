#!/usr/bin/env python3
"""Check a zhicheng audit chain export without the project's code (docs/trust.md).

    python3 audit_chain.py audit.jsonl [--checkpoints checkpoints.json --keys audit-keys.json]

Each line is one event: the hashed fields plus `hash`. Every hash is recomputed, every
`prev_hash` must be the hash of the line before (the first: 64 zeros), `seq` runs 1, 2, 3…
With saved checkpoints (signed by the city office's audit key) the chain must also contain,
at each checkpoint's sequence number, exactly the hash that was signed: a history rewritten
after a checkpoint fails even when every hash was recomputed. Standard library (plus
`cryptography`, or `gmalg` for an SM2 audit key, for checkpoints). Exit 0 intact; 1 broken;
2 unreadable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
FIELDS = ("seq", "created_at", "actor_id", "actor_label", "action", "target_type",
          "target_id", "summary", "data", "prev_hash")


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_hash(event: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: event[k] for k in FIELDS})).hexdigest()


def check_chain(lines: list[dict[str, Any]]) -> tuple[bool, str, dict[int, str]]:
    """(intact?, message, hash by seq)."""
    prev, hashes = GENESIS, {}
    for expected, event in enumerate(lines, start=1):
        if event.get("seq") != expected:
            return False, f"event #{expected} is missing (found #{event.get('seq')})", hashes
        if event.get("prev_hash") != prev:
            return False, f"event #{expected}: prev_hash does not match the event before", hashes
        if event_hash(event) != event.get("hash"):
            return False, f"event #{expected}: content does not match its hash", hashes
        prev = hashes[expected] = event["hash"]
    return True, f"{len(lines)} events, chain intact", hashes


def merkle_root(hashes: dict[int, str], size: int) -> str | None:
    """RFC 6962 root over the stored hashes of events 1..size (docs/trust.md §Merkle tree)."""
    if any(seq not in hashes for seq in range(1, size + 1)):
        return None
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(hashes[s])).digest()
             for s in range(1, size + 1)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        pairs = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
                 for i in range(0, len(level) - 1, 2)]
        level = pairs + ([level[-1]] if len(level) % 2 else [])
    return level[0].hex()


def check_checkpoints(document: Any, keys_doc: Any, hashes: dict[int, str]) -> list[str]:
    from signatures import b64url_decode, verify_signature

    entries = keys_doc["keys"] if isinstance(keys_doc, dict) else keys_doc
    keys = {str(k["key_id"]): k for k in entries}
    checkpoints = document["checkpoints"] if isinstance(document, dict) else document
    problems = []
    for cp in checkpoints:
        body, seq = cp["checkpoint"], cp["checkpoint"]["seq"]
        key = keys.get(str(cp.get("key_id")))
        if key is None or key.get("algorithm") not in ("Ed25519", "SM2"):
            problems.append(f"checkpoint #{seq}: unknown or unsupported key {cp.get('key_id')}")
            continue
        if cp.get("algorithm", key["algorithm"]) != key["algorithm"]:
            problems.append(f"checkpoint #{seq}: algorithm differs from its key's")
            continue
        if not verify_signature(key, b64url_decode(str(cp["signature"])), canonical(body)):
            problems.append(f"checkpoint #{seq}: signature invalid")
            continue
        if seq not in hashes:
            problems.append(f"checkpoint #{seq}: the chain has no event #{seq}")
        elif hashes[seq] != body["hash"]:
            problems.append(f"checkpoint #{seq} (signed {body['time']}): the chain's hash "
                            f"differs from the signed one: history was rewritten")
        elif "tree_size" in body and merkle_root(hashes, int(body["tree_size"])) != body["root"]:
            problems.append(f"checkpoint #{seq}: the Merkle root of the first "
                            f"{body['tree_size']} events differs from the signed tree head")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="audit chain export (JSON Lines)")
    parser.add_argument("--checkpoints", help="signed checkpoints saved earlier (JSON)")
    parser.add_argument("--keys", help="the audit key(s) (audit-keys.json)")
    args = parser.parse_args(argv)
    try:
        text = Path(args.export).read_text(encoding="utf-8")
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        checkpoints = keys_doc = None
        if args.checkpoints:
            if not args.keys:
                raise ValueError("--checkpoints needs --keys")
            checkpoints = json.loads(Path(args.checkpoints).read_text(encoding="utf-8"))
            keys_doc = json.loads(Path(args.keys).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    ok, message, hashes = check_chain(lines)
    if not ok:
        print(f"BROKEN: {message}")
        return 1
    if checkpoints is not None:
        problems = check_checkpoints(checkpoints, keys_doc, hashes)
        if problems:
            for problem in problems:
                print(f"BROKEN: {problem}")
            return 1
        message += f"; {len(checkpoints.get('checkpoints', checkpoints))} checkpoints match"
    print(f"OK: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
