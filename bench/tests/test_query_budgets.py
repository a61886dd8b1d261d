"""The benchmark's endpoints keep their database-operation budgets (bench/budgets.py), measured the
way `make bench` measures them, on a small seeded dataset."""

import pytest

from bench.budgets import QUERY_BUDGETS
from bench.dataset import SIZES, dataset_seed
from bench.endpoints import ENDPOINTS, DatasetFacts
from bench.inprocess import endpoint_measure


@pytest.fixture
def facts(db, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = "bench.urls"  # the store plus the bare view
    dataset_seed(size=SIZES["smoke"])
    return DatasetFacts.load()


def test_every_endpoint_answers_within_its_query_budget(facts):
    measured = {endpoint.key: endpoint_measure(endpoint, facts, iterations=3) for endpoint in ENDPOINTS}

    errors = {key: timing.errors for key, timing in measured.items() if timing.errors}
    over = {key: (timing.operations, QUERY_BUDGETS[key], timing.mongo_commands, timing.sql_queries)
            for key, timing in measured.items() if timing.operations > QUERY_BUDGETS[key]}
    assert errors == {}
    assert over == {}, "over budget (operations, budget, MongoDB commands, SQL queries): " + repr(over)
    assert set(QUERY_BUDGETS) == set(measured)
