"""Reader alerts without an account: subscribe, confirm by e-mail, unsubscribe in one click."""

import re

from django.core import mail, signing

from sommaire.alerts.models import Subscription
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


def test_every_aria_describedby_of_the_form_names_an_element_of_the_page(segur, client):
    document = parse(client.get("/nouveautes/alertes/").content)
    form = document.find("form", method="post")

    described = [e for e in form.iter() if e.get("aria-describedby")]
    assert described
    for element in described:
        for target in element.get("aria-describedby").split():
            assert document.find_all(id=target), f"{element}: no element with id {target!r}"
            assert not any(a.tag == "label" for a in document.by_id(target).ancestors())
