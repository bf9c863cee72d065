"""The channels a delivery goes by, behind one interface: ``send(delivery) -> detail``.

Each speaks its provider's real protocol: Django's mail backends for email (text and HTML), Alibaba
Cloud's SMS API (signed RPC request, approved signature and template codes), and the WeCom, DingTalk
and Feishu group-robot webhooks (DingTalk and Feishu signing). A channel without credentials is off.
Failures raise ``ChannelError`` (retried), ``RateLimited`` (tried again after the wait, not counted
as a failure) or ``ChannelOff`` (not tried again).
"""

import base64
import datetime
import hashlib
import hmac
import json
import math
import mimetypes
import os
import time
import urllib.parse
import uuid

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .events import Channel


class ChannelError(Exception):
    """The provider refused or could not be reached: tried again later, a bounded number of times."""


class ChannelOff(ChannelError):
    """The channel has no credentials (or the robot is not configured): not tried again."""


class RateLimited(ChannelError):
    """Too many messages this minute, by our count or the provider's answer: tried again after ``wait``."""

    def __init__(self, reason: str, wait: int = 60):
        super().__init__(reason)
        self.wait = wait


def absolute(link: str) -> str:
    return settings.PARKOPS_BASE_URL.rstrip("/") + link if link.startswith("/") else link


# --- email -----------------------------------------------------------------------------------------


def email_send(delivery) -> dict:
    html = render_to_string(
        "notifications/email.html",
        {"subject": delivery.subject, "body": delivery.body, "link": absolute(delivery.link) if delivery.link else ""},
    )
    text = delivery.body + (f"\n\n{absolute(delivery.link)}" if delivery.link else "")
    message = EmailMultiAlternatives(delivery.subject, text, None, [delivery.address])
    message.attach_alternative(html, "text/html")
    if delivery.attachment:
        with default_storage.open(delivery.attachment, "rb") as file:
            message.attach(
                os.path.basename(delivery.attachment), file.read(), mimetypes.guess_type(delivery.attachment)[0]
            )
    try:
        message.send(fail_silently=False)
    except OSError as error:  # smtplib's errors are OSErrors
        raise ChannelError(f"{type(error).__name__}: {error}") from error
    return {}


# --- SMS: Alibaba Cloud SMS (dysmsapi SendSms) ------------------------------------------------------

