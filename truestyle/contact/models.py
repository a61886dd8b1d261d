from django.db import models


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=20, blank=True)
    subject = models.CharField(max_length=200)
    message = models.TextField(max_length=5000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    # The user is in MongoDB: kept as text, not a foreign key (no cross-database relation).
    user_id = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "contact_messages"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} ({self.email})"


class ContactReply(models.Model):
    """A staff answer to a message, kept with it; the email goes out after the row is committed."""

    class Delivery(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    message = models.ForeignKey(ContactMessage, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(max_length=5000)
    # Staff users live in MongoDB: their id and email are kept as text.
    sent_by_id = models.CharField(max_length=64)
    sent_by_email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.QUEUED)

    class Meta:
        db_table = "contact_replies"
        ordering = ["created_at"]

    def __str__(self):
        return f"Reply to {self.message_id} by {self.sent_by_email}"
