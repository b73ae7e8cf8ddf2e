"""Keyboard and screen-reader parts at their edges (``widgets/access.py``): the focus ring's
scope reaches a fold and a live region on their own, the focus request is the one the front end
acts on, a fold opens only by its button, and a control is named however it can be."""

from __future__ import annotations

import ipywidgets as w
import traitlets as t

from amplify_auth_widgets.widgets.access import (
    _DISCLOSURE_ESM,
    CSS,
    SCOPES,
    Disclosure,
    Fold,
    LiveRegion,
    TagPicker,
    Toggle,
    name,
)


def test_a_fold_or_a_live_region_on_its_own_is_in_the_focus_ring_s_scope():
    # shown outside the package's other boxes (a notebook's own cell), each still gets the ring
    for part in (Fold(w.HTML("body"), "Connection"), LiveRegion()):
        scoped = [s for s in SCOPES if s.removeprefix(".") in part._dom_classes]
        assert scoped, part._dom_classes
        assert scoped[0] in CSS.split("{", 1)[0]  # the ring's selector names it


def test_each_part_carries_the_class_its_style_and_documentation_give_it():
    assert "aaw-toggle-widget" in Toggle()._dom_classes
    assert "aaw-tag-picker" in TagPicker()._dom_classes
    assert "aaw-disclosure" in Disclosure()._dom_classes
    fold = Fold(w.HTML("body"))
    assert "aaw-fold-body" in fold.body._dom_classes and ".aaw-fold-body {" in CSS


def test_focus_sends_the_message_the_button_s_front_end_acts_on(monkeypatch):
    sent: list[object] = []
    header = Disclosure(title="Password policy")
    monkeypatch.setattr(header, "send", sent.append)
    header.focus()
    assert sent == [{"do": "focus"}]
    assert 'message.do === "focus"' in _DISCLOSURE_ESM
    fold = Fold(w.HTML("body"), "Connection")
    monkeypatch.setattr(fold.header, "send", sent.append)
    fold.focus()
    assert sent == [{"do": "focus"}, {"do": "focus"}]


def test_a_fold_made_without_a_title_has_an_empty_header_and_opens_only_by_its_button():
    fold = Fold(w.HTML("body"))
    assert fold.get_title(0) == "" and fold.header.title == ""
    assert list(fold.children) == [fold.header, fold.body]
    assert fold.body.children[0].value == "body"
    fold.set_title(0, "Connection · 1 problem")  # a new title does not open it
    assert not fold.expanded and fold.body.layout.display == "none"
    fold.header.expanded = True
    assert fold.expanded and fold.selected_index == 0


def test_a_control_with_a_placeholder_only_is_named_by_it_and_a_box_is_left_alone():
    class Search(w.DOMWidget):
        placeholder = t.Unicode("").tag(sync=True)

    search = Search()
    name(search, "Find an app")
    assert search.placeholder == "Find an app"
    box = w.HBox()
    name(box, "Find an app")
    assert not hasattr(box, "placeholder") and not hasattr(box, "description")
    assert "aaw-named" not in box._dom_classes


def test_a_fold_takes_a_box_s_own_options_as_an_accordion_does():
    fold = Fold(w.HTML("body"), "Connection", layout=w.Layout(width="50%"))
    assert fold.layout.width == "50%" and fold.get_title(0) == "Connection"
