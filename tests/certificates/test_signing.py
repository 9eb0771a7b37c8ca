"""Signatures: round trip, one changed byte, key rotation, published keys, the QR text."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhicheng.certificates import keys
from zhicheng.certificates.payload import b64d, b64e, canonical_bytes, decode, encode
from zhicheng.certificates.signing import sign_payload, verify_text


def test_canonical_payload_is_sorted_compact_utf8() -> None:
    assert canonical_bytes({"b": 1, "a": "职称"}) == '{"a":"职称","b":1}'.encode()


def test_round_trip_and_one_changed_byte_fails() -> None:
    body, sig, kid = sign_payload({"no": "LYG-2024-X-M-000001", "name": "张三"})
    text = encode(body, sig, kid)
    result = verify_text(text, keys.load_public_keys())
    assert result.valid and result.data["name"] == "张三" and result.data["kid"] == kid
    for i in range(len(body)):
        tampered = bytearray(body)
        tampered[i] ^= 0x01
        assert not verify_text(encode(bytes(tampered), sig, kid), keys.load_public_keys()).valid
    bad_sig = bytearray(sig)
    bad_sig[0] ^= 0x80
    assert not verify_text(encode(body, bytes(bad_sig), kid), keys.load_public_keys()).valid


def test_unknown_key_and_garbage_are_invalid() -> None:
    body, sig, _kid = sign_payload({"no": "X"})
    assert "未知" in verify_text(encode(body, sig, "k-nope"), keys.load_public_keys()).reason
    assert not verify_text("hello", keys.load_public_keys()).valid
    assert not verify_text("ZC1.!!.??.k", keys.load_public_keys()).valid


def test_private_key_file_mode_0600(settings) -> None:
    kid = keys.active_key_id()
    path = Path(settings.ZHICHENG_KEY_DIR) / f"{kid}.key"
    assert path.stat().st_mode & 0o777 == 0o600


def test_rotation_keeps_old_signatures_valid() -> None:
    old_body, old_sig, old_kid = sign_payload({"no": "OLD"})
    new_kid = keys.generate()
    assert new_kid != old_kid and keys.active_key_id() == new_kid
    body, sig, kid = sign_payload({"no": "NEW"})
    assert kid == new_kid
    public = keys.load_public_keys()
    assert verify_text(encode(old_body, old_sig, old_kid), public).valid
    assert verify_text(encode(body, sig, kid), public).valid
    published = {k["key_id"]: k for k in keys.published_keys()}
    assert published[old_kid]["valid_until"] and published[new_kid]["valid_until"] is None
    # A signature from the old key does not pass as the new key.
    assert not verify_text(encode(old_body, old_sig, new_kid), public).valid


def test_ensure_key_if_missing(tmp_path) -> None:
    d = tmp_path / "k2"
    kid, created = keys.ensure_key(d)
    assert created
    assert keys.ensure_key(d) == (kid, False)


def test_b64_round_trip() -> None:
    assert b64d(b64e(b"\x00\xffabc")) == b"\x00\xffabc"
    with pytest.raises(ValueError):
        decode("ZC2.a.b.c")
