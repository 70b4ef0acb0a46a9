"""After-commit hooks: a feature tells others that something committed, without importing them."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

log = logging.getLogger(__name__)
_listeners: dict[str, list[Callable[..., None]]] = defaultdict(list)


def listen(name: str, listener: Callable[..., None]) -> None:
    """Call `listener(**payload)` whenever `fire(name, ...)` runs (registered once, at app start)."""
    if listener not in _listeners[name]:
        _listeners[name].append(listener)


def fire(name: str, **payload) -> None:
    """Tell the listeners; call it only after the change committed. A failing listener is logged, never raised:
    the change it reports has already happened."""
    for listener in list(_listeners.get(name, ())):
        try:
            listener(**payload)
        except Exception:  # a live view missing one update must not turn a saved answer into an error
            log.exception("hook %s failed in %s", name, getattr(listener, "__name__", listener))
