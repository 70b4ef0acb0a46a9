"""Failed-login limits per account and per address, shared across workers through Redis when set."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


@dataclass
class LoginThrottle:
    limiter: MovingWindowRateLimiter
    per_account: object
    per_address: object

    def blocked_for(self, account: str, address: str) -> int:
        """Seconds until another try is allowed (0 when allowed now)."""
        waits = []
        for item, key in ((self.per_account, f"account:{account}"), (self.per_address, f"address:{address}")):
            if not self.limiter.test(item, "login", key):
                reset_at, _remaining = self.limiter.get_window_stats(item, "login", key)
                waits.append(max(1, int(reset_at - time.time())))
        return max(waits, default=0)

    def record_failure(self, account: str, address: str) -> None:
        self.limiter.hit(self.per_account, "login", f"account:{account}")
        self.limiter.hit(self.per_address, "login", f"address:{address}")

    def clear_account(self, account: str) -> None:
        self.limiter.clear(self.per_account, "login", f"account:{account}")


def init_throttle(app: Flask) -> None:
    uri = app.config["REDIS_URL"] or "memory://"
    storage = storage_from_string(uri)
    app.extensions["login_throttle"] = LoginThrottle(
        limiter=MovingWindowRateLimiter(storage),
        per_account=parse(app.config["LOGIN_LIMIT_PER_ACCOUNT"]),
        per_address=parse(app.config["LOGIN_LIMIT_PER_ADDRESS"]),
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]
