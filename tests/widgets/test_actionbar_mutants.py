"""The editor's action bar (widgets/actionbar.py) on its own: the mode toggle's labels, the
buttons and their classes, the count of problems and what is left in words, the to-do list
(the first four, then "N more"), why sending is off, and the last job's status. Built without
an editor: each test runs in milliseconds, so that a mutation run of the module gets its
verdicts fast."""

from __future__ import annotations

import pytest

from amplify_auth_widgets.widgets import style
from amplify_auth_widgets.widgets.actionbar import (
    MODES,
    STYLE,
    TODO_SHOWN,
    ActionBar,
    mode_label,
)
from amplify_auth_widgets.widgets.html import coloured, muted_html, ok_html, warning_html
from amplify_auth_widgets.widgets.status import StatusLine


@pytest.fixture
def bar() -> ActionBar:
    return ActionBar(StatusLine())


def test_an_operation_is_named_by_its_verb_or_else_by_itself():
    assert mode_label("CreateBackendAuth") == "Create new"
    assert mode_label("UpdateBackendAuth") == "Update existing"
    assert mode_label("ImportBackendAuth") == "ImportBackendAuth"
    assert mode_label("Created") == "Create new"  # the verb starts the name
    assert mode_label("ReCreate") == "ReCreate"  # not a verb it ends with
    assert TODO_SHOWN == 4


def test_the_bar_holds_its_style_the_mode_the_buttons_and_the_status_in_order(bar):
    status = bar.status_line
    kids = bar.children
    assert kids[0].value == STYLE and kids[0].layout.display == "none"
    assert kids[1:] == (
        bar.mode,
        bar.problems,
        bar.load_button,
        bar.create_button,
        bar.update_button,
        bar.delete_button,
        bar.reason,
        bar.progress,
        bar.job_status,
        status,
        bar.todo,
    )
    assert "aaw-actionbar" in bar._dom_classes
    assert bar.mode.options == MODES and bar.mode.value == MODES[0][1]
    assert "aaw-mode" in bar.mode._dom_classes
    assert bar.mode.style.button_width == "auto"
    for part, css in (
        (bar.problems, "aaw-problems"),
        (bar.job_status, "aaw-job-status"),
        (bar.reason, "aaw-send-reason"),
        (bar.todo, "aaw-todo"),
        (bar.more, "aaw-todo-more"),
    ):
        assert css in part._dom_classes


def test_the_buttons_say_what_they_do_and_carry_their_classes(bar):
    buttons = {
        "load": (bar.load_button, "Load current", "cloud-download", ""),
        "create": (bar.create_button, "Create", "plus", "primary"),
        "update": (bar.update_button, "Update", "pencil", "primary"),
        "delete": (bar.delete_button, "Delete", "trash", "danger"),
    }
    for name, (button, description, icon, kind) in buttons.items():
        assert (button.description, button.icon, button.button_style) == (description, icon, kind)
        assert f"aaw-{name}" in button._dom_classes
        assert button.layout.width == "auto"


def test_the_progress_bar_is_hidden_until_a_job_runs(bar):
    progress = bar.progress
    assert (progress.value, progress.min, progress.max) == (0, 0, 1)
    assert progress.bar_style == "info"
    assert progress.layout.visibility == "hidden" and progress.layout.width == "80px"


def test_the_style_keeps_the_bar_on_top_and_shows_an_off_button_as_off():
    assert STYLE.startswith("<style>") and STYLE.endswith("</style>")
    assert ".aaw-actionbar { position: sticky; top: 0; z-index: 20;" in STYLE
    assert ".aaw-actionbar .aaw-create:disabled, .aaw-actionbar .aaw-update:disabled" in STYLE
    assert "cursor: not-allowed" in STYLE
    assert "input[list]::-webkit-calendar-picker-indicator" in STYLE


def test_the_count_says_problems_and_what_is_left_in_words(bar):
    red = coloured("3 problems", style.ERROR, "b")
    bar.show_count(3, 0, 0)
    assert bar.problems.value == red
    bar.show_count(3, 2, 0)
    assert bar.problems.value == f"{red} · " + muted_html("2 settings more to complete")
    bar.show_count(0, 1, 0)
    assert bar.problems.value == muted_html("1 setting to complete before sending")
    bar.show_count(0, 0, 2)
    assert bar.problems.value == warning_html("2 warnings")
    bar.show_count(1, 1, 1)
    assert bar.problems.value == " · ".join(
        [
            coloured("1 problem", style.ERROR, "b"),
            muted_html("1 setting more to complete"),
            warning_html("1 warning"),
        ]
    )
    bar.show_count(0, 0, 0)
    assert bar.problems.value == ok_html("Ready to send")


