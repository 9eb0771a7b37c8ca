#!/usr/bin/env python3
"""Verify a zhicheng signed revocation list without the project's code (docs/trust.md).

    python3 revocations.py --keys keys.json revocations.json

Exit 0: the signature is valid (the revoked numbers are printed); 1: invalid or stale;
2: a file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from certificate import load_keys, verify_revocation_list


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revocations", help="signed revocations.json")
    parser.add_argument("--keys", required=True, help="published keys.json")
    args = parser.parse_args(argv)
    try:
        keys = load_keys(Path(args.keys))
        document = json.loads(Path(args.revocations).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    try:
        revoked = verify_revocation_list(document, keys)
    except (ValueError, KeyError, TypeError) as exc:
        print(f"INVALID: {exc}")
        return 1
    body = document["list"]
    print(f"VALID: revocation list #{body.get('sequence')} of {body.get('this_update')}, "
          f"next update due {body.get('next_update')}, "
          f"{len(revoked)} revoked, key {document.get('key_id')}")
    for number, entry in revoked.items():
        print(f"  {number} {entry.get('revoked_on')} {entry.get('category')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
