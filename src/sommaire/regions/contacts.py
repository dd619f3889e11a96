"""Who answers a reader: the national contacts of a topic, and the reader's regional ones."""

from dataclasses import dataclass, field

from sommaire.catalog.models import Contact, Region, Section


@dataclass
class WhoToAsk:
    """The "Qui contacter ?" block of a section page."""

    national: list[Contact] = field(default_factory=list)
    region: Region | None = None
    regional: list[Contact] = field(default_factory=list)

    @classmethod
    def of(cls, section: Section, ancestors: list[Section], region: Region | None) -> "WhoToAsk":
        """National contacts of the section or of a section above it (the ASP answers
        for "Documentation par cible", so for each couloir), then the region's."""
        national = Contact.objects.answering([section, *ancestors]).order_by("order", "name")
        regional = region.contacts.order_by("order", "name") if region else []
        return cls(national=list(national), region=region, regional=list(regional))
