"""What the fleet apply's tests against a real emulator set up alike: an emulator on its own
clock whose one app holds a stored auth, and a fleet whose tracker polls in milliseconds."""

from __future__ import annotations

import time

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.fleet.inventory import Fleet


def emulator_with_auth(
    db: str, app: str, stored: dict, offset: list[float], seed: int = 7
) -> Emulator:
    """An emulator (its clock ``offset`` from the real one, jobs of 600 s) whose app ``app``'s
    dev has ``stored`` as its auth, named fleetauth."""
    made = Emulator(job_seconds=600, seed=seed, db=db, clock=lambda: time.time() + offset[0])
    store, now = made.backend.store, made.clock()
    store.put_app(app, app, {}, now)
    store.put_environment(app, "dev", {}, now)
    store.put_auth(app, "dev", "fleetauth", stored, now)
    return made


def quick_fleet(made: Emulator, history: JobHistory) -> Fleet:
    """A fleet on ``made`` whose service never sleeps and whose tracker polls every 0.02 s."""
    service = BackendAuthService(
        made.connection(), on_call=history.record_call, sleep=lambda s: None
    )
    policy = TrackerPolicy(min_interval=0.02, max_interval=0.1, min_samples=10**6)
    return Fleet(service, history, JobTracker(service, history, policy=policy))
