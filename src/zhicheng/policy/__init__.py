"""Rules as code. This package must never import Django (tests/policy enforces it)."""
