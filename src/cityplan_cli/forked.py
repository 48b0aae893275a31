"""Work shared among processes forked from this one, where the system forks safely (Linux): each
starts with everything this process has loaded, so that nothing is sent to it but which part to do,
and only what it returns comes back. Elsewhere (Windows, macOS), or with one CPU, the work is done
here, part after part."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_PROCESSES = 4
_job: Callable[[Any], Any] | None = None  # what a forked process does with each part it is given
_stop: Any = None  # set when the process that forked them leaves early: the parts left are skipped


def cpus() -> int:
    """The CPUs this process may run on (a container or `taskset` may allow fewer than there are)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def processes() -> int:
    """How many processes a job may use here."""
    if sys.platform != "linux":
        return 1
    return min(cpus(), MAX_PROCESSES)


def _run(part: Any) -> Any:
    assert _job is not None
    if _stop is not None and _stop.is_set():
        return None
    return _job(part)


def _started() -> None:
    """In a forked process: ^C is for the process that started it, which stops it (see Forked)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Forked(Generic[T, R]):
    """`job` over parts, the results in the order of the parts. The processes are forked on entry,
    before this process starts any thread (a progress bar's): a thread's lock held at the fork
    would stay held in the child. On leaving early (an error, ^C) each process finishes the part it
    is on and takes no other: what it had begun to write is finished, nothing half-written. (Ended
    by a signal instead, a process would stop wherever it was, perhaps holding a lock that it then
    waits for as it ends.)

        with Forked(job, processes()) as forked:
            for result in forked.map(parts): ...
    """

    def __init__(self, job: Callable[[T], R], processes: int) -> None:
        self._job = job
        self._processes = processes
        self._pool: Any = None

    def __enter__(self) -> Forked[T, R]:
        global _job, _stop
        if self._processes > 1:
            import multiprocessing

            context = multiprocessing.get_context("fork")
            _job, _stop = self._job, context.Event()
            # What this process holds is left out of the collector's scans in the forked ones: a
            # scan writes to every object it visits, and each page written is copied.
            gc.freeze()
            self._pool = context.Pool(self._processes, _started)
        return self

    def map(self, parts: Sequence[T]) -> Iterator[R]:
        if self._pool is None or len(parts) < 2:
            return map(self._job, parts)
        return self._pool.imap(_run, parts)

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        global _job, _stop
        if self._pool is not None:
            if kind is not None:
                _stop.set()
            self._pool.close()
            self._pool.join()
            gc.unfreeze()
            _job, _stop = None, None


@contextmanager
def aside(pieces: Iterable[bytes], fd: int | None = None) -> Iterator[Callable[[], Iterator[bytes]]]:
    """The bytes `pieces` makes, made in a forked process while this one goes on with the block:
    the function given back waits for them and yields them (kept in memory meanwhile), or, written
    to `fd` (this process's output, flushed first), yields nothing. Where no process is forked,
    they are made when asked for. Leaving the block early ends the forked process.

        with aside(json_chunks(head)) as made:
            tail = work()
            emit(chain(made(), tail))
    """
    if processes() < 2 or not hasattr(os, "memfd_create"):
        yield lambda: iter(pieces)
        return
    import signal

    kept = os.memfd_create("cityplan", os.MFD_CLOEXEC) if fd is None else None
    for stream in (sys.stdout, sys.stderr):  # nothing buffered here is written twice
        stream.flush()
    pid = os.fork()
    if pid == 0:  # the forked process, which leaves by os._exit, never through the caller
        status = 1
        try:
            # ^C is for the process that started this one; ended by it (SIGTERM), this one just ends.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            with open(kept if fd is None else fd, "wb", buffering=1 << 20, closefd=False) as out:
                for piece in pieces:
                    out.write(piece)
            status = 0
        except BrokenPipeError:  # the reader has gone: this process's next write says so
            status = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            os._exit(status)
    waited = False

    def made() -> Iterator[bytes]:
        nonlocal waited
        _, status = os.waitpid(pid, 0)
        waited = True
        if status:  # its own error is on stderr already; a signal (the OOM killer's) is said here
            from cityplan_cli.errors import CityplanError
            from cityplan_cli.i18n import _

            raise CityplanError(
                _(
                    "the process writing the output ended early (status {status}); the output is incomplete"
                ).format(status=os.waitstatus_to_exitcode(status))
            )
        if kept is not None:
            os.lseek(kept, 0, os.SEEK_SET)
            while piece := os.read(kept, 1 << 20):
                yield piece

    try:
        yield made
    finally:
        if not waited:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        if kept is not None:
            os.close(kept)
