"""The attune-monitor server, read from Python with the standard library only.

What a lab's `slack_bolt` bot needs from a running attune-monitor server (docs/slack.md,
"A bot in another language"):

- ``AttuneClient.home_blocks(user)``: Attune's part of a Home tab, as Block Kit blocks
  (``GET /api/v1/slack/home-blocks``), to put into the bot's own home view;
- ``AlertFollower``: the alerts, raised and resolved, from the live stream (``GET /api/v1/stream``,
  server-sent events), reconnecting when the stream breaks;
- ``AlertPoster``: each alert posted once to a channel and updated in place when it resolves,
  with every string from the instrument's log escaped for Slack's mrkdwn.

Nothing here imports slack_bolt or slack_sdk: ``attune_slack.py`` is the glue, and this module is
tested on its own against a real server (test/examples/python-slack-bolt.int.spec.ts).
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Optional, Protocol

Json = dict[str, Any]

#: Alerts older than this when first seen (after a reconnect) are history: not posted.
HISTORIC_AFTER_S = 5 * 60


class AttuneError(Exception):
    """The server answered with an error, or could not be reached."""


def escape_mrkdwn(text: str) -> str:
    """Log text is data: ``&``, ``<`` and ``>`` must not become Slack markup (``<!channel>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def field_text(text: str, limit: int = 120) -> str:
    """A log string on one line, bounded, then escaped (as the TypeScript app's fieldText)."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return escape_mrkdwn(flat)


class AttuneClient:
    """The server's read side: its address and, when it has one, its read token (ATTUNE_READ_TOKEN)."""

    def __init__(self, base_url: str, read_token: Optional[str] = None, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.read_token = read_token
        self.timeout_s = timeout_s

    def _request(self, path: str, accept: str = "application/json") -> urllib.request.Request:
        headers = {"Accept": accept}
        if self.read_token:
            headers["Authorization"] = f"Bearer {self.read_token}"
        return urllib.request.Request(self.base_url + path, headers=headers)

    def home_blocks(self, user: Optional[str] = None, notify: bool = False, max_blocks: int = 60) -> list[Json]:
        """Attune's blocks for ``user``'s Home tab. ``notify=False``: without "Notify me when free"
        buttons, which only the Attune app itself (or mountAttune in a JS bot) answers."""
        query = {"notify": "true" if notify else "false", "max_blocks": str(max_blocks)}
        if user is not None:
            query["user"] = user
        try:
            with urllib.request.urlopen(self._request("/api/v1/slack/home-blocks?" + urllib.parse.urlencode(query)), timeout=self.timeout_s) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as error:
            raise AttuneError(f"home-blocks answered {error.code}: {error.read().decode('utf-8', 'replace')}") from error
        except (urllib.error.URLError, OSError) as error:
            raise AttuneError(f"attune-monitor at {self.base_url} not reachable: {error}") from error
        blocks = answer.get("blocks")
        if not isinstance(blocks, list):
            raise AttuneError("home-blocks answered without a list of blocks")
        return blocks

    def stream(self, read_timeout_s: float = 60.0) -> Iterator[tuple[str, Json]]:
        """The live stream's events, ``(name, data)``: ``snapshot`` first, then ``change``s.
        Ends when the connection does; the server sends a keep-alive comment every 15 s."""
        request = self._request("/api/v1/stream", accept="text/event-stream")
        try:
            response = urllib.request.urlopen(request, timeout=read_timeout_s)
        except urllib.error.HTTPError as error:
            raise AttuneError(f"stream answered {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise AttuneError(f"attune-monitor at {self.base_url} not reachable: {error}") from error
        with response:
            name, data = "message", []
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data:
                        yield name, json.loads("\n".join(data))
                    name, data = "message", []
                elif line.startswith(":"):
                    continue
                else:
                    key, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if key == "event":
                        name = value
                    elif key == "data":
                        data.append(value)


#: (event, alert): event is "raised" or "resolved"; alert is the server's LiveAlert JSON.
AlertHandler = Callable[[str, Json], None]


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _age_s(iso: str) -> float:
    return time.time() - datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


class AlertFollower:
    """Follows the stream and calls ``on_alert`` for each live alert raised or resolved. After a
    break, the fresh snapshot is compared with what was known, so what was raised or resolved
    meanwhile is not missed. Alerts of history (imports, an agent catching up) are not announced."""

    def __init__(self, client: AttuneClient, on_alert: AlertHandler, reconnect_s: float = 2.0, log: Callable[[str], None] = lambda _message: None) -> None:
        self.client = client
        self.on_alert = on_alert
        self.reconnect_s = reconnect_s
        self.log = log
        self.open: dict[str, Json] = {}
        self.instruments: dict[str, Json] = {}
        self._seen_snapshot = False

    def run(self, stop: threading.Event) -> None:
        """Runs until ``stop`` is set (checked between messages, and at least every 15 s)."""
        while not stop.is_set():
            try:
                for name, data in self.client.stream():
                    self.handle(name, data)
                    if stop.is_set():
                        return
                self.log("attune-monitor stream ended; reconnecting")
            except (AttuneError, OSError, ValueError) as error:
                self.log(f"attune-monitor stream failed ({error}); reconnecting")
            stop.wait(self.reconnect_s)

    def handle(self, name: str, data: Json) -> None:
        if name == "snapshot":
            self._snapshot(data)
        elif name == "change":
            self._change(data)

    def _snapshot(self, snapshot: Json) -> None:
        alerts = {alert["id"]: alert for alert in snapshot.get("openAlerts", [])}
        if self._seen_snapshot:
            for alert_id, alert in self.open.items():
                if alert_id not in alerts:
                    self.on_alert("resolved", {**alert, "resolvedAt": _now_iso()})
            for alert_id, alert in alerts.items():
                if alert_id not in self.open and _age_s(alert["raisedAt"]) <= HISTORIC_AFTER_S:
                    self.on_alert("raised", alert)
        self.open = alerts
        self.instruments = {view["id"]: view for view in snapshot.get("instruments", [])}
        self._seen_snapshot = True

    def _change(self, change: Json) -> None:
        kind = change.get("type")
        if kind == "instrument_changed":
            self.instruments[change["view"]["id"]] = change["view"]
        elif kind == "alert_raised":
            self.open[change["alert"]["id"]] = change["alert"]
            if not change.get("historic", False):
                self.on_alert("raised", change["alert"])
        elif kind == "alert_resolved":
            self.open.pop(change["alert"]["id"], None)
            self.on_alert("resolved", change["alert"])


KIND_TITLES = {
    "bubble": (":large_blue_circle:", "Bubble"),
    "large_bubble": (":rotating_light:", "Large bubble: data at risk"),
    "procedure_failed": (":x:", "Procedure failed"),
    "procedure_interrupted": (":boom:", "Run interrupted: the Attune software stopped mid-run"),
    "agent_offline": (":electric_plug:", "Instrument PC offline"),
    "software_silent": (":zzz:", "Attune software silent"),
    "agent_error": (":warning:", "Agent cannot read the logs"),
}


def alert_message(alert: Json) -> Json:
    """The channel message of an alert, open or resolved: ``{"text", "blocks"}``. Every string
    from the log is escaped, in ``text`` (what notifications show) as in the blocks."""
    emoji, title = KIND_TITLES.get(alert.get("kind", ""), (":warning:", "Alert"))
    instrument = field_text(str(alert.get("instrumentId", "")), 64)
    resolved = alert.get("resolvedAt") is not None
    head = f":white_check_mark: ~{title}~ on *{instrument}*: resolved" if resolved else f"{emoji} *{title}* on *{instrument}*"
    details = [
        field_text(alert["procedure"], 80) if alert.get("procedure") else None,
        f"well {field_text(alert['well'], 8)}" if alert.get("well") else None,
        field_text(alert["user"], 80) if alert.get("user") else None,
    ]
    lines = [head, field_text(str(alert.get("message", "")), 500), " · ".join(part for part in details if part)]
    text = f"{'Resolved: ' if resolved else ''}{title} on {instrument}: {field_text(str(alert.get('message', '')), 500)}"
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(line for line in lines if line)[:3000]}}]}


