"""Deadlines in the Django admin (/gestion/admin/): administrators keep them, with their history."""

from sommaire.catalog.models import Deadline, Section, Wave
from tests.editors.backoffice import client_for, url


def deadline_data(**changes) -> dict:
    values = {
        "label": "Dépôt des demandes de paiement du solde DRIMbox",
        "slug": "drimbox-v2-solde-bis",
        "section": Section.objects.get(slug="radiologie").pk,
        "wave": Wave.objects.get(slug="vague-2").pk,
        "date": "2027-12-15",
        "time": "12:00",
        "source": "https://industriels.esante.gouv.fr/segur-numerique-sante/vague-2/x",
        "order": 0,
    }
    values.update(changes)
    return values


def test_an_administrator_adds_a_deadline_kept_in_the_history(administrator):
    response = client_for(administrator).post(url(Deadline), deadline_data())

    assert response.status_code == 302
    created = Deadline.objects.get(slug="drimbox-v2-solde-bis")
    assert (created.date.isoformat(), created.time.isoformat()) == ("2027-12-15", "12:00:00")
    assert created.history.get().history_user == administrator


def test_a_deadline_without_its_source_is_refused_with_a_french_message(administrator):
    response = client_for(administrator).post(url(Deadline), deadline_data(source=""))

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.context["adminform"].form.errors["source"]
    assert not Deadline.objects.filter(slug="drimbox-v2-solde-bis").exists()


def test_a_regional_editor_may_not_touch_deadlines(remi):
    existing = Deadline.objects.first()

    assert client_for(remi).post(url(Deadline), deadline_data()).status_code == 403
    assert client_for(remi).get(url(Deadline, existing.pk)).status_code == 403
