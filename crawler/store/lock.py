"""One crawl per database at a time.

The lock is an ``flock`` on ``<db>.lock``: the kernel releases it when the process dies,
even by SIGKILL, so a crashed crawl never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DatabaseLockedError(RuntimeError):
    """Another process is crawling into the same database."""


class DatabaseLock:
    def __init__(self, db_path: str | Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise DatabaseLockedError(
                f"{self.path.with_suffix('')} is in use by another filmcrawl crawl "
                f"(pid {holder}); wait for it to finish or stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


_HELD: dict[str, DatabaseLock] = {}


def lock_database(db_path: str | Path) -> DatabaseLock:
    """Acquire (or reuse, within this process) the lock for ``db_path``."""
    key = str(Path(db_path).resolve())
    lock = _HELD.get(key)
    if lock is None or not lock.held:
        lock = DatabaseLock(db_path)
        lock.acquire()
        _HELD[key] = lock
    return lock


def unlock_database(db_path: str | Path) -> None:
    lock = _HELD.pop(str(Path(db_path).resolve()), None)
    if lock is not None:
        lock.release()
