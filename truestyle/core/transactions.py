"""MongoDB transactions that survive write conflicts: `mongo_atomic`, `@transactional`, `run_in_mongo_transaction`.

django-mongodb-backend's `atomic(using="mongodb")` starts one transaction and commits it, nothing
more. MongoDB, though, aborts transactions on write conflicts and other transient faults and
expects the client to run the whole transaction again (ARCHITECTURE.md, "Databases"). And
django-mongodb-backend 6.1.0 keeps the dead session after a failed commit, so that every later
`atomic()` on that connection silently runs without a transaction (fact 10). This module wraps
`atomic()` with both handled:

    order = mongo_atomic(order_place, cart=cart)                  # call form: runs now
    order = mongo_atomic(order_place, cart=cart, attempts=8)      # with options
    order = run_in_mongo_transaction(lambda: order_place(cart=cart))  # a closure

    @transactional                                                # decorator form
    def stock_reserve(*, variant_id, quantity): ...

    @transactional(attempts=8)
    def coupon_redeem(*, code, order_id): ...

`mongo_atomic` reserves the keyword arguments `attempts`, `base_delay`, `max_delay` and `using`
for itself; pass a function that needs those names through `run_in_mongo_transaction` and a
lambda. `mongo_atomic` always runs the function at once: it is not a decorator (that is
`transactional`), so `@mongo_atomic` on a `def` would run it at import.

There is deliberately no context-manager form: a `with` block cannot be run a second time, and
running the work again is the whole point.

What it promises:

- The function runs inside one MongoDB transaction: its writes are committed together or not at
  all, and reads inside it see its own writes.
- A transient error (a driver error labelled "TransientTransactionError", such as a write
  conflict, raised by the function or by the commit, or found in the `__cause__`/`__context__`
  chain of the error raised, as when Django wraps it) rolls back and runs the function again, up
  to `attempts` runs in all, with exponential backoff and full jitter between them. So the
  function must be safe to run again: side effects outside MongoDB (mail, payment gateways,
  Celery) belong in `on_mongo_commit` callbacks.
- A commit whose outcome is unknown ("UnknownTransactionCommitResult": the reply was lost or the
  write concern timed out) is retried as a commit of the same transaction, never by running the
  function again, which could apply the work twice.
- Any other exception rolls back and propagates unchanged (a domain error, an IntegrityError).
- A MongoDB that cannot be reached ends the retries at once: pymongo labels a failed server
  selection inside a transaction "TransientTransactionError", but each further run would only
  wait out `serverSelectionTimeoutMS` again. The driver's error propagates (the front doors answer
  503 "database_unavailable"), or `TransactionOutcomeUnknown` when it was the commit that could not
  be confirmed. A connection dropped mid-transaction is still run again, as the spec asks: the
  next run either finds the server back or fails its server selection and stops.
- Out of attempts: `TransactionAborted` (nothing was written) or, when the last commit's outcome
  is unknown, `TransactionOutcomeUnknown` (it may have been applied). The driver's last error is
  the `__cause__`.
- Called inside a transaction already open on the same connection, it joins it: no new
  transaction, no savepoint (MongoDB has none), no retries of its own. An error propagates to
  the outermost call, which rolls back and, if it is transient, runs everything again.
- Callbacks registered with `on_mongo_commit` (or Django's `on_commit(..., using="mongodb")`)
  run once, in registration order, after the commit succeeded, outside the transaction. An
  attempt that rolls back or is retried drops its callbacks. As with Django's `on_commit`, a
  failing callback that is not `robust` propagates (the data is committed by then) and the
  callbacks after it do not run.
- Before it starts, and before every retry, the connection's transaction state is reset, so a
  dead session left by an earlier failed commit never turns the transaction into autocommit
  writes (fact 10).

Connections are per thread in Django, so each thread gets its own transactions.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, overload

from django.db import connections
from django_mongodb_backend.transaction import atomic
from pymongo.errors import PyMongoError, ServerSelectionTimeoutError

from truestyle.core.db_router import MONGO_DATABASE
from truestyle.core.errors import TransactionAborted, TransactionOutcomeUnknown

logger = logging.getLogger(__name__)

TRANSIENT_TRANSACTION_ERROR = "TransientTransactionError"
UNKNOWN_COMMIT_RESULT = "UnknownTransactionCommitResult"

# Five runs with a 20 ms base wait at most 20+40+80+160 ms (full jitter halves that on average):
# enough for ordinary contention without holding a web request for long. Hot counters under a
# flash sale may ask for more.
DEFAULT_ATTEMPTS = 5
DEFAULT_BASE_DELAY = 0.02
DEFAULT_MAX_DELAY = 0.5


def run_in_mongo_transaction[T](
    fn: Callable[[], T],
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    base_delay: float = DEFAULT_BASE_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
    using: str = MONGO_DATABASE,
) -> T:
    """Run `fn()` in a MongoDB transaction and return its result (see the module docstring).

    `attempts` bounds the runs of `fn` and the commits together; `base_delay` and `max_delay`
    (seconds) shape the backoff: before retry n it sleeps a random time up to
    min(max_delay, base_delay * 2 ** (n - 1)).
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    connection = connections[using]
    if connection.in_atomic_block_mongo:
        # Join the caller's transaction: MongoDB has no savepoints, so a nested block cannot roll
        # back on its own, and only the outermost call can run the whole work again.
        with atomic(using):
            return fn()

    if connection.session is not None or connection.run_on_commit:
        # Outside any atomic block a session can only be the leftover of a failed commit (fact 10).
        logger.warning("discarding a MongoDB session left behind by an earlier failed commit")
        mongo_session_reset(using=using)

    attempt: _Attempt | None = None
    last_error: BaseException | None = None
    for number in range(1, attempts + 1):
        if number > 1:
            time.sleep(_backoff(number - 1, base_delay, max_delay))
        if attempt is not None and attempt.commit_error is not None:
            # Only reached for an unknown commit result: the session still holds the transaction.
            _commit_again(connection, attempt)
        else:
            try:
                attempt = _run_attempt(connection, fn, using)
            except Exception as error:
                # atomic() has already rolled back; the reset covers a rollback that itself failed.
                mongo_session_reset(using=using)
                if not _has_label(error, TRANSIENT_TRANSACTION_ERROR) or _server_unreachable(error):
                    raise
                last_error, attempt = error, None
                _log_retry(number, attempts, error)
                continue

        if attempt.commit_error is None:
            _run_commit_callbacks(connection, attempt.callbacks)
            return attempt.result

        last_error = attempt.commit_error
        if _has_label(last_error, UNKNOWN_COMMIT_RESULT):
            if connection.session is None or _server_unreachable(last_error):
                # Nothing left to commit again (or no server to send it to), and running fn again
                # could apply it twice.
                mongo_session_reset(using=using)
                raise TransactionOutcomeUnknown(attempts=number) from last_error
            # Keep the session: only another commitTransaction can tell whether it was applied.
            _log_retry(number, attempts, last_error)
            continue
        mongo_session_reset(using=using)
        if not _has_label(last_error, TRANSIENT_TRANSACTION_ERROR) or _server_unreachable(last_error):
            raise last_error
        attempt = None
        _log_retry(number, attempts, last_error)

    mongo_session_reset(using=using)
    logger.warning("MongoDB transaction given up after %s attempts: %s", attempts, last_error)
    if _has_label(last_error, UNKNOWN_COMMIT_RESULT):
        raise TransactionOutcomeUnknown(attempts=attempts) from last_error
    raise TransactionAborted(attempts=attempts) from last_error


