"""Reader alerts and editors' digests: subscribe, confirm, unsubscribe, send.

Tokens are signed (django.core.signing) with the subscription id and the
action, so a confirmation link cannot unsubscribe and the reverse; the
confirmation expires, the unsubscription link does not (RFC 8058: it must
keep working in an old message). Mail goes through Django's e-mail backend
(the console by default).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sommaire.alerts.models import (
    DeadlineReminder,
    Delivery,
    DossierNotice,
    EditorNotice,
    SubscribeRequest,
    Subscription,
)
from sommaire.catalog.models import CatalogEvent, Deadline, Resource, Section
from sommaire.dossiers.models import DossierItem
from sommaire.dossiers.services import notices_for_editor
from sommaire.editors import permissions
from sommaire.watch.models import Candidate

SALT = "sommaire.alerts"
CONFIRM_MAX_AGE = timedelta(days=7)


def token(subscription: Subscription, action: str) -> str:
    return signing.dumps({"id": subscription.pk, "do": action}, salt=SALT)


def subscription_for(value: str, action: str) -> Subscription | None:
    max_age = CONFIRM_MAX_AGE if action == "confirm" else None
    try:
        data = signing.loads(value, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("do") != action:
        return None
    return (
        Subscription.objects.select_related("section", "region").filter(pk=data.get("id")).first()
    )


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class TooManyRequests(Exception):
    """This address asked for too many subscriptions in the last hour."""


def subscribe(
    email: str,
    section=None,
    region=None,
    query: str = "",
    frequency="weekly",
    dossier=None,
    ip: str | None = None,
):
    """Record an unconfirmed subscription and send the confirmation link.

    The answer is the same whether the address is new or known, so the
    form tells nobody who is subscribed. Nobody can use the form to flood a
    mailbox: a pending subscription's confirmation is not sent again within
    an hour, an e-mail receives at most ALERTS_MAX_PER_EMAIL confirmations
    an hour (beyond, the answer is the same and nothing is sent), and an
    address (`ip`) that asks more than ALERTS_MAX_PER_IP times an hour gets
    TooManyRequests before anything is written.
    """
    email = email.strip().lower()
    if SubscribeRequest.address_is_throttled(ip):
        raise TooManyRequests(ip)
    with transaction.atomic():
        subscription, _ = Subscription.objects.get_or_create(
            email=email,
            section=section,
            region=region,
            query=query.strip(),
            dossier=dossier,
            frequency=frequency,
            confirmed_at=None,
        )
        # Locked, so two requests at once send one confirmation.
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        now = timezone.now()
        sent_lately = subscription.confirmation_sent_at is not None and (
            now - subscription.confirmation_sent_at < SubscribeRequest.WINDOW
        )
        mail = not sent_lately and not SubscribeRequest.email_is_throttled(email)
        SubscribeRequest.record(email, ip, mailed=mail)
        if mail:
            subscription.confirmation_sent_at = now
            subscription.save(update_fields=["confirmation_sent_at"])
    if mail:
        _confirmation_message(subscription).send()
    return subscription


def _confirmation_message(subscription: Subscription) -> EmailMessage:
    link = absolute(reverse("public:news-alerts-confirm", args=[token(subscription, "confirm")]))
    body = render_to_string("alerts/confirm.txt", {"subscription": subscription, "link": link})
    return EmailMessage(
        "Confirmez votre abonnement aux nouveautés du Ségur numérique",
        body,
        to=[subscription.email],
    )


def confirm(subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])


def unsubscribe(subscription: Subscription) -> None:
    subscription.delete()


# --- digests ------------------------------------------------------------------


@dataclass
class DigestReport:
    readers: int = 0
    reader_items: int = 0
    editors: int = 0
    editor_items: int = 0
    dossier_notices: int = 0
    reminders: int = 0
    reminder_items: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "readers": self.readers,
            "reader_items": self.reader_items,
            "dossier_notices": self.dossier_notices,
            "editors": self.editors,
            "editor_items": self.editor_items,
            "reminders": self.reminders,
            "reminder_items": self.reminder_items,
        }


def _section_ids(section: Section | None) -> set[int] | None:
    if section is None:
        return None
    ids, frontier = {section.pk}, [section.pk]
    while frontier:
        frontier = list(
            Section.objects.filter(parent__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def matching_events(subscription: Subscription) -> list[CatalogEvent]:
    """What is new for this subscriber and was not sent to them yet, oldest first."""
    events = (
        CatalogEvent.objects.filter(at__gte=subscription.confirmed_at)
        .exclude(pk__in=Delivery.objects.filter(subscription=subscription).values("event"))
        .select_related("resource", "previous")
        .order_by("at", "pk")
    )
    if subscription.dossier_id:
        return _dossier_events(subscription, events)
    sections = _section_ids(subscription.section)
    if sections is not None:
        events = events.filter(resource__placements__section__in=sections).distinct()
    if subscription.region_id:
        events = events.filter(resource__region__in=[subscription.region_id]) | events.filter(
            resource__region__isnull=True
        )
    found = list(events.order_by("at", "pk"))
    if subscription.query and found:
        from sommaire.search.services import search

        restrict = Resource.objects.filter(pk__in={e.resource_id for e in found})
        hits = search(subscription.query, limit=len(found), restrict=restrict, relaxed=False)
        wanted = {hit.resource_id for hit in hits.hits}
        found = [e for e in found if e.resource_id in wanted]
    return found


def _message_to(subscription: Subscription, subject: str, template: str, context: dict):
    """A message to a subscriber, with the one-click unsubscription of RFC 8058."""
    unsubscribe = absolute(
        reverse("public:news-alerts-unsubscribe", args=[token(subscription, "unsubscribe")])
    )
    context = {"subscription": subscription, "unsubscribe": unsubscribe, **context}
    return EmailMessage(
        subject,
        render_to_string(template, context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _dossier_events(subscription: Subscription, events) -> list[CatalogEvent]:
    """A dossier's subscriber hears of its resources: replaced, archived, updated.

    Nothing while the dossier is a draft again: its readers may not see it.
    """
    if not subscription.dossier.is_published():
        return []
    cited = DossierItem.objects.filter(dossier=subscription.dossier_id, resource__isnull=False)
    cited = cited.values("resource")
    return list(events.filter(Q(resource__in=cited) | Q(previous__in=cited)).order_by("at", "pk"))


def _reader_message(subscription: Subscription, events: list[CatalogEvent]) -> EmailMessage:
    count = len(events)
    return _message_to(
        subscription,
        f"Ségur numérique : {count} nouveauté{'s' if count > 1 else ''}",
        "alerts/digest.txt",
        {
            "events": [(e, absolute(e.resource.get_absolute_url())) for e in events],
            "news": absolute(reverse("public:news")),
        },
    )


def send_reader_digests(report: DigestReport, now=None) -> None:
    now = now or timezone.now()
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False)
    for subscription in subscriptions.select_related("section", "region", "dossier"):
        if not subscription.is_due(now):
            continue
        events = matching_events(subscription)
        if not events:
            continue
        try:
            # Deliveries first, mail second, one transaction: a second run
            # that overlaps this one fails on the unique constraint instead
            # of mailing the same items again.
            with transaction.atomic():
                Delivery.objects.bulk_create(
                    [Delivery(subscription=subscription, event=e, sent_at=now) for e in events]
                )
                _reader_message(subscription, events).send()
                Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
        except IntegrityError:
            report.skipped.append(subscription.email)
            continue
        report.readers += 1
        report.reader_items += len(events)


def reviewable_by(user, candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in candidates if permissions.can_edit_region(user, c.scope_region_id())]


def send_editor_digests(report: DigestReport) -> None:
    """Each editor gets the new candidates of their regions (national ones for national
    editors), and what changed in the dossiers they own; each item once."""
    candidates = list(Candidate.objects.open().described().order_by("first_seen", "pk"))
    users = get_user_model().objects.filter(is_active=True, editor__isnull=False).exclude(email="")
    for user in users:
        noticed = set(EditorNotice.objects.filter(user=user).values_list("candidate_id", flat=True))
        mine = [c for c in reviewable_by(user, candidates) if c.pk not in noticed]
        changes = _new_dossier_notices(user)
        if not mine and not changes:
            continue
        body = render_to_string(
            "alerts/editor_digest.txt",
            {
                "user": user,
                "candidates": mine,
                "queue": absolute(reverse("admin:watch_candidate_changelist")),
                "changes": changes,
                "dossiers": absolute(reverse("dossiers-manage:list")),
            },
        )
        try:
            with transaction.atomic():
                EditorNotice.objects.bulk_create(
                    [EditorNotice(user=user, candidate=c) for c in mine]
                )
                DossierNotice.objects.bulk_create(
                    [DossierNotice(user=user, dossier=n.dossier, key=n.key) for n in changes]
                )
                EmailMessage(_editor_subject(len(mine), len(changes)), body, to=[user.email]).send()
        except IntegrityError:
            continue
        report.editors += 1
        report.editor_items += len(mine)
        report.dossier_notices += len(changes)


def _new_dossier_notices(user) -> list:
    sent = set(DossierNotice.objects.filter(user=user).values_list("dossier_id", "key"))
    return [n for n in notices_for_editor(user) if (n.dossier.pk, n.key) not in sent]


def _editor_subject(candidates: int, changes: int) -> str:
    parts = []
    if candidates:
        parts.append(f"{candidates} candidat{'s' if candidates > 1 else ''} à examiner")
    if changes:
        parts.append(f"{changes} changement{'s' if changes > 1 else ''} dans vos dossiers")
    return "Sommaire : " + ", ".join(parts)


# --- deadline reminders -------------------------------------------------------


def due_reminders(subscription: Subscription, now) -> list[tuple[Deadline, int]]:
    """(deadline, J-30 or J-7) of the subscription's section that are due and not sent yet."""
    sections = _section_ids(subscription.section)
    deadlines = Deadline.objects.filter(section__in=sections).select_related("section", "wave")
    sent = set(
        DeadlineReminder.objects.filter(subscription=subscription).values_list(
            "deadline_id", "days"
        )
    )
    due = []
    for deadline in sorted(deadlines, key=Deadline.sort_key):
        if deadline.is_past(now):
            continue
        step = DeadlineReminder.step_for(deadline.days_left(now))
        if step is not None and (deadline.pk, step) not in sent:
            due.append((deadline, step))
    return due


