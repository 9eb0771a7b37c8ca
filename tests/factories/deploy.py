"""Deployment test helpers: the `zhicheng` CLI in a child process with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys

from zhicheng.documents.placeholder import one_page_pdf


def pdf_bytes(text: str) -> bytes:
    return one_page_pdf(text)


def zhicheng(*args: str, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhicheng", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ZHICHENG_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env