def mongo_atomic[T](
    fn: Callable[..., T],
    /,
    *args: Any,
    attempts: int = DEFAULT_ATTEMPTS,
    base_delay: float = DEFAULT_BASE_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
    using: str = MONGO_DATABASE,
    **kwargs: Any,
) -> T:
    """Run `fn(*args, **kwargs)` in a MongoDB transaction, retried as the module docstring says.

    Returns what `fn` returns. The options are those of `run_in_mongo_transaction`.
    """
    return run_in_mongo_transaction(
        functools.partial(fn, *args, **kwargs),
        attempts=attempts, base_delay=base_delay, max_delay=max_delay, using=using,
    )


@overload
def transactional[**P, T](fn: Callable[P, T], /) -> Callable[P, T]: ...


@overload
def transactional[**P, T](
    *, attempts: int = ..., base_delay: float = ..., max_delay: float = ..., using: str = ...
) -> Callable[[Callable[P, T]], Callable[P, T]]: ...


def transactional[**P, T](
    fn: Callable[P, T] | None = None,
    /,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    base_delay: float = DEFAULT_BASE_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
    using: str = MONGO_DATABASE,
):
    """Decorator: every call of the function runs in its own retried MongoDB transaction.

    Use it bare (`@transactional`) or with options (`@transactional(attempts=8)`). Called from
    inside a transaction, the function joins it.
    """

    def decorate(func: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            return run_in_mongo_transaction(
                functools.partial(func, *args, **kwargs),
                attempts=attempts, base_delay=base_delay, max_delay=max_delay, using=using,
            )

        return wrapper

    return decorate(fn) if fn is not None else decorate


def on_mongo_commit(func: Callable[[], Any], *, robust: bool = False, using: str = MONGO_DATABASE) -> None:
    """Run `func` once the current MongoDB transaction has committed.

    Dropped if the transaction rolls back or its attempt is retried; run at once when no
    transaction is open (Django's `on_commit` semantics). `robust` callbacks that fail are logged
    instead of raising.
    """
    connections[using].on_commit(func, robust=robust)


def mongo_session_reset(*, using: str = MONGO_DATABASE) -> None:
    """Forget this thread's MongoDB transaction state, ending the session if there is one.

    django-mongodb-backend 6.1.0 keeps the session of a failed commit and then skips starting a
    transaction because a session exists (fact 10). After this, the next `atomic()` starts a
    real transaction. Pending commit callbacks are dropped. `run_in_mongo_transaction` calls it
    itself; call it directly only to recover a connection that a plain `atomic()` left broken.
    """
    connection = connections[using]
    session, connection.session = connection.session, None
    connection.in_atomic_block_mongo = False
    connection.nested_atomics = 0
    connection.run_on_commit = []
    if session is not None:
        try:
            # Aborts a transaction still open on the server and returns the session to the pool.
            session.end_session()
        except Exception as error:  # noqa: BLE001
            # The session is dead either way; failing to end it must not hide the real error.
            logger.debug("ending a dead MongoDB session failed: %s", error)


@dataclass
class _Attempt:
    result: Any = None
    callbacks: list = field(default_factory=list)
    # Set when the function finished but its commit failed.
    commit_error: BaseException | None = None


def _run_attempt(connection, fn: Callable[[], Any], using: str) -> _Attempt:
    """One run of `fn` and its commit. Errors from `fn` propagate; a commit error is returned."""
    attempt = _Attempt()
    finished = False
    try:
        with atomic(using):
            attempt.result = fn()
            # Take the callbacks out before atomic() commits, so that they run only once we know
            # the commit succeeded (possibly after a commit retry), and a callback's own failure
            # can never be mistaken for a failed commit.
            attempt.callbacks, connection.run_on_commit = connection.run_on_commit, []
            finished = True
    except Exception as error:
        if not finished:
            raise
        attempt.commit_error = error
    return attempt


def _commit_again(connection, attempt: _Attempt) -> None:
    """Retry the commit of the transaction still held by the connection's session."""
    try:
        # The driver re-sends commitTransaction with w: "majority", as the transactions spec asks.
        connection.commit_mongo()
    except Exception as error:  # noqa: BLE001 - judged by its labels, like the first commit's error
        attempt.commit_error = error
    else:
        attempt.commit_error = None


def _run_commit_callbacks(connection, callbacks: list) -> None:
    # Django's own runner keeps its semantics: order, robust callbacks logged, the rest raising.
    connection.run_on_commit = callbacks
    connection.run_and_clear_commit_hooks()


def _driver_errors(error: BaseException | None) -> list[PyMongoError]:
    """The pymongo errors in `error`'s chain, nearest first, following `__cause__` and `__context__`.

    Django wraps the driver's errors (`raise DatabaseError(...) from exc`: `__cause__`); code that
    raises another error while handling one leaves it in `__context__`; commit errors arrive raw.
    """
    found: list[PyMongoError] = []
    seen: set[int] = set()
    pending = [error]
    while pending and len(seen) < 20:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PyMongoError):
            found.append(current)
        pending.extend((current.__cause__, current.__context__))
    return found


def _has_label(error: BaseException | None, label: str) -> bool:
    return any(driver_error.has_error_label(label) for driver_error in _driver_errors(error))


def _server_unreachable(error: BaseException | None) -> bool:
    # The driver already waited serverSelectionTimeoutMS for a server and found none.
    return any(isinstance(driver_error, ServerSelectionTimeoutError) for driver_error in _driver_errors(error))


def _backoff(retry: int, base_delay: float, max_delay: float) -> float:
    # Full jitter: contenders that failed together spread out instead of colliding again.
    return random.uniform(0, min(max_delay, base_delay * 2 ** (retry - 1)))


def _log_retry(number: int, attempts: int, error: BaseException) -> None:
    if number < attempts:
        logger.info("MongoDB transaction attempt %s of %s failed transiently, retrying: %s", number, attempts, error)
