import pytest
from django.apps import apps

from sommaire.catalog import models


@pytest.fixture
def empty_catalog(db):
    """A catalog with nothing in it (the session's Ségur pack is rolled back after the test)."""
    # Watched pages and their candidates point at sections: they go first.
    for label in ("watch.Candidate", "watch.Source"):
        apps.get_model(label).objects.all().delete()
    models.Placement.objects.all().delete()
    models.Resource.objects.all().delete()
    models.Contact.objects.all().delete()
    models.Deadline.objects.all().delete()
    models.GlossaryTerm.objects.all().delete()
    models.PackInfo.objects.all().delete()
    models.Section.objects.update(parent=None)
    for model in (
        models.Section,
        models.Kind,
        models.Format,
        models.SoftwareProfile,
        models.Wave,
        models.Publisher,
        models.Region,
    ):
        model.objects.all().delete()
