"""`mongo_atomic`, `@transactional`, `run_in_mongo_transaction`: commit, rollback, retries, fact 10, callbacks, concurrency.

Faults are injected, never the database mocked: a block raises a real pymongo error carrying
the server's error label, or the driver's commit step is made to lose its reply after the server
really aborted (or really committed) the transaction.
"""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connections
from django.db.models import F
from django_mongodb_backend.transaction import atomic
from pymongo.errors import InvalidOperation, OperationFailure, WTimeoutError
from pymongo.synchronous.client_session import ClientSession

from truestyle.core.errors import TransactionAborted, TransactionOutcomeUnknown
from truestyle.core.tests.ormapp.models import Brand, Product, Sale, Variant
from truestyle.core.transactions import (
    mongo_atomic,
    mongo_session_reset,
    on_mongo_commit,
    run_in_mongo_transaction,
    transactional,
)

MONGO = "mongodb"


class SoldOut(Exception):
    pass


def _variant(*, stock: int = 5, sku: str = "TEE-M") -> Variant:
    brand = Brand.objects.create(name="Acme")
    product = Product.objects.create(name="Tee", brand=brand, price=Decimal("499.00"))
    return Variant.objects.create(product=product, sku=sku, size="M", stock=stock)


def _transient_error() -> OperationFailure:
    """What MongoDB answers to a write that conflicts with another transaction."""
    return OperationFailure(
        "WriteConflict error: this operation conflicted with another operation. Please retry your operation.",
        code=112,
        details={"ok": 0.0, "code": 112, "codeName": "WriteConflict", "errorLabels": ["TransientTransactionError"]},
    )


def _sell(variant: Variant, buyer: str) -> Sale:
    """The store's checkout step: a guarded decrement, then the sale, in the caller's transaction."""
    if Variant.objects.filter(pk=variant.pk, stock__gte=1).update(stock=F("stock") - 1) == 0:
        raise SoldOut(variant.sku)
    return Sale.objects.create(variant_id=variant.pk, quantity=1, buyer=buyer)


