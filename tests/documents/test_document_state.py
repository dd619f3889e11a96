"""DocumentState: the claim that keeps two runs from extracting one document twice."""

from datetime import timedelta

from sommaire.documents.models import DocumentState, Passage
from tests.search.factories import resource

LEASE = timedelta(minutes=5)


def test_of_two_runs_only_one_claims_a_document(segur):
    state = DocumentState.objects.create(resource=resource("Guide"))
    other = DocumentState.objects.get(pk=state.pk)

    assert state.claim(LEASE) is True
    assert other.claim(LEASE) is False
    state.release()
    assert other.claim(LEASE) is True


def test_a_claim_reads_what_a_run_finished_meanwhile(segur):
    state = DocumentState.objects.create(resource=resource("Guide"))
    DocumentState.objects.filter(pk=state.pk).update(content_hash="f" * 64)

    state.claim(LEASE)

    assert state.content_hash == "f" * 64


def test_an_expired_claim_is_taken_over(segur):
    state = DocumentState.objects.create(resource=resource("Guide"))
    state.claim(timedelta(seconds=-1))

    assert DocumentState.objects.get(pk=state.pk).claim(LEASE) is True


def test_a_passage_says_its_place_as_readers_read_it():
    assert Passage(page=12).place() == "p. 12"
    assert Passage(sheet="Exigences", row=48).place() == "onglet Exigences, ligne 48"
    assert Passage(slide=3).place() == "diapositive 3"
    assert Passage(row=7).place() == "ligne 7"
    assert Passage(heading="Exigences › Identité").place() == "Exigences › Identité"
    assert Passage(page=12).link("https://ex.fr/a.pdf") == "https://ex.fr/a.pdf#page=12"
    assert Passage(slide=3).link("https://ex.fr/a.pptx") == "https://ex.fr/a.pptx"
