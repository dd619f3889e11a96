"""Checking an address while an editor types it, before anything is saved.

The address is fetched once through `sommaire.fetch` (its address guard
refuses the machine itself, the local network and the metadata services)
and classified by the link checker's rules, so the editor reads the same
verdict the nightly check would give. The address itself is read by the
watcher's naming conventions (`DSR-HOP-DPI-Va1.pdf`) to guess the kind, the
format and the version of the document.
"""

import asyncio
from dataclasses import dataclass

from django.conf import settings

from sommaire.catalog.models import Format, Kind, SoftwareProfile, Wave
from sommaire.catalog.pack import url_problem
from sommaire.fetch.client import FetchConfig
from sommaire.linkcheck.models import GOOD, Status
from sommaire.linkcheck.services import Target, check_targets, human_size
from sommaire.watch.conventions import Vocabulary, guess

# An editor waits for the answer: a slow site is reported, not waited for.
CHECK_SECONDS = 10
# What a server says it sends, when the address does not say it (no extension).
FORMAT_OF_TYPE = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/zip": "zip",
}


@dataclass
class AddressCheck:
    """What one address gave: the fetch's verdict and the guessed description."""

    url: str
    status: str = ""
    status_label: str = ""
    http_status: int | None = None
    final_url: str = ""
    content_type: str = ""
    size: str = ""
    error: str = ""
    kind: Kind | None = None
    format: Format | None = None
    profile: SoftwareProfile | None = None
    wave: Wave | None = None
    version: str = ""

    @property
    def reachable(self) -> bool:
        return self.status in GOOD

    @property
    def moved(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url

    def as_json(self) -> dict:
        def slug(term):
            return term.slug if term else None

        return {
            "url": self.url,
            "status": self.status,
            "status_label": self.status_label,
            "reachable": self.reachable,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "content_type": self.content_type,
            "size": self.size,
            "error": self.error,
            "kind": slug(self.kind),
            "format": slug(self.format),
            "profile": slug(self.profile),
            "wave": slug(self.wave),
            "version": self.version,
        }


class AddressRefused(ValueError):
    """An address that cannot be checked at all; the message says what to fix, in French."""


def check_address(url: str) -> AddressCheck:
    """Fetch `url` once through the guard and describe it; AddressRefused if unusable."""
    url = url.strip()
    if url and "://" not in url and not url.lower().startswith("mailto:"):
        url = "https://" + url  # as the form reads it (HttpsURLField)
    if not url:
        raise AddressRefused(
            "Saisissez l’adresse du document, par exemple https://esante.gouv.fr/…"
        )
    problem = url_problem(url)
    if problem:
        # The catalog's one rule (local and private hosts included), before any fetch.
        raise AddressRefused(f"Adresse refusée : {problem}.")
    found = _guess(url)
    if url.lower().startswith("mailto:"):
        return found
    expects_document = found.format is not None and found.format.is_file()
    config = FetchConfig.from_settings(
        total_timeout=min(float(settings.FETCH_TIMEOUT), CHECK_SECONDS), retries=0
    )
    (outcome,) = asyncio.run(check_targets([Target(url, expects_document)], config=config))
    found.status = outcome.status
    found.status_label = Status(outcome.status).label
    found.http_status = outcome.http_status
    found.final_url = outcome.final_url if outcome.status in GOOD else ""
    found.content_type = outcome.content_type
    found.size = human_size(outcome.content_length)
    found.error = outcome.error
    by_type = FORMAT_OF_TYPE.get(outcome.content_type)
    if by_type and (found.format is None or not found.format.is_file()):
        found.format = Format.objects.filter(slug=by_type).first() or found.format
    return found


def _guess(url: str) -> AddressCheck:
    terms = {
        name: {term.slug: term for term in model.objects.all()}
        for name, model in (
            ("kinds", Kind),
            ("formats", Format),
            ("profiles", SoftwareProfile),
            ("waves", Wave),
        )
    }
    guessed = guess(url, "", Vocabulary(**{name: set(found) for name, found in terms.items()}))
    return AddressCheck(
        url=url,
        kind=terms["kinds"].get(guessed.kind),
        format=terms["formats"].get(guessed.format),
        profile=terms["profiles"].get(guessed.profile),
        wave=terms["waves"].get(guessed.wave),
        version=guessed.version,
    )
