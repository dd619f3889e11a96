"""Reader alerts without an account: subscribe, confirm by e-mail, unsubscribe in one click."""

import re
from datetime import timedelta

from django.core import mail, signing
from django.utils import timezone

from sommaire.alerts.models import SubscribeRequest, Subscription
from sommaire.alerts.services import token
from tests.public.html import parse

FORM = "/nouveautes/alertes/"


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body).group(0).removeprefix("http://127.0.0.1:8000")


def subscribe(client, **fields) -> Subscription:
    data = {"email": "lea@example.org", "frequency": "daily", **fields}
    response = client.post(FORM, data)
    assert response.status_code == 200
    return Subscription.objects.get(email=data["email"])


def test_subscribing_sends_a_confirmation_and_nothing_is_active_before_it(segur, client):
    subscription = subscribe(client, section="hopital", region="OCC", query="DPI")

    assert subscription.confirmed_at is None
    assert (subscription.section.slug, subscription.region.code, subscription.query) == (
        "hopital",
        "OCC",
        "DPI",
    )
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "rubrique « Hôpital »" in message.body


def test_the_confirmation_link_asks_then_confirms(segur, client):
    subscribe(client)
    confirm = link_in(mail.outbox[0])

    shown = client.get(confirm)
    assert Subscription.objects.get().confirmed_at is None
    assert "Confirmer l’abonnement" in shown.content.decode()
    client.post(confirm)

    assert Subscription.objects.get().confirmed_at is not None


def test_a_forged_or_crossed_token_is_refused(segur, client):
    subscription = subscribe(client)
    forged = signing.dumps({"id": subscription.pk, "do": "confirm"}, salt="autre")
    unsubscribe = token(subscription, "unsubscribe")

    assert client.get(f"{FORM}confirmer/{forged}/").status_code == 400
    assert client.post(f"{FORM}confirmer/{unsubscribe}/").status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_one_click_unsubscribe_works_without_a_session_or_csrf_token(segur, client):
    from django.test import Client

    subscription = subscribe(client)
    url = f"{FORM}desabonnement/{token(subscription, 'unsubscribe')}/"

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_an_invalid_address_is_refused_with_a_message(segur, client):
    response = client.post(FORM, {"email": "pas-une-adresse", "frequency": "weekly"})

    assert "Saisissez une adresse de courriel valide" in response.content.decode()
    assert not Subscription.objects.exists() and not mail.outbox


def test_the_form_page_is_prefilled_from_the_news_filter(segur, client):
    response = client.get(f"{FORM}?rubrique=hopital")

    assert response.status_code == 200
    assert '<option value="hopital" selected>' in response.content.decode()


# --- nobody floods a mailbox through the form ---------------------------------------


def test_a_pending_confirmation_is_not_sent_again_within_an_hour(segur, client):
    for _ in range(30):
        response = client.post(FORM, {"email": "lea@example.org", "frequency": "daily"})
        assert response.status_code in (200, 429)

    assert len(mail.outbox) == 1
    assert Subscription.objects.count() == 1


def test_it_is_sent_again_once_the_hour_has_passed(segur, client):
    subscription = subscribe(client)
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmation_sent_at=timezone.now() - timedelta(hours=1, minutes=1)
    )
    SubscribeRequest.objects.update(at=timezone.now() - timedelta(hours=1, minutes=1))

    subscribe(client)

    assert len(mail.outbox) == 2


def test_one_email_gets_at_most_a_few_confirmations_an_hour_whatever_the_choices(
    segur, client, settings
):
    settings.ALERTS_MAX_PER_IP = 100
    for n in range(30):
        answer = client.post(
            FORM,
            {"email": "lea@example.org", "frequency": "daily", "query": f"mot {n}"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        assert answer.status_code == 200
        assert "Vérifiez votre messagerie" in answer.content.decode()  # tells nobody anything

    assert len(mail.outbox) == settings.ALERTS_MAX_PER_EMAIL == 3


def test_one_address_asking_for_many_emails_is_stopped_and_keeps_its_input(segur, client, settings):
    for n in range(settings.ALERTS_MAX_PER_IP):
        client.post(FORM, {"email": f"cible{n}@example.org", "frequency": "daily"})

    response = client.post(
        FORM, {"email": "encore@example.org", "frequency": "daily", "query": "DPI"}
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "réessayez dans une heure" in page
    assert 'value="encore@example.org"' in page and 'value="DPI"' in page
    assert len(mail.outbox) == settings.ALERTS_MAX_PER_IP == 10
    assert not Subscription.objects.filter(email="encore@example.org").exists()
    other = client.post(
        FORM, {"email": "voisin@example.org", "frequency": "daily"}, REMOTE_ADDR="203.0.113.5"
    )
    assert other.status_code == 200


def test_every_aria_describedby_of_the_form_names_an_element_of_the_page(segur, client):
    document = parse(client.get("/nouveautes/alertes/").content)
    form = document.find("form", method="post")

    described = [e for e in form.iter() if e.get("aria-describedby")]
    assert described
    for element in described:
        for target in element.get("aria-describedby").split():
            assert document.find_all(id=target), f"{element}: no element with id {target!r}"
            assert not any(a.tag == "label" for a in document.by_id(target).ancestors())