SMS_SINGLE = 70  # characters, signature included, in one message
SMS_PART = 67  # characters in each part of a long message
SMS_VARIABLE = 35  # characters a template variable may hold
SMS_LIMIT_CODES = {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling"}


def sms_configured() -> bool:
    sms = settings.PARKOPS_SMS
    return bool(sms["access_key_id"] and sms["access_key_secret"] and sms["sign_name"])


def sms_segments(text: str) -> int:
    """How many messages the operator is charged for: one up to 70 characters, else 67 a part."""
    return 1 if len(text) <= SMS_SINGLE else math.ceil(len(text) / SMS_PART)


def _percent(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


def sms_signed_query(params: dict[str, str], secret: str) -> str:
    """Alibaba Cloud's RPC signature (version 1.0): HMAC-SHA1 over the sorted, percent-encoded query."""
    canonical = "&".join(f"{_percent(key)}={_percent(value)}" for key, value in sorted(params.items()))
    to_sign = f"GET&{_percent('/')}&{_percent(canonical)}"
    signature = base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    return f"Signature={_percent(signature)}&{canonical}"


def sms_send(delivery) -> dict:
    sms = settings.PARKOPS_SMS
    if not sms_configured():
        raise ChannelOff(_("SMS has no credentials (PARKOPS_SMS_ACCESS_KEY_ID, _SECRET, _SIGN_NAME)."))
    template = sms["templates"].get(delivery.event)
    if not template:
        raise ChannelOff(_("No approved SMS template is set for this event (PARKOPS_SMS_TEMPLATES)."))
    variables = {"title": delivery.subject[:SMS_VARIABLE]}
    text = f"【{sms['sign_name']}】" + template.get("text", "${title}").replace("${title}", variables["title"])
    params = {
        "AccessKeyId": sms["access_key_id"],
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": delivery.address,
        "RegionId": "cn-hangzhou",
        "SignName": sms["sign_name"],
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "TemplateCode": template["code"],
        "TemplateParam": json.dumps(variables, ensure_ascii=False),
        "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
    }
    url = sms["endpoint"].rstrip("/") + "/?" + sms_signed_query(params, sms["access_key_secret"])
    answer = _answer(requests.get, url)
    code = answer.get("Code")
    if code in SMS_LIMIT_CODES:
        raise RateLimited(f"{code}: {answer.get('Message', '')}")
    if code != "OK":
        raise ChannelError(f"{code}: {answer.get('Message', '')}")
    return {"biz_id": answer.get("BizId", ""), "segments": sms_segments(text), "characters": len(text)}


# --- group robots ----------------------------------------------------------------------------------

ROBOT_LIMITS = {Channel.WECOM: 20, Channel.DINGTALK: 20, Channel.FEISHU: 100}  # messages a minute
ROBOT_LIMIT_CODES = {Channel.WECOM: {45009}, Channel.DINGTALK: {130101, 410100}, Channel.FEISHU: {9499, 11232}}


def robot_config(name: str) -> dict | None:
    config = settings.PARKOPS_ROBOTS.get(name)
    return config if config and config.get("url") and config.get("kind") in ROBOT_LIMITS else None


def _robot_text(delivery) -> tuple[str, str]:
    link = absolute(delivery.link) if delivery.link else ""
    markdown = f"**{delivery.subject}**\n\n{delivery.body}" + (f"\n\n[{_('Open')}]({link})" if link else "")
    plain = f"{delivery.subject}\n{delivery.body}" + (f"\n{link}" if link else "")
    return markdown, plain


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded into the webhook."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp: int) -> str:
    """Feishu: base64(HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing), in the body."""
    return base64.b64encode(hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()


def _rate_take(robot: str, per_minute: int) -> None:
    """Count this message against the robot's minute; past the limit, wait for the next minute."""
    seconds = timezone.now().timestamp()
    minute = int(seconds // 60)
    key = f"notifications:robot:{robot}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired, or the cache is down: count from here
        cache.set(key, 1, timeout=120)
        used = 1
    if used > per_minute:
        raise RateLimited(
            _("%(limit)d messages a minute reached") % {"limit": per_minute}, wait=60 - int(time.time()) % 60
        )


def robot_send(delivery) -> dict:
    config = robot_config(delivery.robot)
    if config is None:
        raise ChannelOff(_("The robot %(robot)s is not configured in PARKOPS_ROBOTS.") % {"robot": delivery.robot})
    kind, url, secret = config["kind"], config["url"], config.get("secret", "")
    _rate_take(delivery.robot, int(config.get("per_minute", ROBOT_LIMITS[kind])))
    markdown, plain = _robot_text(delivery)
    if kind == Channel.WECOM:
        body = {"msgtype": "markdown", "markdown": {"content": markdown}}
    elif kind == Channel.DINGTALK:
        body = {"msgtype": "markdown", "markdown": {"title": delivery.subject, "text": markdown}}
        if secret:
            now_ms = int(time.time() * 1000)
            url += f"{'&' if '?' in url else '?'}timestamp={now_ms}&sign={dingtalk_sign(secret, now_ms)}"
    else:
        body = {"msg_type": "text", "content": {"text": plain}}
        if secret:
            now = int(time.time())
            body = {"timestamp": str(now), "sign": feishu_sign(secret, now), **body}
    answer = _answer(requests.post, url, json=body)
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode")))
    if code in ROBOT_LIMIT_CODES[kind]:
        raise RateLimited(f"{code}: {answer.get('errmsg', answer.get('msg', ''))}")
    if code != 0:
        raise ChannelError(f"{code}: {answer.get('errmsg', answer.get('msg', ''))}")
    return {"robot_kind": kind}


def _answer(method, url: str, **kwargs) -> dict:
    """The provider's JSON answer; HTTP 429 is a rate limit, other failures are errors."""
    try:
        response = method(url, timeout=settings.PARKOPS_HTTP_TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise ChannelError(f"{type(error).__name__}: {error}"[:500]) from error
    if response.status_code == 429:
        raise RateLimited(f"HTTP 429 {response.text[:200]}", wait=int(response.headers.get("Retry-After", 60) or 60))
    if response.status_code >= 400:
        raise ChannelError(f"HTTP {response.status_code}: {response.text[:200]}")
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise ChannelError(f"HTTP {response.status_code}: {response.text[:200]}")
    return answer


SENDERS = {
    Channel.EMAIL: email_send,
    Channel.SMS: sms_send,
    Channel.WECOM: robot_send,
    Channel.DINGTALK: robot_send,
    Channel.FEISHU: robot_send,
}


def channels_status() -> list[tuple[str, bool, str]]:
    """Each outward channel, whether it is on, and why not: for the settings page."""
    rows = [
        (str(Channel.EMAIL.label), True, settings.EMAIL_BACKEND),
        (
            str(Channel.SMS.label),
            sms_configured(),
            _("signature %(sign)s, %(count)d templates")
            % {"sign": settings.PARKOPS_SMS["sign_name"], "count": len(settings.PARKOPS_SMS["templates"])}
            if sms_configured()
            else _(
                "off: PARKOPS_SMS_ACCESS_KEY_ID, PARKOPS_SMS_ACCESS_KEY_SECRET and PARKOPS_SMS_SIGN_NAME are not set"
            ),
        ),
    ]
    for name, config in sorted(settings.PARKOPS_ROBOTS.items()):
        on = robot_config(name) is not None
        kind = config.get("kind", "?") if isinstance(config, dict) else "?"
        rows.append(
            (
                f"{name} ({kind})",
                on,
                _("webhook set, %(limit)s a minute") % {"limit": config.get("per_minute", ROBOT_LIMITS.get(kind, "?"))}
                if on
                else _("off: no webhook URL or an unknown kind"),
            )
        )
    return rows
