"""One crawl (or merge) per database at a time.

The lock is an ``flock`` on ``<db>.lock`` next to the database's real file (symlinks
and ``..`` resolved: a symlink or a second spelling of the path let two crawls write
one database, issue 17). The kernel releases it when the process dies, even by
SIGKILL, so a crashed crawl never leaves a stale lock behind; a run that ends removes
the file. Removing a lock file is safe only together with a check on the other side:
whoever takes the lock checks that the file it locked is still the one at the path,
and tries again if it was removed meanwhile.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DatabaseLockedError(RuntimeError):
    """Another process is crawling into (or merging into) the same database."""


def lock_path(db_path: str | Path) -> Path:
    """The lock file of a database: next to its real file, whatever the path's spelling."""
    real = Path(db_path).resolve()
    return real.with_name(real.name + ".lock")


class DatabaseLock:
    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path).resolve()
        self.path = lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        while self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise DatabaseLockedError(
                    f"{self.db_path} is in use by another filmcrawl crawl or merge "
                    f"(pid {holder}); wait for it to finish or stop it first"
                ) from None
            if not _same_file(fd, self.path):
                os.close(fd)  # removed by the holder that just finished: take the new one
                continue
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
            self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        # Removed while still held: nobody can have locked the file at the path since.
        if _same_file(self._fd, self.path):
            self.path.unlink(missing_ok=True)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


_HELD: dict[Path, DatabaseLock] = {}


def lock_database(db_path: str | Path) -> DatabaseLock:
    """Acquire (or reuse, within this process) the lock for ``db_path``."""
    key = lock_path(db_path)
    lock = _HELD.get(key)
    if lock is None or not lock.held:
        lock = DatabaseLock(db_path)
        lock.acquire()
        _HELD[key] = lock
    return lock


def unlock_database(db_path: str | Path) -> None:
    lock = _HELD.pop(lock_path(db_path), None)
    if lock is not None:
        lock.release()
