"""Drives examples/python_slack_bolt/attune_client.py against a real attune-monitor server.

Run by python-slack-bolt.int.spec.ts: ``python3 attune_client_check.py URL READ_TOKEN``. Prints one
JSON object per line (what it saw), so the test can drive the server between them; standard
library only (no slack_bolt or slack_sdk here: the chat calls are recorded).
"""

import json
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "python_slack_bolt"))

from attune_client import AlertFollower, AlertPoster, AttuneClient, AttuneError, alert_message  # noqa: E402


def say(**what):
    print(json.dumps(what), flush=True)


class RecordingChat:
    """slack_sdk's WebClient as far as AlertPoster uses it."""

    def __init__(self):
        self.calls = []

    def chat_postMessage(self, **kwargs):
        self.calls.append({"method": "chat.postMessage", **kwargs})
        return {"ok": True, "channel": "C0ALERTS", "ts": f"1600000000.{len(self.calls):06d}"}

    def chat_update(self, **kwargs):
        self.calls.append({"method": "chat.update", **kwargs})
        return {"ok": True}


def main():
    url, token = sys.argv[1], sys.argv[2]
    client = AttuneClient(url, token)
    say(home=client.home_blocks("U0ALICE"))
    try:
        AttuneClient(url, "not-the-read-token-at-all").home_blocks("U0ALICE")
        say(refused=None)
    except AttuneError as error:
        say(refused=str(error))
    say(escaped=alert_message({"id": "x", "instrumentId": "nxt-1", "kind": "bubble", "raisedAt": "2020-09-11T12:00:00.000Z", "resolvedAt": None, "message": "<!channel> look <http://evil|here>", "procedure": "<@U0BOSS>", "well": "<#C1>", "user": "&lt;!here&gt;"}))

    chat = RecordingChat()
    poster = AlertPoster(chat, "C0ALERTS")
    done = threading.Event()
    stop = threading.Event()

    raised = set()

    def on_alert(event, alert):
        poster(event, alert)
        say(alert=event, id=alert["id"])
        if event == "raised":
            raised.add(alert["id"])
        elif alert["id"] in raised:
            done.set()

    follower = AlertFollower(client, on_alert, reconnect_s=0.5)
    original = follower.handle

    def handle(name, data):
        original(name, data)
        if name == "snapshot":
            say(snapshot=sorted(follower.instruments))

    follower.handle = handle
    thread = threading.Thread(target=follower.run, args=(stop,), daemon=True)
    thread.start()
    finished = done.wait(60)
    stop.set()
    say(chat=chat.calls, finished=finished)


if __name__ == "__main__":
    main()