def _stock(variant: Variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


@contextlib.contextmanager
def commit_reply_lost(monkeypatch, *, applied: bool, times: int = 1):
    """Make the next `times` commitTransaction commands fail the way MongoDB fails them.

    applied=False: the server aborts the transaction (as after a write conflict or the lifetime
    limit) and the client gets NoSuchTransaction with the TransientTransactionError label.
    applied=True: the server commits, but the client gets a write-concern timeout, which the
    driver labels UnknownTransactionCommitResult.
    """
    real_finish = ClientSession._finish_transaction
    remaining = {"commits": times}

    def finish(self, conn, command_name):
        if command_name != "commitTransaction" or remaining["commits"] == 0:
            return real_finish(self, conn, command_name)
        remaining["commits"] -= 1
        if applied:
            real_finish(self, conn, "commitTransaction")
            raise WTimeoutError(
                "waiting for replication timed out",
                code=64,
                details={"ok": 1.0, "writeConcernError": {"code": 64, "errmsg": "waiting for replication timed out"}},
            )
        real_finish(self, conn, "abortTransaction")
        raise OperationFailure(
            "Transaction with { txnNumber: 1 } has been aborted.",
            code=251,
            details={"ok": 0.0, "code": 251, "codeName": "NoSuchTransaction",
                     "errorLabels": ["TransientTransactionError"]},
        )

    monkeypatch.setattr(ClientSession, "_finish_transaction", finish)
    yield remaining
    monkeypatch.setattr(ClientSession, "_finish_transaction", real_finish)


# --- commit and rollback ---------------------------------------------------------------------


def test_commit_keeps_every_write_and_returns_the_result(db):
    # given
    variant = _variant(stock=5)

    # when
    sale = run_in_mongo_transaction(lambda: _sell(variant, "asha"))

    # then
    assert list(Sale.objects.values_list("pk", "buyer", "quantity")) == [(sale.pk, "asha", 1)]
    assert _stock(variant) == 4
    assert connections[MONGO].session is None


def test_the_call_form_passes_arguments_and_options_and_returns_the_result(db):
    # given
    variant = _variant(stock=5)
    calls = []

    def checkout(item, buyer, *, quantity):
        calls.append(buyer)
        sale = _sell(item, buyer)
        if len(calls) == 1:
            raise _transient_error()
        return (sale.buyer, quantity)

    # when: positional and keyword arguments go to the function, the options to the retries
    result = mongo_atomic(checkout, variant, "asha", quantity=1, attempts=2, base_delay=0.001)

    # then
    assert result == ("asha", 1)
    assert calls == ["asha", "asha"]
    assert list(Sale.objects.values_list("buyer", flat=True)) == ["asha"]
    assert _stock(variant) == 4


def test_the_call_form_gives_up_after_its_attempts(db):
    # given
    variant = _variant(stock=5)
    calls = []

    def checkout(item, buyer):
        calls.append(buyer)
        _sell(item, buyer)
        raise _transient_error()

    # when
    with pytest.raises(TransactionAborted):
        mongo_atomic(checkout, variant, "asha", attempts=2, base_delay=0.001)

    # then
    assert calls == ["asha", "asha"]
    assert Sale.objects.count() == 0
    assert _stock(variant) == 5


def test_the_decorator_passes_arguments_and_returns_the_result(db):
    # given
    variant = _variant(stock=2)

    @transactional
    def checkout(item, *, buyer):
        return _sell(item, buyer).buyer

    @transactional(attempts=2)
    def checkout_with_options(item, *, buyer):
        return _sell(item, buyer).buyer

    # when
    buyers = [checkout(variant, buyer="asha"), checkout_with_options(variant, buyer="ravi")]

    # then
    assert buyers == ["asha", "ravi"]
    assert checkout.__name__ == "checkout"
    assert sorted(Sale.objects.values_list("buyer", flat=True)) == ["asha", "ravi"]
    assert _stock(variant) == 0


def test_an_exception_rolls_back_every_write_and_propagates_unchanged(db):
    # given
    variant = _variant(stock=5)
    calls = []

    def sell_then_fail():
        calls.append(1)
        _sell(variant, "asha")
        raise ValueError("payment declined")

    # when
    with pytest.raises(ValueError, match="payment declined"):
        run_in_mongo_transaction(sell_then_fail)

    # then: not retried, nothing written
    assert len(calls) == 1
    assert Sale.objects.count() == 0
    assert _stock(variant) == 5
    assert connections[MONGO].session is None


def test_a_database_error_that_is_not_transient_is_not_retried(db):
    # given
    variant = _variant(stock=5, sku="TEE-M")
    calls = []

    def sell_then_duplicate_the_sku():
        calls.append(1)
        _sell(variant, "asha")
        Variant.objects.create(product_id=variant.product_id, sku="TEE-M", size="L", stock=1)

    # when
    with pytest.raises(IntegrityError):
        run_in_mongo_transaction(sell_then_duplicate_the_sku)

    # then
    assert len(calls) == 1
    assert Sale.objects.count() == 0
    assert list(Variant.objects.values_list("sku", "stock")) == [("TEE-M", 5)]


def test_attempts_must_be_at_least_one(db):
    with pytest.raises(ValueError, match="attempts must be at least 1"):
        run_in_mongo_transaction(lambda: None, attempts=0)


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raised_as", ["driver", "cause", "context"],
                         ids=["driver-error", "django-database-error", "raised-while-handling"])
def test_a_transient_error_runs_the_whole_function_again(db, raised_as):
    # given: the first run writes, then hits a write conflict
    variant = _variant(stock=5)
    calls = []

    def sell():
        calls.append(1)
        sale = _sell(variant, f"attempt-{len(calls)}")
        if len(calls) == 1:
            if raised_as == "cause":
                raise DatabaseError("write conflict") from _transient_error()
            if raised_as == "context":
                try:
                    raise _transient_error()
                except OperationFailure:
                    raise SoldOut("reported as sold out while the transaction was aborted")
            raise _transient_error()
        return sale

    # when
    sale = run_in_mongo_transaction(sell, base_delay=0.001)

    # then: the first run's writes were rolled back, the second run's committed
    assert len(calls) == 2
    assert list(Sale.objects.values_list("pk", "buyer")) == [(sale.pk, "attempt-2")]
    assert _stock(variant) == 4


