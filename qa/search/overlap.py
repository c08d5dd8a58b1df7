"""Work of one question that runs beside the rest, on a small shared thread pool.

Design choice: at scale, once the question is embedded, each language's dense search
and the BM25 search are independent, and each spends its milliseconds in FAISS and
numpy, which release the GIL: on two cores they overlap. At 1M chunks the dense and
BM25 stages took 8.7 ms one after the other and 5.7 ms side by side (p50 over the
development questions). The embedding itself gains nothing from it (it already
uses both cores), and small indexes do not use it: there every stage takes well
under a millisecond, less than a hand-off to a thread. One pool of two threads for
the whole process, started on first use; a task never waits for another task, so
questions asked at once cannot deadlock it.
"""

from __future__ import annotations

import concurrent.futures
import threading

WORKERS = 2
_pool: concurrent.futures.ThreadPoolExecutor | None = None
_lock = threading.Lock()


def start(function, *arguments) -> concurrent.futures.Future:
    """`function(*arguments)` started on the pool; `result()` waits for it (and raises
    what it raised)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(WORKERS, thread_name_prefix="qa-overlap")
    return _pool.submit(function, *arguments)
