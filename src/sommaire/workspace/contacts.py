"""Contacts (/gestion/contacts/): the contact points of the editor's regions.

The form is a ModelForm on `catalog.Contact` with every editable field, so
a field added to the model comes along; it carries the back-office's
revision check (no lost update), and offers only the regions the person
holds. Each write is checked on the contact as stored and as it will be.
"""

from django.contrib import messages
from django.shortcuts import redirect, render

from sommaire.catalog.models import Contact
from sommaire.editors import permissions
from sommaire.editors.backoffice import RevisionForm
from sommaire.workspace.access import requires
from sommaire.workspace.forms import DsfrMixin


class ContactForm(DsfrMixin, RevisionForm):
    class Meta:
        model = Contact
        fields = "__all__"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = list(permissions.assignable_regions(user))
        region = self.fields["region"]
        region.queryset = permissions.assignable_regions(user)
        if len(regions) == 1:  # nothing to choose: the editor's one region
            region.empty_label = None
            if self.instance.pk is None:
                self.initial["region"] = regions[0].pk


@requires("edit-contacts")
def index(request):
    contacts = permissions.editable_contacts(request.user).select_related("region")
    return render(request, "workspace/contacts/index.html", {"contacts": contacts})


@requires("edit-contacts")
def create(request):
    return _form_page(request, Contact())


@requires("edit-contacts")
def edit(request, pk: int):
    return _form_page(request, permissions.get_contact_for_editor(request, pk))


def _form_page(request, contact: Contact):
    form = ContactForm(request.POST or None, instance=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        permissions.check_contact_write(request.user, saved)
        if not form.save_as(saved, request.user):
            # Saved by someone else between the check and the write: show the merge.
            return _form_page(request, permissions.get_contact_for_editor(request, contact.pk))
        messages.success(request, f"Le contact « {saved.name} » est enregistré.")
        return redirect("workspace:contacts")
    return render(request, "workspace/contacts/form.html", {"form": form, "contact": contact})
