"""Put the load users' sessions into the session cache, as their logins did.

A login writes its session to the table and to the cache (`cached_db`, zhicheng.settings);
the seeding writes the table only (in bulk), and run.sh empties its Redis database before
the server starts. Without this, each seeded person's first request would read the session
from the table and write it into the cache: a query and a cache write that no request of a
person who signed in earlier makes (the surge's 1,000 submissions are each such a first
request). Each session is loaded through the session backend itself, so the cached copy is
exactly what a login's would be.

    DATABASE_URL=… REDIS_URL=… .venv/bin/python bench/load/warm_sessions.py var/load/fixtures.json
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402


def sessions_in(fixtures: Any) -> Iterator[str]:
    """Every `session` value anywhere in the fixtures (applicants, surge drafts, reviewer)."""
    if isinstance(fixtures, dict):
        for key, value in fixtures.items():
            if key == "session" and isinstance(value, str):
                yield value
            else:
                yield from sessions_in(value)
    elif isinstance(fixtures, list):
        for item in fixtures:
            yield from sessions_in(item)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    path = Path(argv[1])
    keys = sorted(set(sessions_in(json.loads(path.read_text(encoding="utf-8")))))
    if not settings.SESSION_ENGINE.endswith("cached_db"):
        print(f"{path}: the sessions are not cached ({settings.SESSION_ENGINE}); nothing to do")
        return 0
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    missing = 0
    for key in keys:
        store = store_class(session_key=key)
        if not store.load():  # an expired or unknown key: the backend gives a new, empty one
            missing += 1
    print(f"{path}: {len(keys) - missing} sessions put into the cache"
          + (f", {missing} not found in the table" if missing else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
