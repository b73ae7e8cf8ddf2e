"""Hypothesis strategies for requests generated from the service model itself: shared by the
core's property tests (the validator against botocore's) and the Gen 2 exporter's."""

from __future__ import annotations

from hypothesis import strategies as st

from amplify_auth_widgets.core.model import FieldSpec

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=4,
)


def well_typed(spec: FieldSpec) -> st.SearchStrategy:
    """Values of the type ``spec`` says, structures with an unknown member now and then."""
    if spec.is_structure:
        members = {m.name: value_for(m) for m in spec.members}
        extra = st.dictionaries(
            st.sampled_from(["Colour", "x", "userPoolName"]), ANY_JSON, max_size=1
        )
        return st.builds(
            lambda known, unknown: {**unknown, **known},
            st.fixed_dictionaries({}, optional=members),
            extra,
        )
    if spec.is_list:
        return st.lists(value_for(spec.item), max_size=3)
    if spec.enum:
        return st.sampled_from(spec.enum) | st.text(max_size=5)
    return {
        "string": st.text(max_size=12),
        "boolean": st.booleans(),
        "double": st.integers(0, 120) | st.floats(allow_nan=False),
        "integer": st.integers(-5, 50),
    }.get(spec.type, ANY_JSON)


def value_for(spec: FieldSpec) -> st.SearchStrategy:
    """Mostly values of the right type, sometimes anything at all."""
    return st.one_of(well_typed(spec), well_typed(spec), well_typed(spec), ANY_JSON)
