#!/usr/bin/env python3
"""Re-run a zhicheng expert draw (评委抽取) from its public record (docs/trust.md).

    python3 expert_draw.py draw-record.json

Before the draw (no seed yet) it prints the commitment; after it, it checks that SHA-256 of
the revealed seed is the hash published before, re-runs the draw from the published pool,
exclusions and plan, and compares the result. Standard library only. Exit 0: the record
re-runs to its result (or is a valid pre-draw record); 1: it does not; 2: unreadable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

# /2: ids are the meeting's pseudonymous pool codes (text); /1: pool ids (integers). The
# algorithm is the same.
FORMATS = ("zhicheng-expert-draw/2", "zhicheng-expert-draw/1")


def rank_key(seed: str, index: int, specialty: str, level: str, expert_id: Any) -> str:
    text = f"{seed}|{index}|{specialty}|{level}|{expert_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run(record: dict[str, Any], seed: str) -> list[dict[str, list[Any]]]:
    candidates = sorted(record["candidates"], key=lambda c: c["id"])
    excluded = set(record["excluded"])
    taken: set[Any] = set()
    out = []
    for index, group in enumerate(record["groups"]):
        eligible = [c["id"] for c in candidates
                    if c["specialty"] == group["specialty"] and c["level"] == group["level"]
                    and c["id"] not in excluded and c["id"] not in taken]
        ranked = sorted(eligible, key=lambda i, g=group, n=index: rank_key(
            seed, n, g["specialty"], g["level"], i))
        count, reserve = int(group["count"]), int(group.get("reserve", 0))
        selected, spare = ranked[:count], ranked[count:count + reserve]
        taken.update(selected)
        taken.update(spare)
        out.append({"selected": selected, "reserve": spare})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("record", help="the draw record (JSON)")
    args = parser.parse_args(argv)
    try:
        record = json.loads(Path(args.record).read_text(encoding="utf-8"))
        if record.get("format") not in FORMATS:
            raise ValueError(f"not a {' or '.join(FORMATS)} record")
        ids = [c["id"] for c in record["candidates"]]
        if len(set(ids)) != len(ids):
            raise ValueError("a pool id appears twice")
        if not set(record["excluded"]) <= set(ids):
            raise ValueError("an excluded id is not in the pool")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    print(f"seed hash published before the draw: {record['seed_hash']}")
    seed = record.get("seed")
    if not seed:
        print(f"NOT DRAWN YET: {len(record['candidates'])} in the pool, "
              f"{len(record['excluded'])} excluded, {len(record['groups'])} groups")
        return 0
    if hashlib.sha256(seed.encode("utf-8")).hexdigest() != record["seed_hash"]:
        print("DIFFERENT: SHA-256(seed) is not the hash published before the draw")
        return 1
    again = run(record, seed)
    recorded = [{"selected": g["selected"], "reserve": g["reserve"]}
                for g in (record.get("result") or {}).get("groups", [])]
    for index, group in enumerate(again):
        print(f"group {index} {record['groups'][index]['specialty']} "
              f"{record['groups'][index]['level']}: selected {group['selected']} "
              f"reserve {group['reserve']}")
    if again != recorded:
        print(f"DIFFERENT: re-run {again} != recorded {recorded}")
        return 1
    print("OK: the re-run draw gives the recorded result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
