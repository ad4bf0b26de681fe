"""The bounded pool in which every PDF is rendered (used by common.pdf only).

WeasyPrint is CPU-bound and keeps its memory: a 300-page nota took 45 s and 1.5–2 GB, and two of them in the
server's threads slowed `/health` to 18.7 s. So a render never runs in the server process:

* it runs in a worker **process** of a ``ProcessPoolExecutor`` with ``SIGNAALWERK_PDF_WORKERS`` workers (default 1),
  recycled after :data:`TASKS_PER_CHILD` renders so the memory WeasyPrint keeps goes back to the system; the
  workers fork from a server process that has imported WeasyPrint once (``forkserver``), so a recycled worker starts
  quickly; they run at a lower CPU priority than the server (``os.nice``), so on a busy machine a request that does
  not need a PDF still goes first. The event loop only awaits the result.
* at most ``workers + SIGNAALWERK_PDF_QUEUE`` renders are accepted at a time (running or waiting); one more is
  refused at once with :class:`PdfBusy`: 503, ``Retry-After`` and the Dutch "even geduld" page (JSON on the API).
* a render that is already under way for the same content (the same key) is joined, not started twice.

A caller that goes away (a closed browser tab) does not free its slot before the worker has finished: the slot
counts work, not waiting requests.
"""

from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template

from common.errors import wants_json

logger = logging.getLogger("signaalwerk.pdf")

#: Renders per worker process before it is replaced (and its memory returned).
TASKS_PER_CHILD = 10
#: The first guess of how long a render takes, for Retry-After before any render finished.
FIRST_GUESS_SECONDS = 10.0
MAX_RETRY_AFTER = 300
#: How much nicer (lower CPU priority) a worker process is than the server.
WORKER_NICENESS = 10


def busy_message(seconds: int) -> str:
    return (f"Er worden nu veel documenten tegelijk gemaakt. Even geduld: probeer het over {seconds} seconden "
            "opnieuw.")


def _lower_priority() -> None:
    """In each worker process: a lower CPU priority, so the server's own requests go first on a busy machine."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass


class PdfBusy(HTTPException):
    """503: the pool is full. Carries Retry-After (seconds)."""

    status_code = 503

    def __init__(self, retry_after: int) -> None:
        super().__init__(detail=busy_message(retry_after), status_code=503,
                         headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class RenderPool:
    """At most ``workers`` renders at once in worker processes, ``queue`` more waiting, the rest refused."""

    def __init__(self, workers: int, queue: int, tasks_per_child: int = TASKS_PER_CHILD) -> None:
        self.workers, self.queue, self.tasks_per_child = max(1, workers), max(0, queue), tasks_per_child
        self.busy = 0  # renders accepted and not finished (running or waiting)
        self.started = 0  # renders ever handed to a worker (tests count them)
        self._mean = FIRST_GUESS_SECONDS
        self._executor: ProcessPoolExecutor | None = None
        self._running: dict[str, asyncio.Task] = {}

    @property
    def capacity(self) -> int:
        return self.workers + self.queue

    def retry_after(self) -> int:
        """Seconds until a slot is probably free: how long a render recently took from acceptance to result."""
        return min(MAX_RETRY_AFTER, max(1, math.ceil(self._mean)))

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["common.pdf", "weasyprint"])
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                                 max_tasks_per_child=self.tasks_per_child, initializer=_lower_priority)
        return self._executor

    async def run(self, key: str, job: Callable[..., Any], *args: Any) -> Any:
        """``job(*args)`` in a worker process; joins a running job with the same key; PdfBusy when full."""
        task = self._running.get(key)
        if task is None:
            if self.busy >= self.capacity:
                raise PdfBusy(self.retry_after())
            self.busy += 1
            task = asyncio.ensure_future(self._execute(key, job, args))
            self._running[key] = task
        return await asyncio.shield(task)

    async def _execute(self, key: str, job: Callable[..., Any], args: tuple) -> Any:
        start = time.monotonic()
        try:
            self.started += 1
            result = await asyncio.wrap_future(self._pool().submit(job, *args))
            self._mean = 0.7 * self._mean + 0.3 * (time.monotonic() - start)
            return result
        except BrokenProcessPool:
            logger.exception("PDF worker process died; starting a new pool")
            self._executor = None
            raise
        finally:
            self.busy -= 1
            self._running.pop(key, None)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


_pool: RenderPool | None = None


def pool() -> RenderPool:
    """The process's one pool, sized from the settings (SIGNAALWERK_PDF_WORKERS, SIGNAALWERK_PDF_QUEUE)."""
    global _pool
    if _pool is None:
        from settings import get_settings

        settings = get_settings()
        _pool = RenderPool(settings.pdf_workers, settings.pdf_queue)
    return _pool


def shutdown() -> None:
    """Stop the worker processes (the app's lifespan calls it at exit)."""
    global _pool
    if _pool is not None:
        _pool.shutdown()
        _pool = None


def busy_response(request: Request, exc: PdfBusy) -> Response:
    """The answer to a full pool: the Dutch "even geduld" page, or JSON on the API; always with Retry-After."""
    headers = {"Retry-After": str(exc.retry_after)}
    if wants_json(request):
        return Response({"detail": exc.detail, "status_code": 503}, status_code=503, media_type=MediaType.JSON,
                        headers=headers)
    return Template("errors/even-geduld.html", context={"status": 503, "detail": exc.detail,
                                                        "seconden": exc.retry_after},
                    status_code=503, media_type=MediaType.HTML, headers=headers)
