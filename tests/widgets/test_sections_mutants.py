"""A section of the form (widgets/sections.py) on its own, over stand-in fields: its header
reads its title (with the count of problems in it, "1 problem", "2 problems"), it is built
once and only when first opened, it opens and closes, and it knows which members are its
own. Built without an editor: each test runs in milliseconds."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import ipywidgets as w

from amplify_auth_widgets.widgets.form import Deferred
from amplify_auth_widgets.widgets.layout import Section
from amplify_auth_widgets.widgets.sections import SectionView, plural

POLICY = Section("password", "Password policy", ("Auth.PasswordPolicy", "Auth.Mfa"))


class Stand:
    """A field: a box with a label in it."""

    def __init__(self, name: str) -> None:
        self.box = w.Label(name)

    def set(self, value: Any) -> None: ...

    def enable(self, enabled: bool, reason: str = "") -> None: ...

    def show(self, findings: list[Any]) -> None: ...


def view(section: Section = POLICY, fields: list[Any] | None = None) -> tuple[SectionView, list]:
    built: list[SectionView] = []
    return SectionView(section, fields or [Stand("a")], built.append), built


def test_a_count_is_worded_with_its_noun_in_the_singular_only_for_one():
    assert plural(1, "problem") == "1 problem"
    assert plural(2, "problem") == "2 problems"
    assert plural(0, "problem") == "0 problems"


def test_a_closed_section_reads_its_title_and_is_not_built_until_opened():
    section, built = view()
    assert section.fold.get_title(0) == "Password policy"
    assert not section.built and not section.expanded and built == []
    assert section.body.children == ()
    assert {"aaw-section", "aaw-section-password"} <= set(section.fold._dom_classes)


def test_opening_builds_the_section_once_with_every_field_in_order():
    made: list[str] = []

    def make() -> Stand:
        made.append("later")
        return Stand("later")

    first = Stand("first")
    later = Deferred(SimpleNamespace(path="Auth.Mfa"), make)
    section, built = view(fields=[first, later])
    section.open()
    assert section.expanded and section.fold.selected_index == 0
    assert section.built and built == [section]
    assert [box.value for box in section.body.children] == ["first", "later"]
    section.close()
    assert not section.expanded
    section.open()  # again: nothing built twice, nobody told twice
    assert made == ["later"] and built == [section]


def test_a_person_opening_the_header_builds_the_section():
    section, built = view()
    section.fold.header.expanded = True  # Enter or Space on the header's button
    assert section.built and built == [section] and len(section.body.children) == 1


def test_closing_a_section_never_built_builds_nothing():
    section, built = view(Section("open", "Open", ("A",), open=True))
    assert section.built and section.expanded and built == [section]
    section.close()
    assert not section.expanded and built == [section]
    closed, none = view()
    closed.close()
    assert not closed.built and none == []


def test_a_section_owns_its_members_and_what_is_under_them_only():
    section, _ = view()
    assert section.paths == ("Auth.PasswordPolicy", "Auth.Mfa")
    assert section.contains("Auth.PasswordPolicy")
    assert section.contains("Auth.PasswordPolicy.MinimumLength")
    assert section.contains("Auth.Mfa")
    assert not section.contains("Auth.PasswordPolicyX")  # a sibling, not a child
    assert not section.contains("Auth")
    assert not section.contains("Other.PasswordPolicy")


def test_the_title_counts_the_problems_in_the_section_and_drops_the_count_at_none():
    section, _ = view()
    section.count(1)
    assert section.fold.get_title(0) == "Password policy · 1 problem"
    section.count(3)
    assert section.fold.get_title(0) == "Password policy · 3 problems"
    section.count(0)
    assert section.fold.get_title(0) == "Password policy"


def test_only_opening_builds_a_section_not_another_change_to_its_fold():
    section, built = view()
    section.fold.tabbable = False  # out of the Tab order: still closed, still not built
    section.fold.tooltip = "Password policy"
    section.fold.add_class("aaw-elsewhere")
    assert not section.built and built == [] and section.body.children == ()
    section.fold.selected_index = 0
    assert section.built and built == [section]
