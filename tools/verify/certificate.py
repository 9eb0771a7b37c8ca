#!/usr/bin/env python3
"""Verify a zhicheng electronic certificate without the project's code (docs/trust.md).

    python3 certificate.py --keys keys.json [--revocations revocations.json] CODE_OR_FILE

CODE_OR_FILE is the QR text `ZC1.<payload>.<signature>.<key id>`, the verification link
(`…/verify/#ZC1.…`) or a text file holding either. Needs only the Python standard library
and `cryptography` (`gmalg` for a certificate signed by an SM2 key). Exit 0: signature
valid and not revoked; 1: invalid or revoked; 2: the input or the keys cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from signatures import b64url_decode, verify_signature

PREFIX = "ZC1"


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def load_keys(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data["keys"] if isinstance(data, dict) else data
    return {str(k["key_id"]): k for k in entries}


def read_code(arg: str) -> str:
    text = arg
    if not arg.strip().startswith(PREFIX) and "#" not in arg:
        text = Path(arg).read_text(encoding="utf-8")
    text = text.strip()
    if "#" in text:  # the verification link carries the code in its fragment
        text = text.split("#", 1)[1]
    return text


def verify_certificate(code: str, keys: dict[str, dict[str, Any]]) -> tuple[bool, str, dict]:
    parts = code.split(".")
    if len(parts) != 4 or parts[0] != PREFIX or not parts[3]:
        return False, "not a ZC1 certificate code", {}
    try:
        payload, signature = b64url_decode(parts[1]), b64url_decode(parts[2])
    except ValueError:
        return False, "not valid base64url", {}
    key = keys.get(parts[3])
    if key is None:
        return False, f"unknown signing key {parts[3]}", {}
    # The signature covers the decoded payload BYTES, not the base64url text.
    if not verify_signature(key, signature, payload):
        return False, "signature does not match the payload (altered or forged)", {}
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False, "payload is not UTF-8 JSON", {}
    if not isinstance(data, dict) or canonical(data) != payload:
        return False, "payload is not canonical JSON", {}
    if data.get("kid") != parts[3]:
        return False, "key id in the payload differs from the code's", data
    # A key signs only inside its validity (business dates): valid_from <= issued and, once
    # the key is retired, issued <= valid_until (dates compared as YYYY-MM-DD).
    issued = str(data.get("issued", ""))
    start, end = str(key.get("valid_from") or "")[:10], str(key.get("valid_until") or "")[:10]
    if issued and ((start and issued < start) or (end and issued > end)):
        return False, (f"issued {issued} outside the key's validity "
                       f"({start or '…'} to {end or 'now'})"), data
    return True, "signature valid", data


def verify_revocation_list(document: dict[str, Any], keys: dict[str, dict[str, Any]]) -> dict:
    key = keys.get(str(document.get("key_id")))
    if key is None:
        raise ValueError(f"revocation list: unknown key {document.get('key_id')}")
    if document.get("algorithm", key.get("algorithm")) != key.get("algorithm"):
        raise ValueError("revocation list: algorithm differs from its key's")
    if not verify_signature(key, b64url_decode(str(document["signature"])),
                            canonical(document["list"])):
        raise ValueError("revocation list: signature invalid")
    body = document["list"]
    # A list carries its own expiry: an older list (from before a revocation) must not be
    # accepted forever, so a list whose next update is overdue is refused.
    next_update = body.get("next_update")
    if next_update:
        now = dt.datetime.now(dt.UTC)
        if dt.datetime.fromisoformat(next_update) < now:
            raise ValueError(f"revocation list is stale (next update was due {next_update})")
    return {str(e["number"]): e for e in body.get("revoked", [])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("code", help="QR text, verification link, or a file holding it")
    parser.add_argument("--keys", required=True, help="published keys.json")
    parser.add_argument("--revocations", help="signed revocations.json")
    args = parser.parse_args(argv)
    try:
        keys = load_keys(Path(args.keys))
        code = read_code(args.code)
        revoked = {}
        if args.revocations:
            document = json.loads(Path(args.revocations).read_text(encoding="utf-8"))
            revoked = verify_revocation_list(document, keys)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    ok, reason, data = verify_certificate(code, keys)
    if not ok:
        print(f"INVALID: {reason}")
        return 1
    for field in sorted(data):
        print(f"  {field}: {data[field]}")
    entry = revoked.get(str(data.get("no")))
    if entry:
        print(f"REVOKED: {data.get('no')} on {entry.get('revoked_on')} "
              f"({entry.get('category')}, {entry.get('decision_number', '')})")
        return 1
    print(f"VALID: certificate {data.get('no')} signed by key {data.get('kid')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
