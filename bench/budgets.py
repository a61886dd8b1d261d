"""Database operations per request (MongoDB commands + SQL queries) each benchmarked endpoint may
use, warm (after the first request has filled the caches). bench/tests/test_query_budgets.py fails
when one grows; lower a budget when a change makes an endpoint cheaper.

Where they come from: the counts `make bench` reports (docs/benchmarks.md, "DB ops / request").
"""

QUERY_BUDGETS = {
    # Served from the page cache: no database at all.
    "listing_full": 0,
    "listing_fragment": 0,
    # Signed in: the session and the user, the occasion names, the page's products, images and sibling
    # colourways (the candidate cards are cached), the category tree (2).
    "listing_uncached": 8,
    # The product with its brand, category and type; colourways; variants; images; the category path;
    # the trending counter.
    "product_page": 6,
    "api_products": 4,
    "api_product": 6,
    # The user; the bag (2); the variant and its product; the bag's lines with their variants,
    # products, colourways and images; the line's insert; the bag's timestamp; the trending counter.
    "cart_add": 14,
    # Placement in one transaction (the bag, prices, stock, ledger, order, lines, event, payment,
    # invoice, email outbox), then the order read back for the answer. With Celery eager (the suite),
    # the confirmation email's outbox row is read and updated in the request too (3 of the 43).
    "order_place_cod": 43,
    "gridfs_image": 1,
    "bare_view": 0,
}
