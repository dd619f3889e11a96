"""Recent changes in a person's scope ("Activité récente"): who changed what, when.

Read from the history tables (django-simple-history): resources and
contacts, newest first, each line linking to the version's diff page of the
resource, or to the contact. Two queries, whatever the size of the history.
"""

from dataclasses import dataclass
from datetime import datetime

from sommaire.catalog.models import Contact, Resource
from sommaire.editors import permissions

SHOWN = 12
VERBS = {"+": "a ajouté", "~": "a modifié", "-": "a supprimé"}


@dataclass(frozen=True)
class Activity:
    date: datetime
    who: str
    verb: str
    what: str
    url: str
    reason: str


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "Un traitement automatique"
    return user.get_full_name() or user.get_username()


def recent_activity(user) -> list[Activity]:
    resources = permissions.in_scope(user, Resource.history.all()).select_related("history_user")
    contacts = permissions.in_scope(user, Contact.history.all()).select_related("history_user")
    lines = [
        Activity(
            r.history_date,
            _who(r),
            VERBS[r.history_type],
            f"la ressource « {r.title} »",
            f"/gestion/ressources/{r.key}/historique/{r.history_id}/",
            r.history_change_reason or "",
        )
        for r in resources.order_by("-history_date", "-history_id")[:SHOWN]
    ]
    lines += [
        Activity(
            c.history_date,
            _who(c),
            VERBS[c.history_type],
            f"le contact « {c.name} »",
            f"/gestion/contacts/{c.id}/",
            c.history_change_reason or "",
        )
        for c in contacts.order_by("-history_date", "-history_id")[:SHOWN]
    ]
    return sorted(lines, key=lambda line: line.date, reverse=True)[:SHOWN]
