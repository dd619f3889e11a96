"""The editor's dashboard (/gestion/): today's work first, then the robots, then who did what."""

from django.shortcuts import render

from sommaire.editors import permissions
from sommaire.workspace.access import requires
from sommaire.workspace.activity import recent_activity
from sommaire.workspace.robots import robots
from sommaire.workspace.todo import todo


def scope_label(user) -> str:
    role = permissions.role_of(user)
    if role == permissions.REGIONAL:
        names = list(user.editor.regions.order_by("order", "name").values_list("name", flat=True))
        if len(names) == 1:
            return f"la région {names[0]}"
        return "les régions " + ", ".join(names[:-1]) + f" et {names[-1]}"
    if role == permissions.NATIONAL:
        return "le catalogue national"
    return "tout le catalogue"


@requires("open-workspace")
def dashboard(request):
    context = {
        "scope": scope_label(request.user),
        "todo": todo(request.user),
        "robots": robots(),
        "activity": recent_activity(request.user),
    }
    return render(request, "workspace/dashboard.html", context)
