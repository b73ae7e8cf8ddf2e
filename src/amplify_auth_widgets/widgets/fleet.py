"""FleetPanel: audit every app and environment, pick targets, dry-run then apply, in a widget.

The panel is a widget (a ``VBox``). **Audit** reads the fleet in the background (a progress
bar moves; the kernel never waits) and shows the audit as a table, with filters (environment,
the named security check failed, or any, an app name or id) and a heat map of failed checks
and findings by environment. **Fix with apply** takes the check chosen in the filter and
dry-runs its remediation (``fleet.checks.fix_plan``, an update) on the environments failing
it that are picked; Apply then sends it. The targets the
filters leave are listed to pick from (all picked at first). **Dry run** shows what each
picked target would get from ``template`` (link it to the editor's ``value`` with
``use_editor``; ``dryrun.py``): a table of settings by label, before and after, or beside an
INVALID target the reason. Only then is **Apply** enabled, and only for a plan with no
INVALID target (the plan is applied whole: unpick those, dry-run again); it sends, follows
the jobs and shows the results. Secrets never appear: the audit is redacted and diffs hide
secret values.

The **Migration** tab plans the move of every audited environment to Amplify Gen 2
(``fleet.migration_plan``): after each audit, a table of the way, the verdict and its reasons,
the secrets to set and the cdk-nag findings (filtered by verdict), the counts by verdict and
their bar chart, whose alternative text says the counts in words. **Audit and plan** there runs
the same background audit.

Each audit is saved in the fleet's history (``save_audits``, on by default; ``fleet.timeline``)
and what changed since the previous saved one is shown above the tabs: every field per
environment with its value before and after (a secret only as "changed"), or that nothing did.

State is in traits: ``audit``, ``plan`` and ``results`` (frames), ``picked`` (targets),
``template``, ``mode``, ``busy``, ``changes`` (the drift frame), ``save_audits``;
``on_applied(callback)`` is called with the results frame.
"""

from __future__ import annotations

import threading
from typing import Any

import ipywidgets as w
import traitlets as t

from ..client.connection import Connection
from ..fleet.accounts import LOCATION_COLUMNS
from ..fleet.checks import CHECKS, FAILED_COLUMN, fix_plan, with_checks
from ..fleet.inventory import Fleet, in_background
from ..fleet.inventory import apply as apply_everywhere
from ..fleet.inventory import audit as audit_everywhere
from ..fleet.migration import (
    CHART_TITLE,
    VERDICT_COLORS,
    VERDICTS,
    migration_plan,
    plan_chart,
    plan_counts,
    plan_summary,
)
from ..fleet.report import plot_findings_heatmap
from ..fleet.rollout import MODES
from ..fleet.timeline import baseline_time, drift
from ..jobs.report import figure_png
from .dryrun import dry_run_html, invalid_targets
from .html import error_html, escape
from .plot import Plot, heatmap_alt
from .style import WIDE, job_colour, on_theme

ALL = "(all)"
#: The check filter's choice of environments failing any check.
ANY_CHECK = "(any check)"
SHOWN = (
    "app_id",
    "app_name",
    "environment",
    FAILED_COLUMN,
    "errors",
    "warnings",
    "finding_codes",
    "error",
)
#: The migration plan's columns the Migration tab shows, and their headings.
PLAN_SHOWN = {
    "app_name": "App",
    "app_id": "App id",
    "environment": "Environment",
    "way": "Way",
    "verdict": "Verdict",
    "reasons": "Reasons",
    "secrets": "Secrets to set",
    "nag": "cdk-nag findings",
}


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...], limit: int = 200) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(row.get(c)))}</td>" for c in columns) + "</tr>"
        for row in rows[:limit]
    )
    more = f"<i>{len(rows) - limit} more rows not shown</i>" if len(rows) > limit else ""
    return (
        "<style>.aaw-fleet td,.aaw-fleet th{padding:2px 10px;text-align:left}</style>"
        f'<table class="aaw-fleet"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        + more
    )


def _checked(frame: Any) -> Any:
    """``frame`` with the named checks' columns (an audit has them; a frame made otherwise,
    or read back from an older file, gets them worked out)."""
    return frame if FAILED_COLUMN in frame.columns else with_checks(frame)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None or value != value else str(value)  # (NaN is not itself)


