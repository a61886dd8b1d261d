"""Count database operations in these tests the way `make bench` does (bench/counting.py): the
listener must be registered before the test run makes its MongoDB client."""

from bench.counting import counting_install

counting_install()
