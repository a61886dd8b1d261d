"""Role-matrix inputs of the staff contact inbox."""

from truestyle.contact.models import ContactMessage

NAMES = {"contact-messages", "contact-message", "contact-message-status", "contact-message-reply"}
# Field names are shared by every area's POST; the status form answers an unknown status with a redirect.
POST_DATA = {"body": "Thank you, sorted."}
ARGUMENTS = {"message_id": lambda: str(ContactMessage.objects.create(
    name="Ravi", email="ravi@example.com", subject="Sizes", message="Which size fits a 40 inch chest?").pk)}
