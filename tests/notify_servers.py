"""Loopback HTTP servers that speak the outside services' protocols, for the notification tests.

``ProviderServer`` answers as the WeCom, DingTalk and Feishu group-robot webhooks and Alibaba Cloud's
SMS API do: it checks each request's format and signature independently of ParkOps' code (from the
providers' documentation), keeps what it accepted, applies their per-minute limits with their
rate-limit answers, and can be told to fail the next requests of a channel."""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WECOM_KEY = "wecom-test-key"
DINGTALK_TOKEN = "dingtalk-test-token"
DINGTALK_SECRET = "SECdingtalk-test-secret"
FEISHU_HOOK = "feishu-test-hook"
FEISHU_SECRET = "feishu-test-secret"
SMS_KEY_ID = "LTAI-test-key"
SMS_SECRET = "sms-test-secret"
SMS_SIGN = "岭南数创"
SMS_TEMPLATE = "SMS_480000001"


class ProviderServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, limits: dict[str, int] | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: dict[str, list] = defaultdict(list)
        self.refused: dict[str, list] = defaultdict(list)
        self.fail_next: dict[str, int] = defaultdict(int)
        self.limits = {"wecom": 20, "dingtalk": 20, "feishu": 100, "sms": 1000, **(limits or {})}
        self.minute_counts: dict[tuple[str, int], int] = defaultdict(int)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def robots(self) -> dict:
        """``PARKOPS_ROBOTS`` pointing at this server."""
        return {
            "ops-wecom": {"kind": "wecom", "url": f"{self.url}/cgi-bin/webhook/send?key={WECOM_KEY}"},
            "finance-dingtalk": {
                "kind": "dingtalk",
                "url": f"{self.url}/robot/send?access_token={DINGTALK_TOKEN}",
                "secret": DINGTALK_SECRET,
            },
            "managers-feishu": {
                "kind": "feishu",
                "url": f"{self.url}/open-apis/bot/v2/hook/{FEISHU_HOOK}",
                "secret": FEISHU_SECRET,
            },
        }

    def sms(self) -> dict:
        """``PARKOPS_SMS`` pointing at this server."""
        return {
            "endpoint": self.url,
            "access_key_id": SMS_KEY_ID,
            "access_key_secret": SMS_SECRET,
            "sign_name": SMS_SIGN,
            "templates": {
                "booking_approved": {"code": SMS_TEMPLATE, "text": "您的预订已通过：${title}，详情请登录租户门户查看。"}
            },
        }

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    def over_limit(self, channel: str) -> bool:
        with self.lock:
            key = (channel, int(time.time() // 60))
            self.minute_counts[key] += 1
            return self.minute_counts[key] > self.limits[channel]

    def failing(self, channel: str) -> bool:
        with self.lock:
            if self.fail_next[channel] > 0:
                self.fail_next[channel] -= 1
                return True
            return False


def _percent(value: str) -> str:
    return urllib.parse.quote(value, safe="-_.~")


class _Handler(BaseHTTPRequestHandler):
    server: ProviderServer

    def log_message(self, *args):
        pass

    def answer(self, body: dict, status: int = 200) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refuse(self, channel: str, why: str, body: dict, status: int = 200) -> None:
        self.server.refused[channel].append(why)
        self.answer(body, status)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length", 0))
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            return self.refuse("http", "not JSON", {"errcode": 40035, "errmsg": "invalid body"}, 400)
        if url.path == "/cgi-bin/webhook/send":
            return self.wecom(query, body)
        if url.path == "/robot/send":
            return self.dingtalk(query, body)
        if url.path == f"/open-apis/bot/v2/hook/{FEISHU_HOOK}":
            return self.feishu(body)
        return self.refuse("http", f"unknown path {url.path}", {"errcode": 404, "errmsg": "not found"}, 404)

    def wecom(self, query, body):
        if query.get("key") != WECOM_KEY:
            return self.refuse("wecom", "key", {"errcode": 93000, "errmsg": "invalid webhook url"})
        kind = body.get("msgtype")
        if kind not in ("text", "markdown") or not body.get(kind, {}).get("content"):
            return self.refuse("wecom", "format", {"errcode": 40008, "errmsg": "invalid message type"})
        if len(body[kind]["content"].encode()) > 4096:
            return self.refuse("wecom", "length", {"errcode": 40058, "errmsg": "markdown.content exceed max length"})
        if self.server.failing("wecom"):
            return self.answer({"errmsg": "system busy"}, 503)
        if self.server.over_limit("wecom"):
            return self.refuse("wecom", "limit", {"errcode": 45009, "errmsg": "api freq out of limit"})
        self.server.received["wecom"].append(body)
        return self.answer({"errcode": 0, "errmsg": "ok"})

    def dingtalk(self, query, body):
        if query.get("access_token") != DINGTALK_TOKEN:
            return self.refuse("dingtalk", "token", {"errcode": 300001, "errmsg": "token is not exist"})
        timestamp = query.get("timestamp", "")
        expected = base64.b64encode(
            hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
        if not fresh or query.get("sign") != expected:  # parse_qsl has undone the URL encoding
            return self.refuse("dingtalk", "sign", {"errcode": 310000, "errmsg": "sign not match"})
        if body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("title"):
            return self.refuse("dingtalk", "format", {"errcode": 40035, "errmsg": "missing parameter"})
        if self.server.failing("dingtalk"):
            return self.answer({"errcode": -1, "errmsg": "system busy"})
        if self.server.over_limit("dingtalk"):
            return self.refuse(
                "dingtalk", "limit", {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
            )
        self.server.received["dingtalk"].append(body)
        return self.answer({"errcode": 0, "errmsg": "ok"})

    def feishu(self, body):
        timestamp = body.get("timestamp", "")
        expected = base64.b64encode(
            hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
        ).decode()
        fresh = str(timestamp).isdigit() and abs(time.time() - int(timestamp)) < 3600
        if not fresh or body.get("sign") != expected:
            return self.refuse(
                "feishu",
                "sign",
                {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"},
            )
        if body.get("msg_type") != "text" or not body.get("content", {}).get("text"):
            return self.refuse("feishu", "format", {"code": 9499, "msg": "Bad Request"}, 400)
        if self.server.failing("feishu"):
            return self.answer({"code": 11105, "msg": "internal error"}, 500)
        if self.server.over_limit("feishu"):
            return self.refuse("feishu", "limit", {"code": 11232, "msg": "frequency limited psm"})
        self.server.received["feishu"].append(body)
        return self.answer({"code": 0, "msg": "success", "data": {}})

    def do_GET(self):
        """Alibaba Cloud SMS, SendSms by RPC: every parameter signed with HMAC-SHA1 (signature 1.0)."""
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        signature = params.pop("Signature", "")
        canonical = "&".join(f"{_percent(k)}={_percent(v)}" for k, v in sorted(params.items()))
        to_sign = "GET&%2F&" + _percent(canonical)
        expected = base64.b64encode(
            hmac.new(f"{SMS_SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        ).decode()
        if signature != expected:
            return self.refuse(
                "sms",
                "signature",
                {
                    "Code": "SignatureDoesNotMatch",
                    "Message": "Specified signature is not matched with our calculation.",
                },
                400,
            )
        checks = {
            "AccessKeyId": params.get("AccessKeyId") == SMS_KEY_ID,
            "Action": params.get("Action") == "SendSms" and params.get("Version") == "2017-05-25",
            "SignatureMethod": params.get("SignatureMethod") == "HMAC-SHA1" and params.get("SignatureVersion") == "1.0",
            "SignName": params.get("SignName") == SMS_SIGN,
            "TemplateCode": params.get("TemplateCode") == SMS_TEMPLATE,
            "PhoneNumbers": len(params.get("PhoneNumbers", "")) == 11 and params["PhoneNumbers"].isdigit(),
        }
        for name, ok in checks.items():
            if not ok:
                code = {
                    "SignName": "isv.SMS_SIGNATURE_ILLEGAL",
                    "TemplateCode": "isv.SMS_TEMPLATE_ILLEGAL",
                    "PhoneNumbers": "isv.MOBILE_NUMBER_ILLEGAL",
                }.get(name, "InvalidParameter")
                return self.refuse("sms", name, {"Code": code, "Message": f"{name} is invalid"})
        try:
            variables = json.loads(params.get("TemplateParam", ""))
        except ValueError:
            return self.refuse("sms", "TemplateParam", {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法"})
        if set(variables) != {"title"} or len(variables["title"]) > 35:
            return self.refuse(
                "sms", "TemplateParam", {"Code": "isv.PARAM_LENGTH_LIMIT", "Message": "参数超出长度限制"}
            )
        if self.server.failing("sms"):
            return self.answer({"Code": "isp.SYSTEM_ERROR", "Message": "isp.SYSTEM_ERROR"})
        if self.server.over_limit("sms"):
            return self.refuse(
                "sms", "limit", {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"}
            )
        self.server.received["sms"].append({**params, "TemplateParam": variables})
        return self.answer({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"})
