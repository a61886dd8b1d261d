"""Database operations per request (MongoDB commands + SQL queries) each benchmarked endpoint may
use, warm (after the first request has filled the caches). bench/tests/test_query_budgets.py fails
when one grows; lower a budget when a change makes an endpoint cheaper.

Where they come from: the counts `make bench` reports (docs/benchmarks.md, "DB ops / request").
"""

QUERY_BUDGETS = {
    # Served from the page cache: no database at all.
    "listing_full": 0,
    "listing_fragment": 0,
    # Signed in: the session and the user; every card, facet and the category tree from the cache.
    "listing_uncached": 2,
    # A first view (the budget test visits a new product each time): the product, its colourways,
    # variants and images (brand, category and type from the cached taxonomy); the trending counter,
    # written at once in the suite (batched in the background elsewhere). A second view: the counter.
    "product_page": 5,
    # The same product again: its page from the cache; the trending counter.
    "product_page_again": 1,
    # The cached listing cards.
    "api_products": 0,
    # The cached product page; the trending counter.
    "api_product": 1,
    # The user; the bag (2); the variant and its product; the bag's lines with their variants,
    # products, colourways and images; the line's insert; the bag's timestamp; the trending counter.
    "cart_add": 14,
    # Placement in one transaction (the key, the address, the bag's prices, stock, ledger, order,
    # lines, event, payment, invoice, email outbox), then the answer from the order placed. With
    # Celery eager (the suite), the confirmation email's outbox row is read and updated in the
    # request too (3 of the 39).
    "order_place_cod": 39,
    "gridfs_image": 1,
    "bare_view": 0,
}
