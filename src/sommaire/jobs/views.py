"""`/healthz`: can this instance serve, and do the jobs keep the catalog fresh?

For load balancers and monitoring: 200 when the database answers and no job
is stalled, 503 otherwise, with a JSON body that names what is wrong and
nothing else (no address, no user, no error text that could carry one).
"""

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from sommaire.jobs.models import Job
from sommaire.jobs.schedule import scheduled_jobs


@require_safe
def healthz(request):
    answer = {"status": "ok", "database": "ok", "jobs": "ok", "stalled_jobs": []}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        stalled = Job.stalled(timedelta(minutes=settings.JOBS_LATE_MINUTES))
    except DatabaseError:
        # Drop the broken connection now: the next request connects afresh.
        connection.close()
        answer.update(status="error", database="unreachable", jobs="unknown")
    else:
        scheduled = {job.name for job in scheduled_jobs()}
        answer["stalled_jobs"] = sorted(set(stalled) & scheduled)
        if answer["stalled_jobs"]:
            answer.update(status="error", jobs="stalled")
    response = JsonResponse(answer, status=200 if answer["status"] == "ok" else 503)
    add_never_cache_headers(response)
    return response
