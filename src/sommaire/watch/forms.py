"""The form that turns a candidate into a published resource, prefilled with the guess."""

from django import forms

from sommaire.catalog.models import Resource, Section
from sommaire.editors import permissions
from sommaire.watch.models import Candidate


class AcceptForm(forms.ModelForm):
    """The resource to publish: the guessed metadata, every field editable.

    The regions offered are those the editor may write; a regional editor
    cannot leave a resource national.
    """

    section = forms.ModelChoiceField(Section.objects.all(), label="section")
    group = forms.CharField(label="groupe", required=False, max_length=200)

    class Meta:
        model = Resource
        fields = [
            "title", "key", "url", "kind", "format", "publisher",
            "profile", "wave", "version", "region", "description",
        ]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = permissions.assignable_regions(user)
        region.required = not permissions.may_leave_national(user)
        region.empty_label = "Nationale" if not region.required else None

    @classmethod
    def for_candidate(cls, candidate: Candidate, user, data=None) -> "AcceptForm":
        initial = {
            "title": candidate.title,
            "key": candidate.suggested_key(),
            "url": candidate.url,
            "kind": candidate.kind_id,
            "format": candidate.format_id,
            "publisher": candidate.publisher_id,
            "profile": candidate.profile_id,
            "wave": candidate.wave_id,
            "version": candidate.version,
            "region": candidate.region_id,
            "section": candidate.section_id,
        }
        old = candidate.predecessor
        if old is not None:
            for name in ("format", "publisher", "profile", "wave"):
                initial[name] = initial[name] or getattr(old, f"{name}_id")
            initial["description"] = old.description
            initial["region"] = old.region_id
        form = cls(data=data, initial=initial, user=user)
        if candidate.change == Candidate.Change.VERSION:
            # A successor takes its predecessor's places: no section to choose.
            del form.fields["section"], form.fields["group"]
        return form
