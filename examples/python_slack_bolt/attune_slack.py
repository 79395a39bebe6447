"""Attune in a lab's Python ``slack_bolt`` bot: the instrument cards in the bot's Home tab, and
the alerts posted to a channel. The HTTP and stream client, and the messages, are in
``attune_client.py`` (standard library only); this is the glue to slack_bolt.

    from slack_bolt import App
    from attune_slack import AttuneModule

    app = App(token=..., signing_secret=...)
    attune = AttuneModule(app, "http://attune.lab.internal:8080", read_token=..., alert_channel="C0123ABCD")

    @app.event("app_home_opened")
    def home(client, event):
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [
            *my_own_blocks(), {"type": "divider"}, *attune.home_blocks(event["user"])]})

    attune.start()   # follows the alerts in a thread; attune.stop() at shutdown
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Optional

from slack_bolt import App

from attune_client import AlertFollower, AlertPoster, AttuneClient, AttuneError

log = logging.getLogger("attune")


class AttuneModule:
    def __init__(self, app: App, server_url: str, read_token: Optional[str] = None, alert_channel: Optional[str] = None, state_path: Optional[str] = "attune-slack-state.json") -> None:
        self.client = AttuneClient(server_url, read_token)
        self.stop_event = threading.Event()
        self.thread: Optional[threading.Thread] = None
        self.follower: Optional[AlertFollower] = None
        if alert_channel is not None:
            poster = AlertPoster(app.client, alert_channel, state_path)

            def on_alert(event: str, alert: dict[str, Any]) -> None:
                try:
                    poster(event, alert)
                except Exception:  # a Slack outage must not stop the stream
                    log.exception("attune: alert %s not sent to Slack", alert.get("id"))

            self.follower = AlertFollower(self.client, on_alert, log=log.warning)

        # The "Open dashboard" button is a link; Slack still sends its press, which must be acked.
        @app.action("attune_open_dashboard")
        def _open_dashboard(ack: Any) -> None:
            ack()

    def home_blocks(self, user: str) -> list[dict[str, Any]]:
        """Attune's part of ``user``'s Home tab; a line saying so when the server cannot be reached."""
        try:
            return self.client.home_blocks(user)
        except AttuneError as error:
            log.warning("attune: %s", error)
            return [{"type": "context", "elements": [{"type": "mrkdwn", "text": ":grey_question: The Attune monitor cannot be reached right now."}]}]

    def start(self) -> None:
        if self.follower is not None and self.thread is None:
            self.thread = threading.Thread(target=self.follower.run, args=(self.stop_event,), name="attune-alerts", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
