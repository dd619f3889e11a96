"""The editor's dashboard (/gestion/): today's work first."""

from django.shortcuts import render

from sommaire.workspace.access import requires


@requires("open-workspace")
def dashboard(request):
    return render(request, "workspace/dashboard.html", {})
