import pytest

from sommaire.edition.build import build_pdf
from sommaire.edition.content import Scope
from tests.edition.pdfs import Pdf


@pytest.fixture(scope="session")
def segur_pdf(django_db_setup, django_db_blocker) -> Pdf:
    """The full edition of the Ségur catalog, built once and read by many tests."""
    with django_db_blocker.unblock():
        return Pdf(build_pdf(Scope()))
