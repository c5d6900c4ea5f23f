"""values_to_copy: what "copy from the previous file" copies."""

from __future__ import annotations

from core.copy_values import values_to_copy
from core.schema.entries import SchemaEntry, compile_schema

SPECS = compile_schema([
    SchemaEntry("Scene", "scene", "unknown", "CATEGORICAL_STRING"),
    SchemaEntry("Weather", "weather.description", "sunny", "CATEGORICAL_STRING"),
    SchemaEntry("Count", "count", 0, "NUMERIC_INT"),
    SchemaEntry("Night", "night", False, "CATEGORICAL_BOOLEAN"),
])
SOURCE = {"metadata": {"scene": "park", "weather": {"description": "fog"}, "count": "many", "night": None,
                       "extra": 1}}


def test_only_fields_the_target_does_not_set_and_only_values_of_the_right_type():
    target = {"metadata": {"scene": "city"}}
    assert values_to_copy(SPECS, SOURCE, target) == {"weather.description": "fog"}
    assert values_to_copy(SPECS, SOURCE, None) == {"scene": "park", "weather.description": "fog"}


def test_overwrite_replaces_different_values_and_paths_limit_the_fields():
    target = {"metadata": {"scene": "city", "weather": {"description": "fog"}}}
    assert values_to_copy(SPECS, SOURCE, target, overwrite=True) == {"scene": "park"}
    assert values_to_copy(SPECS, SOURCE, {}, paths=["scene"]) == {"scene": "park"}
    assert values_to_copy(SPECS, None, {}) == {}
    night_off, night_null = {"metadata": {"night": False}}, {"metadata": {"night": None}}
    assert values_to_copy(SPECS, night_off, night_null) == {"night": False}  # null counts as not set
