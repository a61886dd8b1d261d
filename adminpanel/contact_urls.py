from django.urls import path

from adminpanel import contact

urlpatterns = [
    path("", contact.contact_list, name="contact-messages"),
    path("<str:message_id>/", contact.contact_detail, name="contact-message"),
    path("<str:message_id>/status/", contact.contact_status, name="contact-message-status"),
    path("<str:message_id>/reply/", contact.contact_reply, name="contact-message-reply"),
]
