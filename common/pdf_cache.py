"""Rendered PDFs kept on disk by the hash of what was rendered (used by common.pdf only).

The key is the SHA-256 of everything a render depends on (:func:`key`): the final HTML (the template filled with
its context, so template name and context are in it), the metadata, the extra CSS, the static assets and the
WeasyPrint version. The same version of a concept is therefore rendered once, however often it is downloaded; any
change gives another key, so nothing is ever invalidated by hand, and a partner's (redacted) PDF can never be served
to anyone whose HTML differs. The key says nothing about the content.

Files live in ``data/pdf-cache/`` (0700, files 0600: they hold data about minors), one ``<key>.<pages>.pdf`` per
render, written atomically. The directory is bounded: entries older than :data:`MAX_AGE` and, beyond
``SIGNAALWERK_PDF_CACHE_MB``, the least recently used ones are removed after each write. ``SIGNAALWERK_PDF_CACHE_MB=0``
turns the cache off. :func:`clear` empties it (what retention and erasure call: a cached concept must not outlive
the data it shows). Stored (frozen) nota PDFs are not cached here: they are in the database, byte for byte.

Everything here is blocking file I/O: call it in a worker thread or in the render process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

from settings import BASE_DIR

#: Tests may monkeypatch it; the render process gets it as an argument.
CACHE_DIR: Path = BASE_DIR / "data" / "pdf-cache"
MAX_AGE = dt.timedelta(hours=24)
#: Bump to drop every entry after a change in how PDFs are made that the key does not see.
VERSION = "1"


def key(*parts: str | bytes) -> str:
    """SHA-256 over the parts, each prefixed by its length (no two different lists give the same bytes)."""
    digest = hashlib.sha256(VERSION.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _entry(directory: Path, cache_key: str) -> Path | None:
    return next(iter(directory.glob(f"{cache_key}.*.pdf")), None)


def get(cache_key: str, directory: Path | None = None) -> tuple[bytes, int] | None:
    """The cached PDF bytes and page count for this key, or None."""
    directory = CACHE_DIR if directory is None else directory
    try:
        path = _entry(directory, cache_key)
        if path is None:
            return None
        if time.time() - path.stat().st_mtime > MAX_AGE.total_seconds():
            path.unlink(missing_ok=True)
            return None
        data = path.read_bytes()
        os.utime(path)  # recently used: evicted last
        return data, int(path.name.split(".")[1])
    except (OSError, ValueError, IndexError):
        return None


def put(cache_key: str, pdf: bytes, pages: int, directory: Path, max_bytes: int) -> None:
    """Keep a render, then bound the directory. Never raises: a cache that cannot write just renders again."""
    if max_bytes <= 0 or len(pdf) > max_bytes:
        return
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)
        temporary = directory / f".{cache_key}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        os.replace(temporary, directory / f"{cache_key}.{pages}.pdf")
        _bound(directory, max_bytes)
    except OSError:
        return


def _bound(directory: Path, max_bytes: int) -> None:
    now = time.time()
    entries = []
    for path in directory.glob("*.pdf"):
        try:
            info = path.stat()
        except OSError:
            continue
        if now - info.st_mtime > MAX_AGE.total_seconds():
            path.unlink(missing_ok=True)
        else:
            entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size


def clear(directory: Path | None = None) -> int:
    """Remove every cached PDF; returns how many."""
    directory = CACHE_DIR if directory is None else directory
    removed = 0
    for path in (*directory.glob("*.pdf"), *directory.glob(".*.tmp")):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