class ChatApi(Protocol):
    """The two calls of slack_sdk's WebClient the poster makes."""

    def chat_postMessage(self, **kwargs: Any) -> Any: ...

    def chat_update(self, **kwargs: Any) -> Any: ...


@dataclass
class AlertPoster:
    """Posts each alert raised once and updates that message when it resolves (the resolve of an
    alert it never posted, e.g. one open before the bot started, says nothing new). Where each
    message is (channel, ts) is kept in ``state_path`` (JSON) when given, so a restart of the bot
    updates messages posted before it. A Slack call that fails raises (slack_sdk retries first)."""

    chat: ChatApi
    channel: str
    state_path: Optional[str] = None
    posted: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.state_path is not None:
            try:
                with open(self.state_path, encoding="utf-8") as file:
                    self.posted = json.load(file)
            except FileNotFoundError:
                pass

    def __call__(self, event: str, alert: Json) -> None:
        with self.lock:
            message = alert_message(alert)
            known = self.posted.get(alert["id"])
            if known is None and event == "raised":
                answer = self.chat.chat_postMessage(channel=self.channel, text=message["text"], blocks=message["blocks"], unfurl_links=False)
                self.posted[alert["id"]] = {"channel": answer["channel"], "ts": answer["ts"], "resolved": False}
            elif known is not None and event == "resolved" and not known["resolved"]:
                self.chat.chat_update(channel=known["channel"], ts=known["ts"], text=message["text"], blocks=message["blocks"])
                known["resolved"] = True
            else:
                return
            self._save()

    def _save(self) -> None:
        if self.state_path is None:
            return
        with open(self.state_path + ".tmp", "w", encoding="utf-8") as file:
            json.dump(self.posted, file)
        os.replace(self.state_path + ".tmp", self.state_path)