def test_transient_errors_on_every_attempt_raise_transaction_aborted_and_write_nothing(db):
    # given
    variant = _variant(stock=5)
    calls = []

    def always_conflicting():
        calls.append(1)
        _sell(variant, "asha")
        raise _transient_error()

    # when
    with pytest.raises(TransactionAborted) as raised:
        run_in_mongo_transaction(always_conflicting, attempts=3, base_delay=0.001)

    # then
    assert len(calls) == 3
    assert raised.value.attempts == 3
    assert raised.value.code == "transaction_aborted"
    assert raised.value.status == 503
    assert isinstance(raised.value.__cause__, OperationFailure)
    assert raised.value.__cause__.code == 112
    assert Sale.objects.count() == 0
    assert _stock(variant) == 5
    assert connections[MONGO].session is None


def test_a_failed_commit_runs_the_whole_function_again(db, monkeypatch):
    # given: the server aborts the first attempt's transaction at commit
    variant = _variant(stock=5)
    calls = []

    def sell():
        calls.append(1)
        return _sell(variant, f"attempt-{len(calls)}")

    # when
    with commit_reply_lost(monkeypatch, applied=False) as remaining:
        sale = run_in_mongo_transaction(sell, base_delay=0.001)

    # then
    assert remaining["commits"] == 0
    assert len(calls) == 2
    assert list(Sale.objects.values_list("pk", "buyer")) == [(sale.pk, "attempt-2")]
    assert _stock(variant) == 4


def test_an_unknown_commit_result_retries_the_commit_not_the_function(db, monkeypatch):
    # given: the first commit is applied but its confirmation is lost
    variant = _variant(stock=5)
    calls, committed = [], []

    def sell():
        calls.append(1)
        on_mongo_commit(lambda: committed.append("sold"))
        return _sell(variant, "asha")

    # when
    with commit_reply_lost(monkeypatch, applied=True) as remaining:
        run_in_mongo_transaction(sell, base_delay=0.001)

    # then: sold once, not twice
    assert remaining["commits"] == 0
    assert len(calls) == 1
    assert list(Sale.objects.values_list("buyer", flat=True)) == ["asha"]
    assert _stock(variant) == 4
    assert committed == ["sold"]
    assert connections[MONGO].session is None


def test_an_unknown_commit_result_on_every_attempt_raises_transaction_outcome_unknown(db, monkeypatch):
    # given: every commit is applied but never confirmed
    variant = _variant(stock=5)
    calls, committed = [], []

    def sell():
        calls.append(1)
        on_mongo_commit(lambda: committed.append("sold"))
        return _sell(variant, "asha")

    # when
    with commit_reply_lost(monkeypatch, applied=True, times=3), pytest.raises(TransactionOutcomeUnknown) as raised:
        run_in_mongo_transaction(sell, attempts=3, base_delay=0.001)

    # then: the work ran once and was in fact applied; no callback claims success
    assert raised.value.attempts == 3
    assert raised.value.code == "transaction_outcome_unknown"
    assert raised.value.__cause__.has_error_label("UnknownTransactionCommitResult")
    assert len(calls) == 1
    assert list(Sale.objects.values_list("buyer", flat=True)) == ["asha"]
    assert committed == []
    assert connections[MONGO].session is None


# --- fact 10: the dead session after a failed commit ------------------------------------------


def test_a_plain_atomic_after_a_failed_commit_writes_outside_any_transaction(db, monkeypatch):
    """django-mongodb-backend's own bug (fact 10); when this starts failing, the reset may go."""
    # given: a plain atomic() whose commit failed
    variant = _variant(stock=5)
    connection = connections[MONGO]
    with commit_reply_lost(monkeypatch, applied=False), pytest.raises(OperationFailure), atomic(using=MONGO):
        _sell(variant, "first")
    try:
        assert connection.session is not None  # the dead session is kept

        # when: the next plain atomic() fails after a write
        # It even masks our error.
        with pytest.raises(InvalidOperation, match="No transaction started"), atomic(using=MONGO):
            _sell(variant, "second")
            raise ValueError("payment declined")

        # then: the write that should have been rolled back was kept
        assert list(Sale.objects.values_list("buyer", flat=True)) == ["second"]
        assert _stock(variant) == 4
    finally:
        mongo_session_reset(using=MONGO)


def test_after_a_failed_commit_the_next_call_still_runs_in_a_real_transaction(db, monkeypatch):
    # given: a plain atomic() whose commit failed left the dead session behind
    variant = _variant(stock=5)
    connection = connections[MONGO]
    with commit_reply_lost(monkeypatch, applied=False), pytest.raises(OperationFailure), atomic(using=MONGO):
        _sell(variant, "first")
    assert connection.session is not None

    def sell_then_fail():
        _sell(variant, "second")
        raise ValueError("payment declined")

    # when
    with pytest.raises(ValueError, match="payment declined"):
        run_in_mongo_transaction(sell_then_fail)

    # then: the rollback really rolled back
    assert Sale.objects.count() == 0
    assert _stock(variant) == 5
    assert connection.session is None
    assert connection.run_on_commit == []


