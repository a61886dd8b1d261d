"""Role-matrix inputs of the staff review pages: URL names, a valid POST body, URL argument factories.

Each review argument is a fresh pending review by a customer who received the piece, so both
"approve" and "reject" are legal moves; the reason carries the form's prefix so it cannot collide
with another area's fields in the shared POST body.
"""

NAMES = {"reviews", "review-approve", "review-reject"}
POST_DATA = {"moderation-reason": "Role matrix"}


def _pending_review_id() -> str:
    from truestyle.catalog.tests.factories import product_create
    from truestyle.reviews.tests.factories import review_create

    product = product_create(name="Matrix Review Tee", slug="matrix-review-tee")
    return str(review_create(product, email="matrix-reviewer@example.com").pk)


ARGUMENTS = {"review_id": _pending_review_id}
