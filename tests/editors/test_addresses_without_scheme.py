"""An address typed without its scheme ("www.esante.gouv.fr/x") is taken as https://,
in every form built from the catalog's models (Django 6's rule, applied now)."""

from django.apps import apps
from django.db import models

from sommaire.catalog.models import Contact, Region, Resource
from tests.editors.backoffice import client_for, contact_data, resource_data, url


def test_a_resource_address_without_scheme_is_stored_with_https(administrator):
    response = client_for(administrator).post(
        url(Resource), resource_data(url="www.esante.gouv.fr/x")
    )

    assert response.status_code == 302
    assert Resource.objects.get(key="webinaire-regional-ins").url == "https://www.esante.gouv.fr/x"


def test_an_address_with_its_scheme_is_kept_as_typed(administrator):
    client_for(administrator).post(url(Resource), resource_data(url="http://intranet.ars.fr/x"))

    assert Resource.objects.get(key="webinaire-regional-ins").url == "http://intranet.ars.fr/x"


def test_a_contact_site_without_scheme_is_stored_with_https(administrator):
    occitanie = Region.objects.get(code="OCC")

    response = client_for(administrator).post(
        url(Contact), contact_data(region=occitanie.pk, url="www.esante-occitanie.fr")
    )

    assert response.status_code == 302
    assert Contact.objects.get(name="Référent INS").url == "https://www.esante-occitanie.fr"


def test_every_address_field_of_ours_assumes_https():
    fields = [
        field
        for model in apps.get_models()
        if model.__module__.startswith("sommaire.")
        for field in model._meta.get_fields()
        if isinstance(field, models.URLField)
    ]

    assert len(fields) >= 5
    assert {f"{f.model.__name__}.{f.name}": f.formfield().assume_scheme for f in fields} == {
        f"{f.model.__name__}.{f.name}": "https" for f in fields
    }
