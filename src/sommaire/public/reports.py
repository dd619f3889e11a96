"""« Signaler un lien cassé »: a reader's report, with no account.

The form is a page of its own (the resource page is cached whole and so
holds no CSRF token). What a report does, throttling included, is
`sommaire.linkcheck.services.report_broken_link`: it reaches the editors'
count of open reports and checks the link at once.
"""

import hashlib
import hmac

from django import forms
from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_http_methods

from sommaire.catalog.models import Resource
from sommaire.editors.lockout import client_ip
from sommaire.linkcheck import services as linkcheck
from sommaire.public.tree import SectionTree
from sommaire.public.views import _page


class ReportForm(forms.Form):
    comment = forms.CharField(
        label="Ce que vous avez constaté",
        help_text="Facultatif, 500 caractères au plus : par exemple « page introuvable » "
        "ou « le document a changé d’adresse ».",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "fr-input", "rows": 3}),
    )


def reporter_key(request) -> str:
    """The reader's address, hashed with the site's key: enough to throttle, not to identify."""
    address = client_ip(request) or ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@require_http_methods(["GET", "POST"])
def report_link(request, key: str):
    resource = Resource.objects.select_related("format").filter(key=key).first()
    if resource is None:
        raise Http404("Cette ressource n’existe pas.")
    tree = SectionTree.load()
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = linkcheck.report_broken_link(
                resource, form.cleaned_data["comment"], reporter_key(request)
            )
        except linkcheck.TooManyReports:
            form.add_error(
                None,
                "Vous avez déjà envoyé plusieurs signalements dans l’heure : "
                "réessayez plus tard, votre commentaire est conservé ci-dessous.",
            )
        else:
            return _page(
                request, "public/report_link_sent.html", tree, resource=resource, report=report
            )
    return _page(request, "public/report_link.html", tree, resource=resource, form=form)