def drift_html(changes: Any, previous: Any, limit: int = 200) -> str:
    """What changed since the previous saved audit (taken at ``previous``, None: there is
    none): a line, then a table of each change (environment, field, before, after) in a
    ``<details>`` that is open; every value escaped, secrets only as "changed"."""
    if previous is None:
        return "<i>First saved audit: the next one shows what changed since.</i>"
    when = escape(previous.strftime("%Y-%m-%d %H:%M:%S UTC"))
    if changes.empty:
        return f'<span class="aaw-drift">No change since the audit of {when}.</span>'
    envs = changes[["app_id", "environment"]].drop_duplicates()
    rows = [
        {
            "environment": f"{r['app_name'] or r['app_id']} / {r['environment']}",
            "field": r["field"],
            "before": _drift_value(r["before"]),
            "after": _drift_value(r["after"]),
        }
        for r in changes.to_dict("records")
    ]
    table = _table(rows, ("environment", "field", "before", "after"), limit)
    return (
        f'<details class="aaw-drift" open><summary><b>{len(changes)}</b> change(s) in '
        f"<b>{len(envs)}</b> environment(s) since the audit of {when}</summary>{table}</details>"
    )


def _drift_value(value: Any) -> str:
    return "(none)" if value is None else _cell(value)


def plan_table(plan: Any, limit: int = 200) -> str:
    """The plan as an HTML table: a caption, column headers, a verdict in its colour, each
    list as a bulleted list; every value escaped."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in PLAN_SHOWN.values())
    rows = []
    for row in plan.to_dict("records")[:limit]:
        cells = []
        for column in PLAN_SHOWN:
            value = row.get(column)
            if isinstance(value, list):
                items = "".join(f"<li>{escape(str(v))}</li>" for v in value)
                cells.append(f"<td><ul>{items}</ul></td>" if items else "<td></td>")
            elif column == "verdict":
                colour = on_theme(VERDICT_COLORS.get(str(value), "currentColor"))
                cells.append(f'<td style="color:{colour}"><b>{escape(_cell(value))}</b></td>')
            else:
                cells.append(f"<td>{escape(_cell(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = len(plan) - limit
    return (
        "<style>.aaw-plan td,.aaw-plan th{padding:2px 10px;text-align:left;vertical-align:top}"
        ".aaw-plan ul{margin:0;padding-left:1.2em}</style>"
        '<table class="aaw-plan"><caption>Migration plan: a row per environment</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + (f"<i>{more} more rows not shown</i>" if more > 0 else "")
    )


def chart_html(plan: Any) -> str:
    """The plan's bar chart as a figure: the image with the counts in words as its alt text,
    and the chart's title as its caption."""
    import base64

    png = base64.b64encode(figure_png(plan_chart(plan))).decode()
    return (
        f'<figure class="aaw-plan-chart" style="margin:0"><img alt="{escape(plan_summary(plan))}" '
        f'src="data:image/png;base64,{png}" style="max-width:640px">'
        f"<figcaption>{escape(CHART_TITLE)}</figcaption></figure>"
    )


