"""The task edit form: how a task's fields are shown in inputs, and which of
them the person actually changed.

The form carries each field's value as it was shown (hidden `orig_<field>`);
only fields whose submitted value differs are sent to update_task(). Two
people correcting different fields of one task at once then do not undo each
other's work, and the history records only what someone meant to change."""

from __future__ import annotations

from duban.ledger import service
from duban.ledger.models import Task

FORM_FIELDS = ("text", "heading_path", "lead_units", "co_units", "internal_units", "leaders",
               "deadline", "deadline_text", "ongoing", "status", "progress", "withdrawn")


def form_values(task: Task) -> dict[str, str]:
    """Every editable field as the text its input shows."""
    values = service.task_values(task)
    out = {}
    for field in FORM_FIELDS:
        value = values[field]
        if isinstance(value, list):
            out[field] = "、".join(value)
        elif isinstance(value, bool):
            out[field] = "true" if value else "false"
        elif value is None:
            out[field] = ""
        elif field == "deadline":
            out[field] = value.isoformat()
        else:
            out[field] = str(value)
    return out


def _norm(value) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def changed_fields(form) -> dict[str, str]:
    """Fields whose submitted value differs from the value the form was shown with."""
    changes = {}
    for field in FORM_FIELDS:
        if field not in form:
            continue
        value = form.get(field)
        original = form.get(f"orig_{field}")
        if original is None or _norm(value) != _norm(original):
            changes[field] = _norm(value)
    return changes
