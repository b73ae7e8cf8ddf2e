"""What the tests share beyond conftest's fixtures, one module a topic (a test module never
imports another: ``tests/test_architecture.py`` checks it):

- the browser: ``browser`` (Chromium under Playwright, the keyboard);
- the widgets: ``widgetface`` (a panel as a person meets it, the to-do list, focus requests,
  uploads), ``htmltext`` (what a person reads in HTML), ``fleetpanel`` (a fleet panel whose
  work waits for the test);
- the emulator: ``wire`` (responses checked against the model), ``signing`` (requests signed
  by botocore, sent as they are), ``answers`` (times and errors as a client reads them);
- the jobs and the fleet: ``jobs`` (a job as the service answers it, the tracker driven, its
  poll times), ``rollout`` (an emulator and a fleet for the apply), ``terminal`` (what a
  pseudo-terminal was sent);
- Gen 2 and the move off Gen 1: ``deployed`` and ``amplify_meta`` (what an environment has
  deployed), ``gen2_eval`` and ``gen2_lines`` (generated files evaluated, lines they share),
  ``nag`` (cdk-nag's scan), ``toolchain`` (the pinned npm toolchain);
- what we write for other programs: ``sinks`` (secrets, CSV cells, frames, labels);
- the run itself: ``leaks`` (processes left behind), ``installs`` (other installs' Python
  environments), ``notebooks`` (a notebook run as Jupyter runs it), ``strategies``
  (hypothesis strategies for requests from the service model)."""
