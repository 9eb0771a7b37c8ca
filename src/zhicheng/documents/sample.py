"""A complete example of the snapshot `render_application_form` prints (every section filled),
read from `sample_snapshot.json`.

Builders: produce exactly this shape (see `zhicheng.documents.snapshot` for the types).
`python -m zhicheng.documents.sample out.pdf` renders it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zhicheng.documents.pdf import render_application_form
from zhicheng.documents.snapshot import ApplicationSnapshot

# The example is data (`sample_snapshot.json`): a dossier of the installed 2024 season, its
# city named there and nowhere in the code.
SAMPLE_FILE = Path(__file__).with_name("sample_snapshot.json")
_SAMPLE = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
SAMPLE_SNAPSHOT: ApplicationSnapshot = _SAMPLE["snapshot"]
SAMPLE_QR_URL: str = _SAMPLE["qr_url"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = args[0] if args else "application-form-sample.pdf"
    with Path(target).open("wb") as out:
        out.write(
            render_application_form(
                SAMPLE_SNAPSHOT, qr_url=SAMPLE_QR_URL
            )
        )
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
