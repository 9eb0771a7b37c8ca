"""SMS providers behind one interface (`SmsBackend.send(phone, text)`), chosen by
ZHICHENG_SMS_BACKEND (docs/notifications.md):

- `console`: writes the text to the console log (embedded mode, `make run`);
- `file`: appends each text to a file under ZHICHENG_SMS_FILE_PATH (staging);
- `aliyun`: Aliyun SMS (dysmsapi `SendSms`, RPC signature v1: HMAC-SHA1 over the sorted,
  percent-encoded query), one registered template whose text is `${content}`.

A provider refusal or a network error raises `SmsError` with a Chinese reason that never
holds the access key secret or the signature (the reason is stored and shown to officials)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.utils.module_loading import import_string

from zhicheng.accounts.identity import mask_phone


class SmsError(Exception):
    """The text was not accepted; str() is the Chinese reason (no secret in it)."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Prints each SMS like Django's console mail backend (the number masked)."""

    lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        with self.lock:
            stream.write(f"[短信] 发往 {mask_phone(phone)}：{text}\n")
            stream.flush()


class FileSmsBackend:
    """Appends one line per SMS to `<ZHICHENG_SMS_FILE_PATH>/sms.log` (the number in full:
    the file is the staging machine's outbox)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or settings.ZHICHENG_SMS_FILE_PATH)

    def send(self, phone: str, text: str) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            with (self.path / "sms.log").open("a", encoding="utf-8") as f:
                f.write(json.dumps({"phone": phone, "text": text}, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise SmsError(f"短信文件无法写入：{type(exc).__name__}") from exc


def percent_encode(value: str) -> str:
    """Aliyun's POP encoding: RFC 3986 unreserved characters kept, space as %20."""
    return urllib.parse.quote(value, safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """Signature v1 of Aliyun's RPC APIs over `params` (without `Signature`)."""
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    """Aliyun SMS `SendSms` over HTTPS POST (form-encoded, signed)."""

    def __init__(
        self, *, endpoint: str | None = None, access_key_id: str | None = None,
        access_key_secret: str | None = None, sign_name: str | None = None,
        template_code: str | None = None, timeout: float = 10.0,
    ) -> None:
        self.endpoint = endpoint or settings.ZHICHENG_SMS_ALIYUN_ENDPOINT
        self.access_key_id = access_key_id or settings.ZHICHENG_SMS_ALIYUN_ACCESS_KEY_ID
        self.secret = access_key_secret or settings.ZHICHENG_SMS_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = sign_name or settings.ZHICHENG_SMS_ALIYUN_SIGN_NAME
        self.template_code = template_code or settings.ZHICHENG_SMS_ALIYUN_TEMPLATE_CODE
        self.timeout = timeout

    def __repr__(self) -> str:  # never the secret, should the backend reach a log
        return f"AliyunSmsBackend(endpoint={self.endpoint!r})"

    def request_params(self, phone: str, text: str, *, now: dt.datetime | None = None,
                       nonce: str | None = None) -> dict[str, str]:
        moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False),
            "Timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = aliyun_signature(params, self.secret)
        return params

    def send(self, phone: str, text: str) -> None:
        if not (self.access_key_id and self.secret and self.sign_name and self.template_code):
            raise SmsError("阿里云短信未配置完整（访问密钥、签名或模板）")
        body = urllib.parse.urlencode(self.request_params(phone, text)).encode()
        req = urllib.request.Request(
            self.endpoint, data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                answer: dict[str, Any] = json.loads(resp.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as exc:
            answer = _json_or_empty(exc)
            if not answer:
                raise SmsError(f"短信服务商返回 HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"无法连接短信服务商：{type(exc).__name__}") from None
        except ValueError:
            raise SmsError("短信服务商的答复无法解析") from None
        if answer.get("Code") != "OK":
            message = str(answer.get("Message", ""))[:120]
            raise SmsError(f"短信服务商拒绝发送：{answer.get('Code', '')} {message}".strip())


def _json_or_empty(exc: urllib.error.HTTPError) -> dict[str, Any]:
    try:
        data = json.loads(exc.read().decode("utf-8"))
    except (ValueError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


BACKENDS = {"console": ConsoleSmsBackend, "file": FileSmsBackend, "aliyun": AliyunSmsBackend}


def sms_enabled() -> bool:
    return bool(getattr(settings, "ZHICHENG_SMS_BACKEND", ""))


def get_backend() -> SmsBackend:
    """The configured backend (a dotted path also works, for tests and other providers)."""
    name = str(getattr(settings, "ZHICHENG_SMS_BACKEND", "") or "")
    if name in BACKENDS:
        return BACKENDS[name]()
    if not name:
        raise SmsError("本系统未配置短信发送")
    return import_string(name)()


def segments(text: str) -> int:
    """SMS segments of a Chinese text: 70 characters in one, 67 each when split."""
    return 1 if len(text) <= 70 else -(-len(text) // 67)
