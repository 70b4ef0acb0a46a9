"""lms.hooks: listeners registered once hear every fire; a failing listener is logged, never raised."""

from __future__ import annotations

import logging

from lms import hooks


def test_listeners_hear_fires_once_each_and_failures_are_logged(caplog):
    heard = []

    def listener(**payload):
        heard.append(payload)

    def broken(**payload):
        raise RuntimeError("no socket server")

    hooks.listen("test_event_for_hooks", listener)
    hooks.listen("test_event_for_hooks", listener)  # registering twice changes nothing
    hooks.listen("test_event_for_hooks", broken)
    with caplog.at_level(logging.ERROR, logger="lms.hooks"):
        hooks.fire("test_event_for_hooks", attempt_id=7)
    hooks.fire("nobody_listens_to_this", attempt_id=8)
    assert heard == [{"attempt_id": 7}]
    assert "hook test_event_for_hooks failed in broken" in caplog.text