class FleetPanel(w.VBox):
    """Audit, pick, dry-run and apply across the fleet. CSS class ``aaw-fleet-panel``."""

    audit = t.Instance(object, allow_none=True, help="The last audit frame, or None.")
    plan = t.Instance(
        object, allow_none=True, help="The migration plan of the last audit (a frame), or None."
    )
    results = t.Instance(object, allow_none=True, help="The last dry run's or apply's results.")
    picked = t.List(
        t.Tuple(t.Unicode(), t.Unicode()),
        help="The targets picked, as (app_id, environment) pairs.",
    )
    template = t.Dict(help="The request (or ResourceConfig) to apply: link the editor's value.")
    mode = t.Enum(
        MODES,
        "create",
        help="How targets are changed: create (the default, as fleet.apply's and the CLI's: "
        "never over a configuration), update, or upsert.",
    )
    busy = t.Bool(False, help="True while an audit or an apply runs in the background.")
    changes = t.Instance(
        object,
        allow_none=True,
        help="What changed since the previous saved audit (``fleet.drift``, a frame), or None.",
    )
    save_audits = t.Bool(
        True, help="Save each audit in the fleet's history, to show what changed since the last."
    )

    def __init__(self, fleet: Fleet, *, concurrency: int = 8, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fleet = fleet
        self.concurrency = concurrency
        self._applied = w.CallbackDispatcher()
        self._dry_run_of: tuple[Any, ...] | None = None
        #: The targets the last dry run found INVALID ("app / environment"): Apply waits.
        self._invalid: list[str] = []
        #: The last "Fix with apply": its template and targets (with per-target values).
        self._fix: tuple[dict[str, Any], Any] | None = None
        self._cancel = threading.Event()
        self.audit_button = w.Button(description="Audit", icon="search")
        self.audit_button.on_click(lambda _: self.run_audit())
        # the accounts and regions to audit and apply in (``set_places``); hidden until given
        self.places = w.SelectMultiple(
            options=[], rows=4, description="Accounts", style=WIDE, layout=w.Layout(display="none")
        )
        self.place_profiles = w.Text(
            description="Profiles", placeholder="default (comma-separated)", style=WIDE
        )
        self.place_regions = w.Text(
            description="Regions", placeholder="the connection's (comma-separated)", style=WIDE
        )
        self.places_button = w.Button(
            description="Use accounts",
            icon="sitemap",
            tooltip="Audit and apply in each profile in each region (pick them below)",
        )
        self.places_button.on_click(lambda _: self.use_places())
        # labels in full: the default description width cuts "Environment"
        self.env_filter = w.Dropdown(
            options=[ALL], value=ALL, description="Environment", style=WIDE
        )
        self.check_filter = w.Dropdown(
            options=[ALL, ANY_CHECK, *CHECKS], value=ALL, description="Failing", style=WIDE
        )
        self.fix_button = w.Button(
            description="Fix with apply",
            icon="wrench",
            disabled=True,
            tooltip="Dry-run the chosen check's remediation on the picked targets failing it",
        )
        self.fix_button.on_click(lambda _: self.fix_check(self.check_filter.value))
        self.app_filter = w.Text(placeholder="app name or id", description="App", style=WIDE)
        for control in (self.env_filter, self.check_filter, self.app_filter):
            control.observe(lambda _: self._show_audit(), names="value")
        self.table = w.HTML("<i>Press Audit to read every app and environment.</i>")
        self.heatmap = Plot("aaw-heatmap")
        self.heatmap_error = w.HTML()
        self.targets = w.SelectMultiple(options=[], rows=8, description="Targets", style=WIDE)
        self.targets.observe(self._picked, names="value")
        apply_row = self._build_apply_row()
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(visibility="hidden"))
        self.message = w.HTML()
        self.outcome = w.HTML()
        audit_tab = w.VBox(
            [
                w.HBox([self.place_profiles, self.place_regions, self.places_button]),
                self.places,
                w.HBox([self.audit_button, self.env_filter, self.check_filter, self.app_filter]),
                self.fix_button,
                self.table,
                self.heatmap_error,
                self.heatmap,
                self.targets,
                apply_row,
                self.outcome,
            ]
        )
        self.tabs = w.Tab(
            children=[audit_tab, self._build_migration_tab()],
            titles=("Audit and apply", "Migration"),
        )
        self.drift_view = w.HTML()  # what changed since the last audit (``_show_drift``)
        self.children = [self.progress, self.message, self.drift_view, self.tabs]
        self.add_class("aaw-fleet-panel")
        self.observe(
            lambda _: self._enable(), names=["busy", "picked", "template", "mode", "audit"]
        )

    def _build_migration_tab(self) -> w.VBox:
        """The plan's parts: Audit and plan, the verdict filter, counts, table and chart."""
        self.plan_button = w.Button(
            description="Audit and plan", icon="road", tooltip="Audit, then plan the move"
        )
        self.plan_button.on_click(lambda _: self.run_audit())
        self.verdict_filter = w.Dropdown(
            options=[ALL, *VERDICTS], value=ALL, description="Verdict", style=WIDE
        )
        self.verdict_filter.observe(lambda _: self._show_plan(), names="value")
        self.plan_counts = w.HTML()
        self.plan_table = w.HTML("<i>Audit to plan each environment's move to Gen 2.</i>")
        self.plan_chart = w.HTML()
        self.observe(self._planned, names="audit")
        tab = w.VBox(
            [
                w.HBox([self.plan_button, self.verdict_filter]),
                self.plan_counts,
                self.plan_chart,
                self.plan_table,
            ]
        )
        tab.add_class("aaw-fleet-migration")
        return tab

    def _build_apply_row(self) -> w.HBox:
        """The mode, then Dry run, Apply (enabled once a dry run shows what it would do) and
        Stop sending."""
        self.mode_picker = w.Dropdown(options=list(MODES), description="Mode", style=WIDE)
        # the panel's mode first (its default, or one given to the constructor), then both ways
        t.link((self, "mode"), (self.mode_picker, "value"))
        self.dry_run_button = w.Button(description="Dry run", icon="eye", disabled=True)
        self.dry_run_button.on_click(lambda _: self.run_apply(dry_run=True))
        self.apply_button = w.Button(
            description="Apply", icon="play", button_style="warning", disabled=True
        )
        self.apply_button.on_click(lambda _: self.run_apply(dry_run=False))
        self.cancel_button = w.Button(description="Stop sending", icon="stop", disabled=True)
        self.cancel_button.on_click(lambda _: self._cancel.set())
        self.apply_note = w.HTML()  # why Apply is off after a dry run, beside it
        return w.HBox(
            [
                self.mode_picker,
                self.dry_run_button,
                self.apply_button,
                self.cancel_button,
                self.apply_note,
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )

    # -- wiring ----------------------------------------------------------------------------

    @classmethod
    def for_app(cls, service: Any, history: Any, tracker: Any, editor: Any) -> FleetPanel:
        """The app's panel: its service, history and tracker, applying what the editor holds."""
        panel = cls(Fleet(service, history, tracker))
        panel.use_editor(editor)
        return panel

    def set_service(self, service: Any) -> None:
        """Audit and apply through ``service`` from now on (another connection: AWS instead of
        the local emulator). What was read and dry-run through the old one is dropped, so
        that nothing is applied there on the strength of a dry run made elsewhere; sending
        still under way stops (as with Stop sending)."""
        if self.busy:
            self._cancel.set()
        self.fleet.set_service(service)
        self._dry_run_of, self._invalid = None, []
        self.audit = self.results = None  # (and so the plan)
        self.targets.options = []
        self.picked = []
        self.env_filter.options, self.env_filter.value = [ALL], ALL
        self.table.value = "<i>Connection changed: press Audit to read its apps.</i>"
        self.heatmap.layout.display = "none"
        self.heatmap_error.value = ""
        self.message.value = self.outcome.value = ""
        self._enable()

    def set_places(self, connections: Any) -> None:
        """Offer ``connections`` (a profile and a region each: ``Connection``s, or a mapping of
        label to one) to audit and apply in, all picked at first; from now on Audit reads every
        picked one into one frame (``account_id``, ``region``) and Apply sends each target
        through the one it is in. None (or empty): the panel's own connection again."""
        if isinstance(connections, dict):
            options = list(connections.items())
        else:
            options = [(_place_label(c), c) for c in connections or ()]
        self.places.options = options
        self.places.value = tuple(c for _, c in options)
        self.places.layout.display = None if options else "none"

    def use_places(self) -> list[Any]:
        """Offer each profile in each region typed in Profiles and Regions (comma-separated;
        left empty: the panel's connection's), reached as the panel's connection is (its
        endpoint and TLS settings); returns them."""
        base = getattr(self.fleet.service, "connection", None)
        if not isinstance(base, Connection):
            base = Connection()
        profiles = [p.strip() for p in self.place_profiles.value.split(",") if p.strip()]
        regions = [r.strip() for r in self.place_regions.value.split(",") if r.strip()]
        made = []
        for profile in profiles or [None]:
            keys = {} if profile is None else {"access_key_id": None, "secret_access_key": None}
            for region in regions or [base.region]:
                made.append(
                    base.with_changes(profile=profile or base.profile, region=region, **keys)
                )
        self.set_places(made)
        return made

    def picked_places(self) -> list[Any]:
        """The connections picked to audit and apply in ([]: the panel's own one)."""
        return list(self.places.value) if self.places.options else []

    def on_applied(self, callback: Any, remove: bool = False) -> None:
        """``callback(results)`` after every apply (not dry runs)."""
        self._applied.register_callback(callback, remove=remove)

    def use_editor(self, editor: Any) -> None:
        """Apply what ``editor`` holds: its ``value`` is this panel's ``template``."""
        t.dlink((editor, "value"), (self, "template"))

    def _enable(self) -> None:
        ready = bool(self.picked and self.template) and not self.busy
        self.dry_run_button.disabled = not ready
        # Apply only what was just dry-run (the same targets, template and mode), and only a
        # plan with no INVALID target: the plan shown is what is sent, whole (_blocked_note)
        dry_run = self._dry_run_of is not None and self._dry_run_of == self._what()
        blocked = dry_run and bool(self._invalid)
        self.apply_button.disabled = not ready or not dry_run or blocked
        self.apply_note.value = _blocked_note(self._invalid) if blocked else ""
        self.audit_button.disabled = self.plan_button.disabled = self.busy
        self.cancel_button.disabled = not self.busy
        chosen = CHECKS.get(self.check_filter.value)
        fixable = chosen is not None and chosen.remediation is not None
        self.fix_button.disabled = self.busy or not (fixable and self.audit is not None)

    def _what(self) -> tuple[Any, ...]:
        return (tuple(self.picked), repr(sorted(self.template.items())), self.mode)

    def _picked(self, change: dict[str, Any]) -> None:
        self.picked = [tuple(v.split(" / ", 1)) for v in change["new"]]

    # -- audit -----------------------------------------------------------------------------

    def run_audit(self) -> Any:
        """Audit in the background; returns the Future of the frame."""
        places = self.picked_places()
        if self.places.options and not places:
            self.message.value = error_html("Pick an account and region to audit (Accounts).")
            return None
        self.busy = True
        self.message.value = "Auditing..."
        if places:  # each picked account and region, into one frame
            future = in_background(
                audit_everywhere,
                places,
                concurrency=self.concurrency,
                history=self.fleet.history,
                progress=self._progress_callback(),
                save=self.save_audits,
            )
        else:
            future = self.fleet.audit_async(
                concurrency=self.concurrency,
                progress=self._progress_callback(),
                save=self.save_audits,
            )
        future.add_done_callback(self._audited)
        return future

    def _audited(self, future: Any) -> None:
        self.busy = False
        self.progress.layout.visibility = "hidden"
        error = future.exception()
        if error is not None:
            self.message.value = error_html(str(error))
            return
        try:
            self._show_result(future.result())
        except Exception as exc:  # whatever went wrong is said, never swallowed by the future
            self.message.value = error_html(f"The audit could not be shown: {exc}")

    def _show_result(self, frame: Any) -> None:
        envs = sorted(frame["environment"].dropna().astype(str).unique())
        self.env_filter.options = [ALL, *envs]
        errors = int(frame["error"].notna().sum())
        failing = int(_checked(frame)[FAILED_COLUMN].map(bool).sum())
        self.message.value = (
            f"<b>{len(frame)}</b> environments &middot; <b>{failing}</b> fail a check &middot; "
            f"{errors} could not be read"
        )
        self._show_audit(frame)
        self._draw_heatmap(frame)
        self._show_drift()
        self.audit = frame  # last: whoever observes it finds everything drawn

    def _show_drift(self) -> None:
        """What changed since the previous saved audit, above the tabs; a view: an error here
        is said in its place and the audit stands."""
        if not self.save_audits:
            self.changes, self.drift_view.value = None, ""
            return
        try:
            previous = baseline_time(self.fleet.history)
            changes = drift(history=self.fleet.history)
        except Exception as exc:  # a view: the audit and its table stand
            self.changes = None
            self.drift_view.value = error_html(f"What changed could not be read: {exc}")
            return
        self.drift_view.value = drift_html(changes, previous)
        self.changes = changes

    def _draw_heatmap(self, frame: Any) -> None:
        """The heat map, or in its place why it could not be drawn: the table stays."""
        self.heatmap.hide()
        try:
            png, alt = figure_png(plot_findings_heatmap(frame)), heatmap_alt(frame)
        except Exception as exc:  # a plot is a view: the audit and its table stand
            self.heatmap_error.value = error_html(f"The heat map could not be drawn: {exc}")
            return
        self.heatmap_error.value = ""
        self.heatmap.show(png, alt)

    def filtered(self, frame: Any = None) -> Any:
        """The rows of ``frame`` (the audit by default) the filters leave."""
        frame = self.audit if frame is None else frame
        if frame is None:
            return None
        # an app whose listing failed has no environment: its row (and error) still shows
        keep = frame["environment"].notna() | frame["error"].notna()
        if self.env_filter.value != ALL:
            keep &= frame["environment"] == self.env_filter.value
        if self.check_filter.value == ANY_CHECK:
            keep &= _checked(frame)[FAILED_COLUMN].map(bool)
        elif self.check_filter.value in CHECKS:
            column = CHECKS[self.check_filter.value].column
            keep &= _checked(frame)[column].fillna(False).astype(bool)
        text = self.app_filter.value.strip().lower()
        if text:
            names = (
                frame["app_name"].fillna("").astype(str).str.lower()
                + " "
                + frame["app_id"].fillna("").astype(str).str.lower()
            )
            keep &= names.str.contains(text, regex=False)
        return frame[keep]

    def _show_audit(self, audit: Any = None) -> None:
        frame = self.filtered(audit)
        if frame is None:
            return
        self.table.value = _table(_checked(frame)[list(SHOWN)].to_dict("records"), SHOWN)
        # an app whose listing failed shows (with why) but names no environment to send to
        located = frame[frame["environment"].notna()]
        options = [
            f"{a} / {e}" for a, e in zip(located["app_id"], located["environment"], strict=True)
        ]
        self.targets.options = options
        self.targets.value = tuple(options)
        self._enable()

    # -- migration -------------------------------------------------------------------------

    def _planned(self, change: dict[str, Any]) -> None:
        """Plan each new audit (in the thread that set it: the audit's, in the background)."""
        audit = change["new"]
        if audit is None:
            self.plan = None
            self.plan_counts.value = self.plan_chart.value = ""
            self.plan_table.value = "<i>Audit to plan each environment's move to Gen 2.</i>"
            return
        try:
            plan = migration_plan(audit)
        except Exception as exc:  # the audit stands; the tab says why there is no plan
            self.plan = None
            self.plan_table.value = error_html(f"The plan could not be made: {exc}")
            return
        counts = plan_counts(plan)
        self.plan_counts.value = " &middot; ".join(
            f'<span style="color:{on_theme(VERDICT_COLORS[v])}">{escape(v)}</span>: <b>{int(n)}</b>'
            for v, n in counts.items()
        )
        try:
            self.plan_chart.value = chart_html(plan)
        except Exception as exc:  # a chart is a view: the plan and its table stand
            self.plan_chart.value = error_html(f"The chart could not be drawn: {exc}")
        self._show_plan(plan)
        self.plan = plan  # last: whoever observes it finds everything drawn

    def _show_plan(self, plan: Any = None) -> None:
        plan = self.plan if plan is None else plan
        if plan is None:
            return
        if self.verdict_filter.value != ALL:
            plan = plan[plan["verdict"] == self.verdict_filter.value]
        self.plan_table.value = plan_table(plan)

    # -- apply -----------------------------------------------------------------------------

    def targets_frame(self) -> Any:
        """The picked targets; while the template is a "Fix with apply" one (and the mode
        update), those of its targets that are picked, with their per-target values; where
        each is comes from the audit when accounts are picked (``run_apply``), not from here."""
        import pandas as pd

        picked = pd.DataFrame(self.picked, columns=["app_id", "environment"])
        if self._fix is None or self._fix[0] != self.template or self.mode != "update":
            return picked
        fix = self._fix[1].drop(columns=list(LOCATION_COLUMNS), errors="ignore")
        return fix.merge(picked, on=["app_id", "environment"], how="inner")

    def fix_check(self, check_id: str) -> Any:
        """Make the remediation of ``check_id`` the template (an update) for the picked
        environments failing it, and dry-run it; Apply sends it once the diff is shown.
        Returns the dry run's Future (None when there is nothing to fix)."""
        if self.busy:
            self.message.value = error_html("The panel is busy: fix once it is done.")
            return None
        if self.audit is None:
            self.message.value = error_html("Audit first: a fix is for the environments failing")
            return None
        try:
            template, targets = fix_plan(self.audit, check_id)
        except ValueError as exc:
            self.message.value = error_html(str(exc))
            return None
        if self.check_filter.value != check_id:
            self.check_filter.value = check_id  # (shows and picks the failing ones)
        self._fix = (template, targets)
        self.mode = "update"
        self.template = template
        if not len(self.targets_frame()):
            self.message.value = error_html(f"No picked environment fails {check_id}.")
            return None
        return self.run_apply(dry_run=True)

    def run_apply(self, dry_run: bool) -> Any:
        """Dry-run or apply the template to the picked targets in the background."""
        self.busy = True
        self._cancel = threading.Event()
        what = self._what()
        self.message.value = "Dry run..." if dry_run else "Applying..."
        places = self.picked_places()
        if places:  # each target through the account and region the audit found it in
            future = in_background(
                apply_everywhere,
                self.template,
                self._located(self.targets_frame()),
                mode=self.mode,
                concurrency=self.concurrency,
                dry_run=dry_run,
                connection=places,
                history=self.fleet.history,
                progress=self._progress_callback(),
                cancel=self._cancel,
            )
        else:
            future = self.fleet.apply_async(
                self.template,
                self.targets_frame(),
                mode=self.mode,
                concurrency=self.concurrency,
                dry_run=dry_run,
                progress=self._progress_callback(),
                cancel=self._cancel,
            )
        future.add_done_callback(lambda f: self._applied_done(f, dry_run, what))
        return future

    def _located(self, targets: Any) -> Any:
        """``targets`` with the account and region the audit found each in (app ids are
        unique across accounts and regions, as Amplify draws them)."""
        audit: Any = self.audit
        if audit is None:
            return targets
        where = audit[["app_id", "environment", *LOCATION_COLUMNS]].dropna(
            subset=["app_id", "environment"]
        )
        where = where.drop_duplicates(subset=["app_id", "environment"])
        targets = targets.drop(columns=list(LOCATION_COLUMNS), errors="ignore")
        return targets.merge(where, on=["app_id", "environment"], how="left")

    def _applied_done(self, future: Any, dry_run: bool, what: tuple[Any, ...]) -> None:
        self.progress.layout.visibility = "hidden"
        error = future.exception()
        if error is not None:
            self.message.value = error_html(str(error))
            self.busy = False
            return
        results = future.result()
        self._dry_run_of = what if dry_run else None
        self._invalid = invalid_targets(results) if dry_run else []
        counts = results["status"].astype(str).value_counts()
        self.message.value = " &middot; ".join(
            f'<span style="color:{job_colour(s)}">{escape(s)}</span>: {n}'
            for s, n in counts.items()
        )
        columns = ("app_id", "environment", "operation", "status", "error", "job_id")
        if dry_run:
            self.outcome.value = dry_run_html(results)
        else:
            self.outcome.value = _table(results.to_dict("records"), columns)
        self.busy = False
        if not dry_run:
            self._applied(results)
        self.results = results  # last: whoever observes it finds everything drawn

    def _progress_callback(self) -> Any:
        self.progress.value, self.progress.max = 0, 1
        self.progress.layout.visibility = "visible"

        def progress(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done

        return progress


def _blocked_note(invalid: list[str]) -> str:
    """Why Apply is off after a dry run with INVALID targets, and what to do.

    The panel applies a plan whole or not at all: the dry run is the review of what Apply
    sends, and sending only its valid part would change part of the fleet while the rest is
    easily forgotten. Unpicking the invalid targets (or fixing the template) and dry-running
    again makes the smaller plan the reviewed one. (``fleet.apply`` itself, for scripts and
    the CLI, sends the valid targets and reports the others INVALID.)"""
    shown = ", ".join(invalid[:3]) + (f" and {len(invalid) - 3} more" if len(invalid) > 3 else "")
    return error_html(
        f"Apply is off: {len(invalid)} target(s) INVALID ({shown}; the reason is in each row). "
        "Unpick them in Targets or change the template, then Dry run again."
    )


def _place_label(connection: Any) -> str:
    """A connection as the picker shows it: its profile (or, for keys given directly, their
    last four characters, as AWS's console shows an access key) and its region."""
    key = getattr(connection, "access_key_id", None)
    who = getattr(connection, "profile", None) or (f"key …{key[-4:]}" if key else "default")
    region = getattr(connection, "region", None) or "default region"
    return f"{who} · {region}"