def test_the_retry_after_a_failed_commit_runs_in_a_real_transaction(db, monkeypatch):
    # given: the first attempt's commit fails; the second attempt writes, then fails
    variant = _variant(stock=5)
    calls = []

    def sell_then_fail_on_the_retry():
        calls.append(1)
        _sell(variant, f"attempt-{len(calls)}")
        if len(calls) == 2:
            raise ValueError("payment declined")

    # when
    with commit_reply_lost(monkeypatch, applied=False), pytest.raises(ValueError, match="payment declined"):
        run_in_mongo_transaction(sell_then_fail_on_the_retry, base_delay=0.001)

    # then: neither attempt's writes were kept
    assert len(calls) == 2
    assert Sale.objects.count() == 0
    assert _stock(variant) == 5


# --- nesting -----------------------------------------------------------------------------------


def test_a_nested_call_joins_the_outer_transaction_and_rolls_back_with_it(db):
    # given
    variant = _variant(stock=5)
    depth = []

    def inner():
        depth.append(connections[MONGO].nested_atomics)
        return _sell(variant, "inner")

    def outer():
        _sell(variant, "outer")
        run_in_mongo_transaction(inner)
        raise ValueError("payment declined")

    # when
    with pytest.raises(ValueError):
        run_in_mongo_transaction(outer)

    # then: the inner call neither committed on its own nor opened a savepoint
    assert depth == [1]
    assert Sale.objects.count() == 0
    assert _stock(variant) == 5


def test_a_transient_error_in_a_nested_call_runs_the_outer_function_again(db):
    # given
    variant = _variant(stock=5)
    outer_calls, inner_calls = [], []

    def inner():
        inner_calls.append(1)
        _sell(variant, f"inner-{len(inner_calls)}")
        if len(inner_calls) == 1:
            raise _transient_error()

    def outer():
        outer_calls.append(1)
        _sell(variant, f"outer-{len(outer_calls)}")
        run_in_mongo_transaction(inner, attempts=5)

    # when
    run_in_mongo_transaction(outer, base_delay=0.001)

    # then: the inner call did not retry on its own; the outer ran everything again
    assert (len(outer_calls), len(inner_calls)) == (2, 2)
    assert sorted(Sale.objects.values_list("buyer", flat=True)) == ["inner-2", "outer-2"]
    assert _stock(variant) == 3


# --- commit callbacks --------------------------------------------------------------------------


def test_commit_callbacks_run_after_the_commit_in_registration_order(db):
    # given
    variant = _variant(stock=5)
    ran = []
    seen_inside = []

    def inner():
        on_mongo_commit(lambda: ran.append("b"))

    def outer():
        on_mongo_commit(lambda: ran.append("a"))
        run_in_mongo_transaction(inner)
        _sell(variant, "asha")
        # A callback sees committed data: it runs outside the transaction.
        on_mongo_commit(lambda: ran.append(f"c:{Sale.objects.count()}"))
        seen_inside.extend(ran)

    # when
    run_in_mongo_transaction(outer)

    # then
    assert seen_inside == []
    assert ran == ["a", "b", "c:1"]
    assert connections[MONGO].run_on_commit == []


def test_commit_callbacks_are_dropped_when_the_transaction_rolls_back(db):
    # given
    ran = []

    def register_then_fail():
        on_mongo_commit(lambda: ran.append("first"))
        raise ValueError("payment declined")

    with pytest.raises(ValueError):
        run_in_mongo_transaction(register_then_fail)

    # when: the next transaction on the same connection commits
    run_in_mongo_transaction(lambda: on_mongo_commit(lambda: ran.append("second")))

    # then
    assert ran == ["second"]


