"""The link dashboard (/gestion/liens/): what the checker found, and a fix for each problem.

The problems shown are those of the editor's resources. Every action checks
the scope of what it touches: replacing an address or archiving touches one
resource; accepting a redirect or marking a problem known touches the link,
hence every resource at that address, so all of them must be the editor's.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from sommaire.catalog.models import Resource
from sommaire.catalog.services import archive_resource, change_resource_url
from sommaire.editors import permissions
from sommaire.jobs.models import Job
from sommaire.linkcheck.models import Link, LinkReport, RedirectAcceptance, Run
from sommaire.linkcheck.report import NotAcceptable, Report, accept_redirect, report_csv
from sommaire.linkcheck.services import link_url, open_reports
from sommaire.workspace.access import requires
from sommaire.workspace.forms import DsfrMixin
from sommaire.workspace.todo import UNVERIFIED_DAYS, unverified

CHECK_JOB = "check-links"
REPORTS_SHOWN = 50


def next_check() -> Job | None:
    return Job.objects.filter(name=CHECK_JOB).first()


@requires("fix-links")
def index(request):
    report = Report.build(in_scope=permissions.editable_resources(request.user))
    # A run that found the network down reached no site: it verified nothing.
    done = Run.objects.filter(outcome=Run.Outcome.DONE).order_by("-started_at").first()
    last = Run.objects.filter(scope="", finished_at__isnull=False).order_by("-started_at").first()
    unreached = last if last is not None and last.outcome == Run.Outcome.NETWORK_DOWN else None
    job = next_check()
    unverified_count, unverified_first = unverified(request.user)
    return render(
        request,
        "workspace/links/index.html",
        {
            "report": report,
            "chart": report.chart(),
            "checked": done is not None,
            "last_done": done,
            "unreached": unreached,
            "job": job,
            "job_late": job is not None and job.due_at < timezone.now(),
            "open_problems": [p for p in report.problems if not p.known],
            "known_problems": [p for p in report.problems if p.known],
            "acceptances": RedirectAcceptance.objects.select_related("accepted_by")[:10],
            "reports": open_reports(permissions.editable_resources(request.user))[:REPORTS_SHOWN],
            "unverified_count": unverified_count,
            "unverified": unverified_first,
            "unverified_days": UNVERIFIED_DAYS,
        },
    )


@requires("fix-links")
def report_as_csv(request):
    response = HttpResponse(report_csv(), content_type="text/csv; charset=utf-8")
    filename = f"liens-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _link_for_editor(request, pk: int) -> Link:
    """The link, if every resource at its address is this person's."""
    link = get_object_or_404(Link, pk=pk)
    users = Resource.objects.filter(url__startswith=link.url).only("url", "region_id")
    for resource in users:
        if link_url(resource.url) == link.url and not permissions.can_edit_region(
            request.user, resource.region_id
        ):
            raise PermissionDenied(
                "Cette adresse est aussi celle de ressources hors de votre périmètre : "
                "demandez à l’équipe nationale ou à un administrateur."
            )
    return link


@requires("fix-links")
@require_POST
def accept(request, pk: int):
    link = _link_for_editor(request, pk)
    try:
        accepted = accept_redirect(link, request.user)
    except NotAcceptable as error:
        messages.error(request, f"Redirection non acceptée : {error}.")
    else:
        messages.success(
            request,
            f"Nouvelle adresse enregistrée pour {len(accepted)} ressource(s) : {link.final_url}",
        )
    return redirect("workspace:links")


class KnownForm(DsfrMixin, forms.Form):
    until = forms.DateField(
        label="Connu jusqu’au",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Le problème quitte la liste « À traiter » jusqu’à ce jour inclus.",
        error_messages={
            "required": "Indiquez une date.",
            "invalid": "Indiquez une date au format jj/mm/aaaa.",
        },
    )

    def clean_until(self) -> date:
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError("Choisissez aujourd’hui ou une date à venir.")
        return until


@requires("fix-links")
def known(request, pk: int):
    link = _link_for_editor(request, pk)
    form = KnownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link.mark_known(form.cleaned_data["until"], request.user)
        until = date_format(form.cleaned_data["until"], "j F Y")
        messages.success(request, f"Problème noté comme connu jusqu’au {until} : {link.url}")
        return redirect("workspace:links")
    return render(request, "workspace/links/known.html", {"link": link, "form": form})


class AddressForm(DsfrMixin, forms.ModelForm):
    """The resource's new address: the catalog's own field checks (scheme, form, unique)."""

    class Meta:
        model = Resource
        fields = ["url"]
        labels = {"url": "Nouvelle adresse"}
        error_messages = {"url": {"unique": "Une autre ressource a déjà cette adresse."}}


@requires("fix-links")
def replace(request, pk: int):
    resource = permissions.get_resource_for_editor(request, pk)
    old_url = resource.url
    form = AddressForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        change_resource_url(resource, form.cleaned_data["url"], request.user, "adresse remplacée")
        messages.success(request, f"Nouvelle adresse enregistrée pour « {resource.title} ».")
        return redirect("workspace:links")
    context = {"resource": resource, "old_url": old_url, "form": form}
    return render(request, "workspace/links/replace.html", context)


@requires("fix-links")
def archive(request, pk: int):
    resource = permissions.get_resource_for_editor(request, pk)
    if request.method == "POST":
        archive_resource(resource, request.user, "lien cassé")
        messages.success(request, f"« {resource.title} » est archivée.")
        return redirect("workspace:links")
    return render(request, "workspace/links/archive.html", {"resource": resource})


@requires("fix-links")
@require_POST
def close_report(request, pk: int):
    """A reader's report dealt with; only by an editor of its resource."""
    report = get_object_or_404(LinkReport, pk=pk, closed_at__isnull=True)
    permissions.get_resource_for_editor(request, report.resource_id)  # 403 outside the scope
    report.close()
    messages.success(request, f"Signalement traité : « {report.resource.title} ».")
    return redirect("workspace:links")
