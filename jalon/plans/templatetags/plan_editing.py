"""Asking in a template whether the reader may edit the plan, without a view's help."""

from __future__ import annotations

from typing import Any

from django import template

from jalon.accounts.permissions import can_edit_plan

register = template.Library()


@register.filter
def may_edit_plan(user: Any) -> bool:
    # The plan pages are rendered by views that know nothing of editing; asking here keeps them so.
    return can_edit_plan(user)
