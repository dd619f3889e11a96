"""The review queue in the back-office (/gestion/): accept, dismiss, snooze.

Who reviews what is decided by `sommaire.watch.services` (which asks
`sommaire.editors.permissions`): a person reviews the candidates whose
decision changes only what they may write. Accepting opens the resource
form prefilled with the guessed metadata; the editor corrects and publishes.
"""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from sommaire.catalog.models import Resource, Section
from sommaire.editors import permissions
from sommaire.watch import services
from sommaire.watch.models import Candidate, Source


class AcceptForm(forms.ModelForm):
    """The resource to publish, prefilled from the candidate."""

    section = forms.ModelChoiceField(Section.objects.all(), label="section")
    group = forms.CharField(label="groupe", required=False, max_length=200)

    class Meta:
        model = Resource
        fields = [
            "title", "key", "url", "kind", "format", "publisher",
            "profile", "wave", "version", "region", "description",
        ]  # fmt: skip

    @classmethod
    def for_candidate(cls, candidate: Candidate, data=None, user=None) -> "AcceptForm":
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
            initial["description"] = old.description
            initial["region"] = old.region_id
        form = cls(data=data, initial=initial)
        if user is not None:
            # Offer only the regions this person may write, as the resource form does:
            # a wrong choice is a message on the form, not a refusal that loses the input.
            region = form.fields["region"]
            region.queryset = permissions.assignable_regions(user)
            region.required = not permissions.may_leave_national(user)
            region.empty_label = "Nationale (toutes les régions)" if not region.required else None
        if candidate.change == Candidate.Change.VERSION:
            # A successor takes its predecessor's places: no section to choose.
            del form.fields["section"], form.fields["group"]
        return form


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("title", "change", "review_link", "section", "region", "status", "first_seen")
    list_filter = ("status", "change", "section", "region")
    search_fields = ("title", "url", "link_text")
    actions = ["dismiss", "snooze"]
    readonly_fields = [f.name for f in Candidate._meta.fields]

    def get_queryset(self, request):
        return services.reviewable(request.user, super().get_queryset(request).described())

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user) and (
            obj is None or permissions.can_edit_region(request.user, obj.scope_region_id())
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="examen")
    def review_link(self, candidate: Candidate):
        if not candidate.is_open():
            return "—"
        url = reverse("admin:watch_candidate_accept", args=[candidate.pk])
        label = "Archiver…" if candidate.change == Candidate.Change.REMOVED else "Accepter…"
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.action(description="Écarter (ne plus jamais proposer)")
    def dismiss(self, request, queryset):
        for candidate in queryset:
            services.dismiss_candidate(candidate, request.user)
        self.message_user(request, f"{len(queryset)} candidat(s) écarté(s).")

    @admin.action(description="Reporter d’une semaine")
    def snooze(self, request, queryset):
        for candidate in queryset:
            services.snooze_candidate(candidate, request.user)
        self.message_user(request, f"{len(queryset)} candidat(s) reporté(s) d’une semaine.")

    def get_urls(self):
        accept = self.admin_site.admin_view(self.accept_view)
        return [
            path("<int:pk>/accepter/", accept, name="watch_candidate_accept"),
            *super().get_urls(),
        ]

    def accept_view(self, request, pk: int):
        candidate = get_object_or_404(self.get_queryset(request), pk=pk)
        if not candidate.is_open():
            return self._already_decided(request)
        services.check_review(request.user, candidate)
        if candidate.change == Candidate.Change.REMOVED:
            return self._accept_removal(request, candidate)
        form = AcceptForm.for_candidate(candidate, request.POST or None, request.user)
        if request.method == "POST" and form.is_valid():
            resource = form.save(commit=False)
            if "section" in form.cleaned_data:
                candidate.section = form.cleaned_data["section"]
            group = form.cleaned_data.get("group", "")
            try:
                services.accept_candidate(candidate, resource, request.user, group)
            except services.AlreadyDecided:
                return self._already_decided(request)
            messages.success(request, f"« {resource.title} » est publiée.")
            return redirect(_resource_admin_url(resource))
        return self._render(request, candidate, form=form)

    def _accept_removal(self, request, candidate: Candidate):
        if request.method == "POST":
            try:
                services.accept_removal(candidate, request.user)
            except services.AlreadyDecided:
                return self._already_decided(request)
            messages.success(request, f"« {candidate.title} » est archivée.")
            return redirect("admin:watch_candidate_changelist")
        return self._render(request, candidate)

    def _already_decided(self, request):
        messages.warning(request, "Ce candidat a déjà été examiné.")
        return redirect("admin:watch_candidate_changelist")

    def _render(self, request, candidate, form=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Examiner « {candidate.title} »",
            "candidate": candidate,
            "form": form,
        }
        return TemplateResponse(request, "admin/watch/candidate/accept.html", context)


def _resource_admin_url(resource: Resource) -> str:
    try:
        return reverse("admin:catalog_resource_change", args=[resource.pk])
    except NoReverseMatch:
        return reverse("admin:watch_candidate_changelist")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Pages to watch: administrators declare them; the state is the watcher's."""

    list_display = ("url", "section", "region", "status", "checked_at", "error")
    list_filter = ("status", "section")
    search_fields = ("url",)
    fields = ["url", "section", "selector", "region", "interval"]
    readonly_fields = ["status", "checked_at", "changed_at", "error"]

    def get_fields(self, request, obj=None):
        return self.fields + (self.readonly_fields if obj else [])

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def _admin(self, request, obj=None) -> bool:
        return permissions.can_manage_accounts(request.user)

    has_add_permission = has_change_permission = has_delete_permission = _admin
