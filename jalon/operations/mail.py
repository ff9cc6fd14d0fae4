"""E-mails leave through the task queue: the backend the code sends to only enqueues each
message, as plain data, and a worker delivers it (tasks.send_email). A page that invites
someone answers at once, whatever the mail server's mood, and a delivery that fails is
kept in the queue's results with its reason."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

FIELDS = ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to")


@task()
def send_email(data: dict[str, Any]) -> int:
    """Deliver one e-mail through the configured backend (SMTP, or files in the demo)."""
    connection = get_connection(settings.JALON_EMAIL_DELIVERY_BACKEND)
    return connection.send_messages([message_from_data(data)]) or 0


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            send_email.enqueue(message_data(message))
        return len(email_messages)


def message_data(message: EmailMessage) -> dict[str, Any]:
    """Return the message as JSON-ready data: its fields, alternatives and attachments."""
    data: dict[str, Any] = {name: getattr(message, name) for name in FIELDS}
    data["headers"] = dict(message.extra_headers)
    data["alternatives"] = [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])]
    data["attachments"] = [_attachment(attachment) for attachment in message.attachments]
    return data


def _attachment(attachment: Any) -> list[str]:
    if isinstance(attachment, MIMEBase):  # never made by Jalon, refused rather than mangled
        raise TypeError("MIME attachments cannot go through the queue")
    name, content, mimetype = attachment
    raw = content.encode() if isinstance(content, str) else bytes(content)
    return [name or "", base64.b64encode(raw).decode(), mimetype or ""]


def message_from_data(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(**{name: data[name] for name in FIELDS}, headers=data["headers"])
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data["attachments"]:
        message.attach(name or None, base64.b64decode(content), mimetype or None)
    return message
