"""Time limits for work that cannot be interrupted from inside (an embedded SPARQL query).

Oxigraph's embedded engine has no query timeout, so a query that would run for ever is run
in a forked child process that the parent stops when time is up. The child shares the
parent's open store (read-only use) through copy-on-write memory, so starting it is cheap.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from carrierkg.graph.errors import CarrierKGError, QueryTimeoutError

__all__ = ["call_with_timeout"]

T = TypeVar("T")


def call_with_timeout(fn: Callable[[], T], timeout: float | None, *, what: str = "the query") -> T:
    """Run ``fn()`` and return its (picklable) result, stopping it after ``timeout`` seconds.

    A :class:`CarrierKGError` raised by ``fn`` is raised again here; any other failure of the
    child becomes a :class:`CarrierKGError` with its message. ``timeout=None`` runs ``fn``
    in this process.

    Examples
    --------
    >>> call_with_timeout(lambda: b"done", 5)
    b'done'
    >>> call_with_timeout(lambda: time.sleep(10) or b"late", 0.2)
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.QueryTimeoutError: the query ran longer than 0.2 s and was stopped
    """
    if timeout is None or timeout <= 0:
        return fn()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send (ok, payload), leave without cleanup handlers
        os.close(read_fd)
        try:
            payload = pickle.dumps((True, fn()))
        except CarrierKGError as exc:
            payload = pickle.dumps((False, exc))
        except BaseException as exc:
            payload = pickle.dumps((False, CarrierKGError(f"{type(exc).__name__}: {exc}")))
        try:
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeoutError(f"{what} ran longer than {timeout:g} s and was stopped")
                ready, _, _ = select.select([pipe], [], [], left)
                if not ready:
                    continue
                chunk = pipe.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        _reap(pid)
    if not chunks:
        raise CarrierKGError(f"{what} failed: the worker process ended without an answer")
    ok, value = pickle.loads(b"".join(chunks))
    if not ok:
        raise value
    return value


def _reap(pid: int) -> None:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
