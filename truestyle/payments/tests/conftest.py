import pytest
from celery import _state as celery_state


@pytest.fixture(autouse=True)
def _celery_join_flag_restored():
    """Celery keeps "inside an eager task" in one process-wide flag, saved and restored around each
    eager run; eager tasks finishing in another order on concurrent threads can leave it set, and
    every later `.get()` then refuses. Our thread-racing tests must not leak that into other tests."""
    yield
    celery_state._set_task_join_will_block(False)
