#!/usr/bin/env python3
"""Re-run a zhicheng sampling draw (材料抽查) from its public record (docs/trust.md).

    python3 sampling_draw.py sampling-record.json

Before the draw (no seed yet) it prints the commitment; after it, it checks that SHA-256 of
the revealed seed is the hash published before, re-runs the draw over the published
population and share, and compares the sample. Standard library only. Exit 0: the record
re-runs to its sample (or is a valid pre-draw record); 1: it does not; 2: unreadable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

FORMAT = "zhicheng-sampling-draw/1"


def sample_size(population: int, share: Decimal) -> int:
    if population <= 0 or share <= 0:
        return 0
    k = int((Decimal(population) * share).to_integral_value(rounding=ROUND_CEILING))
    return min(population, max(1, k))


def rank_key(seed: str, code: str) -> str:
    return hashlib.sha256(f"{seed}|{code}".encode()).hexdigest()


def run(record: dict[str, Any], seed: str) -> list[str]:
    population = list(record["population"])
    ranked = sorted(population, key=lambda code: rank_key(seed, code))
    return ranked[:sample_size(len(population), Decimal(record["share"]))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("record", help="the sampling record (JSON)")
    args = parser.parse_args(argv)
    try:
        record = json.loads(Path(args.record).read_text(encoding="utf-8"))
        if record.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} record")
        if not isinstance(record["share"], str):
            raise ValueError("share must be a decimal string")
        share = Decimal(record["share"])
        if not 0 <= share <= 1:
            raise ValueError("share must be between 0 and 1")
        population = record["population"]
        if len(set(population)) != len(population):
            raise ValueError("a code appears twice in the population")
    except (OSError, ValueError, KeyError, TypeError, InvalidOperation) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    print(f"seed hash published before the draw: {record['seed_hash']}")
    seed = record.get("seed")
    if not seed:
        print(f"NOT DRAWN YET: {len(population)} in the population, share {record['share']}, "
              f"{sample_size(len(population), share)} to sample")
        return 0
    if hashlib.sha256(seed.encode("utf-8")).hexdigest() != record["seed_hash"]:
        print("DIFFERENT: SHA-256(seed) is not the hash published before the draw")
        return 1
    again = run(record, seed)
    print(f"sample {again}")
    if again != record.get("sample"):
        print(f"DIFFERENT: re-run {again} != recorded {record.get('sample')}")
        return 1
    print("OK: the re-run draw gives the recorded sample")
    return 0


if __name__ == "__main__":
    sys.exit(main())
