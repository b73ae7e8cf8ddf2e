"""TrackerPolicy: the tracker's tuning knobs as one frozen object, with the defaults the app,
the CLI and the fleet poll by."""

from __future__ import annotations

import dataclasses

import pytest

from amplify_auth_widgets import BackendAuthService, JobTracker, TrackerPolicy


def test_the_defaults_are_the_trackers_of_old():
    assert dataclasses.asdict(TrackerPolicy()) == {
        "deadline": 3600.0,
        "min_interval": 2.0,
        "call_budget": None,
        "max_interval": 60.0,
        "poll_concurrency": 8,
        "jitter": 0.1,
        "min_samples": 5,
    }


def test_a_policy_is_frozen_and_changed_by_replacing_it():
    policy = TrackerPolicy(deadline=600.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.deadline = 1.0  # type: ignore[misc]
    shorter = dataclasses.replace(policy, deadline=60.0)
    assert (policy.deadline, shorter.deadline) == (600.0, 60.0)
    assert shorter == TrackerPolicy(deadline=60.0) and hash(shorter) == hash(TrackerPolicy(60.0))


def test_every_field_is_documented():
    import inspect

    from amplify_auth_widgets.jobs import tracker

    source = inspect.getsource(tracker.TrackerPolicy)
    for field in dataclasses.fields(TrackerPolicy):
        comment = source.split(f"    {field.name}:")[0].rstrip().splitlines()[-1]
        assert comment.lstrip().startswith("#:"), field.name


def test_a_tracker_polls_by_the_policy_it_is_given_or_the_default():
    service = BackendAuthService()
    assert JobTracker(service).policy == TrackerPolicy()
    policy = TrackerPolicy(deadline=5.0, poll_concurrency=1)
    assert JobTracker(service, policy=policy).policy is policy


def test_the_knobs_are_no_longer_loose_arguments():
    with pytest.raises(TypeError):
        JobTracker(BackendAuthService(), deadline=5.0)  # type: ignore[call-arg]