def test_a_blocker_goes_first_and_replaces_ready_to_send(bar):
    bar.show_count(0, 0, 0, "dev already has auth: Load current to update it")
    assert bar.problems.value == warning_html("dev already has auth: Load current to update it")
    bar.show_count(2, 0, 1, "blocked")
    assert bar.problems.value == " · ".join(
        [
            warning_html("blocked"),
            coloured("2 problems", style.ERROR, "b"),
            warning_html("1 warning"),
        ]
    )


def test_up_to_four_to_do_items_show_and_each_goes_to_its_setting(bar):
    went: list[str] = []
    items = [(f"Setting {i}: choose one", lambda i=i: went.append(f"s{i}")) for i in range(3)]
    bar.show_todo(items)
    assert [b.description for b in bar.todo.children] == [text for text, _ in items]
    assert [b.tooltip for b in bar.todo.children] == [f"Go to this setting: {t}" for t, _ in items]
    assert all("aaw-todo-item" in b._dom_classes for b in bar.todo.children)
    assert bar.todo.layout.display is None
    bar.todo.children[2].click()
    bar.todo.children[0].click()
    assert went == ["s2", "s0"]


def test_more_than_four_items_show_four_and_n_more_then_all_and_show_fewer(bar):
    went: list[int] = []
    items = [(f"item {i}", lambda i=i: went.append(i)) for i in range(7)]
    bar.show_todo(items)
    shown = bar.todo.children
    assert [b.description for b in shown[:-1]] == [f"item {i}" for i in range(4)]
    assert shown[-1] is bar.more and bar.more.description == "3 more"
    bar.more.value = True
    assert [b.description for b in bar.todo.children[:-1]] == [f"item {i}" for i in range(7)]
    assert bar.todo.children[-1] is bar.more and bar.more.description == "Show fewer"
    bar.todo.children[6].click()
    assert went == [6]
    bar.more.value = False
    assert len(bar.todo.children) == 5 and bar.more.description == "3 more"


def test_exactly_four_items_need_no_more_button(bar):
    bar.show_todo([(f"item {i}", lambda: None) for i in range(4)])
    assert bar.more not in bar.todo.children and len(bar.todo.children) == 4
    bar.show_todo([(f"item {i}", lambda: None) for i in range(5)])
    assert bar.todo.children[-1] is bar.more and bar.more.description == "1 more"


def test_buttons_are_reused_and_follow_the_new_items(bar):
    went: list[str] = []
    bar.show_todo([("a", lambda: went.append("a")), ("b", lambda: went.append("b"))])
    first = bar.todo.children[0]
    bar.show_todo([("c", lambda: went.append("c"))])
    assert bar.todo.children == (first,) and first.description == "c"
    assert first.tooltip == "Go to this setting: c"
    first.click()
    assert went == ["c"]
    bar.show_todo([])
    assert bar.todo.children == () and bar.todo.layout.display == "none"


def test_why_sending_is_off_is_said_beside_it_and_cleared(bar):
    bar.show_reason("Create would be refused: dev already has auth")
    assert bar.reason.value == muted_html("Create would be refused: dev already has auth")
    bar.show_reason("")
    assert bar.reason.value == ""


def test_the_last_job_is_named_in_its_status_s_colour(bar):
    bar.show_job("FAILED")
    assert bar.job_status.value == (
        f'<span style="color:{style.job_colour("FAILED")}">Last job: <b>FAILED</b></span>'
    )
    bar.show_job("<x>")
    assert "<b>&lt;x&gt;</b>" in bar.job_status.value
    bar.show_job("")
    assert bar.job_status.value == ""


def test_to_do_items_and_n_more_size_to_their_words_and_a_long_item_wraps_in_the_bar(bar):
    long = "Identity pool > What to create: choose one " * 4
    bar.show_todo([(long, lambda: None)] + [(f"item {i}", lambda: None) for i in range(5)])
    *items, more = bar.todo.children
    assert more is bar.more and more.layout.width == "auto"  # "2 more", "Show fewer"
    for item in items:
        # as wide as its words, and never wider than the bar: the style sheet lets it wrap
        assert (item.layout.width, item.layout.max_width) == ("auto", "100%")
    assert ".aaw-todo-item, .aaw-actionbar .aaw-todo-more" in STYLE
    assert "white-space: normal" in STYLE
