"""Who is connected to which class room now: in memory for one process, in Redis when several share rooms."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

# A Redis entry outlives a socket server that died without saying goodbye by this long at most.
REDIS_TTL_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Seat:
    """One socket in one class room."""

    class_id: int
    user_id: int
    staff: bool


class MemoryPresence:
    """Presence for one process (the embedded default of `make run`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, list[Seat]] = defaultdict(list)

    def add(self, sid: str, seat: Seat) -> None:
        with self._lock:
            if seat not in self._by_sid[sid]:
                self._by_sid[sid].append(seat)

    def remove(self, sid: str) -> list[Seat]:
        """Forget a socket; returns the seats it held."""
        with self._lock:
            return self._by_sid.pop(sid, [])

    def connected(self, class_id: int) -> dict[int, bool]:
        """user id -> staff? for everyone with at least one socket in the class room."""
        with self._lock:
            return {s.user_id: s.staff for seats in self._by_sid.values() for s in seats if s.class_id == class_id}

    def any_staff(self) -> bool:
        """Whether any trainer (or organiser, administrator) watches any room of this server now."""
        with self._lock:
            return any(s.staff for seats in self._by_sid.values() for s in seats)

    def clear(self) -> None:
        with self._lock:
            self._by_sid.clear()


class RedisPresence:
    """Presence shared by every process through Redis: one hash per class room, sid -> "user:staff"."""

    def __init__(self, url: str, prefix: str = "lms:room") -> None:
        import redis

        self._redis = redis.Redis.from_url(url, decode_responses=True)
        self._prefix = prefix
        self._staff_key = f"{prefix}:staff"  # sid -> class id of every staff socket, for a cheap "anyone watching?"

    def _room_key(self, class_id: int) -> str:
        return f"{self._prefix}:{class_id}:presence"

    def _sid_key(self, sid: str) -> str:
        return f"{self._prefix}:sid:{sid}"

    def add(self, sid: str, seat: Seat) -> None:
        pipe = self._redis.pipeline()
        pipe.hset(self._room_key(seat.class_id), sid, f"{seat.user_id}:{int(seat.staff)}")
        pipe.expire(self._room_key(seat.class_id), REDIS_TTL_SECONDS)
        pipe.sadd(self._sid_key(sid), seat.class_id)
        pipe.expire(self._sid_key(sid), REDIS_TTL_SECONDS)
        if seat.staff:
            pipe.hset(self._staff_key, sid, seat.class_id)
            pipe.expire(self._staff_key, REDIS_TTL_SECONDS)
        pipe.execute()

    def remove(self, sid: str) -> list[Seat]:
        seats = []
        for class_id in self._redis.smembers(self._sid_key(sid)):
            value = self._redis.hget(self._room_key(int(class_id)), sid)
            self._redis.hdel(self._room_key(int(class_id)), sid)
            if value:
                user_id, staff = value.split(":")
                seats.append(Seat(int(class_id), int(user_id), staff == "1"))
        self._redis.delete(self._sid_key(sid))
        self._redis.hdel(self._staff_key, sid)
        return seats

    def connected(self, class_id: int) -> dict[int, bool]:
        found: dict[int, bool] = {}
        for value in self._redis.hvals(self._room_key(class_id)):
            user_id, staff = value.split(":")
            found[int(user_id)] = staff == "1"
        return found

    def any_staff(self) -> bool:
        return bool(self._redis.hlen(self._staff_key))

    def clear(self) -> None:
        for key in self._redis.scan_iter(f"{self._prefix}:*"):
            self._redis.delete(key)


def make_presence(redis_url: str | None):
    return RedisPresence(redis_url) if redis_url else MemoryPresence()
