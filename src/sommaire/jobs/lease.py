"""Keep a claimed job's lease alive while it runs, and stop when it is lost.

A runner renews its lease every third of the lease. If the database cannot
be reached it retries every second, and if the lease is about to run out
before a renewal went through, or another runner holds the job, it gives up:
`on_lost` is called, which by default ends the process at once. The job runs
in this very process, so ending it is the only way to be sure that a job
never runs on two machines at once; the service manager (systemd, compose)
starts the runner again.
"""

import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import DatabaseError, connection

from sommaire.jobs.models import JobRun

# A runner that lost its lease exits with this status (EX_TEMPFAIL): try again.
LOST_EXIT_STATUS = 75


def abandon(reason: str) -> None:
    sys.stderr.write(f"run-jobs : {reason} ; arrêt immédiat pour ne pas doubler la tâche.\n")
    sys.stderr.flush()
    os._exit(LOST_EXIT_STATUS)


class Heartbeat(threading.Thread):
    def __init__(
        self, run: JobRun, lease: timedelta, on_lost: Callable[[str], None] = abandon
    ) -> None:
        super().__init__(name=f"heartbeat-{run.job_id}", daemon=True)
        self.run_record = run
        self.lease = lease
        self.on_lost = on_lost
        self.done = threading.Event()

    def __enter__(self) -> "Heartbeat":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.join()

    def run(self) -> None:
        seconds = self.lease.total_seconds()
        # Give up while a sixth of the lease is left: nobody may take it yet.
        held_until = time.monotonic() + seconds
        wait = seconds / 3
        try:
            while not self.done.wait(wait):
                verdict = self.beat()
                if verdict is True:
                    held_until, wait = time.monotonic() + seconds, seconds / 3
                elif verdict is False:
                    return self.on_lost("une autre instance a repris la tâche")
                elif held_until - time.monotonic() < seconds / 6:
                    return self.on_lost("bail non renouvelé, base de données injoignable")
                else:
                    wait = min(1.0, seconds / 10)
        finally:
            connection.close()

    def beat(self) -> bool | None:
        """True: renewed; False: another runner holds it; None: the database did not answer."""
        try:
            return self.run_record.renew(self.lease)
        except DatabaseError:
            connection.close()
            return None
