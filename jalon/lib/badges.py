"""An action's status as a badge, for markup written in Python (the plan tree).

Templates include `tracking/_action_status.html`, which writes the same markup; the tree
writes thousands of rows, where an include per row is too slow. `static/jalon/status.css`
colours each status; the label is always written, so no status is told by colour alone."""

from django.utils.html import format_html
from django.utils.safestring import SafeString


def status_badge(value: str, label: str) -> SafeString:
    """Return the badge of an action's status: its value names the class, its label is the text."""
    return format_html('<span class="action-status action-status--{}">{}</span>', value, label)