def _reminder_message(subscription, due: list[tuple[Deadline, int]], now) -> EmailMessage:
    section = subscription.section
    first = due[0][0]
    if len(due) == 1:
        subject = f"Ségur numérique : échéance {first.countdown_label(now)} — {first.label}"
    else:
        subject = f"Ségur numérique : {len(due)} échéances approchent"
    return _message_to(
        subscription,
        subject,
        "alerts/deadline_reminder.txt",
        {
            "section": section,
            "items": [(d, d.countdown_label(now)) for d, _ in due],
            "page": absolute(reverse("public:deadlines") + f"?rubrique={section.slug}"),
            "calendar": absolute(reverse("public:deadlines-section-ics", args=[section.slug])),
        },
    )


def send_deadline_reminders(report: DigestReport, now=None) -> None:
    """Each subscriber of a section hears of its deadlines 30 days and 7 days before,
    once each, whatever the digest frequency; one message per subscriber and run."""
    now = now or timezone.now()
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False, section__isnull=False)
    for subscription in subscriptions.select_related("section"):
        due = due_reminders(subscription, now)
        if not due:
            continue
        try:
            # As for digests: the rows first, so an overlapping run fails on the
            # unique constraint instead of sending the same reminder twice.
            with transaction.atomic():
                DeadlineReminder.objects.bulk_create(
                    [
                        DeadlineReminder(
                            subscription=subscription, deadline=d, days=days, sent_at=now
                        )
                        for d, days in due
                    ]
                )
                _reminder_message(subscription, due, now).send()
        except IntegrityError:
            report.skipped.append(subscription.email)
            continue
        report.reminders += 1
        report.reminder_items += len(due)


def send_digests(now=None) -> DigestReport:
    report = DigestReport()
    send_reader_digests(report, now)
    send_deadline_reminders(report, now)
    send_editor_digests(report)
    return report