def test_commit_callbacks_of_a_retried_attempt_are_dropped(db, monkeypatch):
    # given: attempt 1 fails in its body, attempt 2 at commit, attempt 3 commits
    variant = _variant(stock=5)
    ran, calls = [], []

    def sell():
        calls.append(1)
        attempt = len(calls)
        on_mongo_commit(lambda: ran.append(f"attempt-{attempt}"))
        _sell(variant, f"attempt-{attempt}")
        if attempt == 1:
            raise _transient_error()

    # when
    with commit_reply_lost(monkeypatch, applied=False):
        # The injected commit failure hits attempt 2: attempt 1 never reaches its commit.
        run_in_mongo_transaction(sell, base_delay=0.001)

    # then
    assert len(calls) == 3
    assert ran == ["attempt-3"]
    assert list(Sale.objects.values_list("buyer", flat=True)) == ["attempt-3"]


def test_a_callback_failing_after_the_commit_does_not_run_the_function_again(db):
    # given: a follow-up step in a callback conflicts after the sale was committed
    variant = _variant(stock=5)
    calls = []

    def follow_up():
        raise _transient_error()

    def sell():
        calls.append(1)
        on_mongo_commit(follow_up)
        return _sell(variant, "asha")

    # when
    with pytest.raises(OperationFailure):
        run_in_mongo_transaction(sell, base_delay=0.001)

    # then: sold once; the error is the callback's, the sale stays committed
    assert len(calls) == 1
    assert list(Sale.objects.values_list("buyer", flat=True)) == ["asha"]
    assert _stock(variant) == 4
    assert connections[MONGO].session is None


def test_a_robust_callback_that_fails_is_logged_and_the_others_still_run(db, caplog):
    # given
    ran = []

    def broken():
        raise RuntimeError("mail server down")

    def register():
        on_mongo_commit(broken, robust=True)
        on_mongo_commit(lambda: ran.append("after"))
        return "done"

    # when
    result = run_in_mongo_transaction(register)

    # then
    assert result == "done"
    assert ran == ["after"]
    assert "mail server down" in caplog.text


# --- concurrency -------------------------------------------------------------------------------


def test_twenty_concurrent_checkouts_sell_exactly_the_five_units_in_stock(db):
    # given: 5 units, 20 buyers and 4 readers released at the same moment
    variant = _variant(stock=5)
    buyers, readers = 20, 4
    start = threading.Barrier(buyers + readers)
    checkouts_done = threading.Event()
    lock = threading.Lock()
    outcomes: list[str] = []
    reader_errors: list[str] = []
    observations: list[list[tuple[int, int]]] = []

    # Real MongoDB answers concurrent writers with write conflicts; more attempts than the
    # default keep 20 contenders for one document inside the retry budget.
    def buy(number: int) -> None:
        try:
            start.wait(timeout=30)
            mongo_atomic(_sell, variant, f"buyer-{number:02d}", attempts=12, base_delay=0.01, max_delay=0.2)
            outcome = "sold"
        except SoldOut:
            outcome = "sold out"
        except Exception as error:  # noqa: BLE001 - recorded and asserted on below
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    def read() -> None:
        seen: list[tuple[int, int]] = []
        try:
            start.wait(timeout=30)
            while True:
                finished = checkouts_done.is_set()
                seen.append((_stock(variant), Sale.objects.filter(variant_id=variant.pk).count()))
                if finished:
                    break
        except Exception as error:  # noqa: BLE001 - recorded and asserted on below
            with lock:
                reader_errors.append(repr(error))
        finally:
            connections.close_all()
        with lock:
            observations.append(seen)

    buyer_threads = [threading.Thread(target=buy, args=(n,)) for n in range(buyers)]
    reader_threads = [threading.Thread(target=read) for _ in range(readers)]

    # when
    for thread in buyer_threads + reader_threads:
        thread.start()
    for thread in buyer_threads:
        thread.join(timeout=60)
    checkouts_done.set()
    for thread in reader_threads:
        thread.join(timeout=60)

    # then
    assert not any(thread.is_alive() for thread in buyer_threads + reader_threads)
    assert reader_errors == []
    assert sorted(outcomes) == ["sold"] * 5 + ["sold out"] * 15
    assert Sale.objects.count() == 5
    assert len(set(Sale.objects.values_list("buyer", flat=True))) == 5
    assert _stock(variant) == 0
    assert len(observations) == readers
    for seen in observations:
        assert seen[-1] == (0, 5)
        # Stock only goes down, sales only go up, each stays within what was in stock.
        stocks, sales = [stock for stock, _ in seen], [count for _, count in seen]
        assert stocks == sorted(stocks, reverse=True)
        assert sales == sorted(sales)
        assert all(0 <= stock <= 5 and 0 <= count <= 5 for stock, count in seen)
