"""Validation: every finding code appears for its cause, with the right file/media/path;
a clean datasource has none."""

from __future__ import annotations

import json
import os
from collections import Counter
from types import SimpleNamespace

import pytest

from core.dataset.index import DatasourceError, scan
from core.format.findings import CODES, ERROR, WARNING
from core.format.metadata_file import DiskState
from core.schema.entries import compile_schema, read_schema
from core.validation import validate as validation
from core.validation.validate import summary, validate, validate_datasource, validate_document
from tests.datasets import copy_datasource, metadata_dir, write_datasource
from tests.datasets import write_json as write_path
from tests.videos import write_garbage_video


def entry(name, path, default, value_type):
    return {"name": name, "path": path, "defaultValue": default, "valueDataType": value_type}


SCHEMA = [
    entry("Temperature", "weather.temperature", 20.0, "NUMERIC_FLOAT"),
    entry("Label", "label", "none", "CATEGORICAL_STRING"),
    entry("Cars", "counts[0].cars", 0, "NUMERIC_INT"),
    entry("Night", "night", None, "CATEGORICAL_BOOLEAN"),
    entry("Taken", "taken", None, "CATEGORICAL_DATETIME"),
]
FILES = {
    "img.json": {"file_name": "img.png", "type": "image",
                 "metadata": {"weather": {"temperature": 3}, "label": "cat", "free": {"x": [1]}}},
    "sub/img2.json": {"file_name": "sub/img2.JPG", "type": "image", "metadata": {"counts": [{"cars": 2}]}},
    "videos/v.json": {"file_name": "videos/v.mp4", "type": "video",
                      "metadata": {"night": True, "taken": "2024-05-01T10:00:00Z"}},
    "videos/v-03-mp4.json": {"file_name": "videos/v-03-mp4.png", "type": "frame",
                             "metadata": {"label": "car"}},
}


def write_json(root, rel, obj):
    write_path(metadata_dir(root) / rel, obj)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_datasource(tmp_path_factory.mktemp("clean"), media={"img.png": b"", "sub/img2.JPG": b""},
                            videos={"videos/v.mp4": 12}, files={"schema.json": SCHEMA, **FILES})


@pytest.fixture
def ds(template, tmp_path):
    return copy_datasource(template, tmp_path)


def edit(rel, **changes):
    def apply(root):
        data = dict(FILES[rel])
        for k, v in changes.items():
            if v is _DROP:
                del data[k]
            else:
                data[k] = v
        write_json(root, rel, data)

    return apply


def schema_plus(entry):
    return lambda root: write_json(root, "schema.json", SCHEMA + [entry])


def raw(rel, text):
    return lambda root: write_json(root, rel, text)


def media(rel, garbage=False):
    def apply(root):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        write_garbage_video(p) if garbage else p.write_bytes(b"")

    return apply


def raw_bytes(rel, data: bytes):
    def apply(root):
        (metadata_dir(root) / rel).write_bytes(data)

    return apply


def link_out(rel):
    """`rel` becomes a link to a file outside the datasource."""
    def apply(root):
        outside = root.parent / "outside.json"
        outside.write_text(json.dumps(FILES.get(rel, {})))
        target = metadata_dir(root) / rel
        target.unlink(missing_ok=True)
        target.symlink_to(outside)

    return apply


def img_text(value_text: str) -> str:
    """img.json with `value_text` as the JSON text of its label."""
    return '{"file_name": "img.png", "type": "image",\n "metadata": {"label": ' + value_text + "}}"


_DROP = object()
N = len(SCHEMA)
V, V3 = "videos/v.mp4", "videos/v-03-mp4.json"
CASES = [
    ("invalid-json", raw("img.json", '{"file_name": "img.png",}'),
     dict(file="img.json", line=1, media="img.png")),
    ("invalid-json", raw("schema.json", "[\n  {"), dict(file="schema.json", line=2)),
    # Severity by what Lightly does: its model takes a missing defaultValue as null (a warning),
    # but rejects an entry with other keys (an error).
    ("schema-structure", schema_plus({"name": "x", "path": "x", "valueDataType": "NUMERIC_INT"}),
     dict(file="schema.json", path=f"[{N}].defaultValue", severity=WARNING)),
    ("schema-structure", schema_plus({**entry("x", "x", 0, "NUMERIC_INT"), "unit": "m"}),
     dict(file="schema.json", path=f"[{N}].unit")),
    ("unknown-type", schema_plus(entry("x", "x", 0, "NUMERICAL_INT")),
     dict(file="schema.json", fix="NUMERIC_INT")),
    ("duplicate-name", schema_plus(entry("Label", "x", 0, "NUMERIC_INT")),
     dict(file="schema.json", path=f"[{N}].name")),
    ("duplicate-path", schema_plus(entry("x", "label", "", "OTHER_STRING")),
     dict(file="schema.json", path=f"[{N}].path")),
    ("path-conflict", schema_plus(entry("W", "weather", "", "OTHER_STRING")), dict(file="schema.json")),
    ("reserved-path", schema_plus(entry("x", "lightly.x", 0, "NUMERIC_INT")),
     dict(file="schema.json", path=f"[{N}].path")),
    ("default-type", schema_plus(entry("x", "x", "0", "NUMERIC_INT")),
     dict(file="schema.json", path=f"[{N}].defaultValue")),
    ("default-type", schema_plus(entry("x", "x", 2.0, "NUMERIC_INT")),  # Lightly uses 2: probably meant
     dict(file="schema.json", path=f"[{N}].defaultValue", severity=WARNING)),
    ("missing-key", edit("img.json", type=_DROP), dict(file="img.json", media="img.png", path="type")),
    ("wrong-file-name", edit("img.json", file_name="other.png"), dict(file="img.json", fix="img.png")),
    ("wrong-file-name", edit(V3, file_name="videos/v-3-mp4.png"),
     dict(file=V3, media=V, fix="videos/v-03-mp4.png")),
    ("wrong-type-field", edit("img.json", type="video"), dict(file="img.json", path="type", fix="image")),
    ("wrong-type-field", edit(V3, type="image"), dict(file=V3, fix="frame")),
    ("wrong-type-field", raw("img.json", "[1, 2]"), dict(file="img.json", media="img.png")),
    ("wrong-type-field", edit("img.json", metadata="none"), dict(file="img.json", path="metadata")),
    ("value-type", edit("img.json", metadata={"weather": {"temperature": "warm"}}),
     dict(file="img.json", media="img.png", path="weather.temperature")),
    ("value-type", edit("videos/v.json", metadata={"taken": "yesterday"}),
     dict(file="videos/v.json", path="taken")),
    ("orphan", raw("ghost.json", "{}"), dict(file="ghost.json", severity=WARNING)),
    ("collision", media("img.jpg"), dict(file="img.json", media="img.jpg")),
    ("collision", media("img.jpg"), dict(file="img.json", media="img.png")),
    ("frame-padding", raw("videos/v-3-mp4.json", "{}"),
     dict(file="videos/v-3-mp4.json", media=V, fix=V3)),
    ("frame-range", raw("videos/v-12-mp4.json", "{}"), dict(file="videos/v-12-mp4.json", media=V)),
    ("unreadable-video", media("videos/bad.mp4", garbage=True),
     dict(file="videos/bad.json", media="videos/bad.mp4")),
    ("extra-top-level-key", edit("img.json", extra=1), dict(file="img.json", path="extra", severity=WARNING)),
    # Hostile input: limits, links, text that is not text, media Lightly does not read.
    ("path-blocked", edit("img.json", metadata={"weather": [3]}),
     dict(file="img.json", path="weather.temperature")),
    ("path-blocked", edit("sub/img2.json", metadata={"counts": {"cars": 2}}),
     dict(file="sub/img2.json", path="counts[0].cars")),
    ("link-outside", link_out("img.json"), dict(file="img.json")),
    ("unread-media", media("clip.webp"), dict(file="clip.json", media="clip.webp", severity=WARNING)),
    ("invalid-unicode", raw_bytes("img.json", img_text('"caf\xe9"').encode("latin-1")),
     dict(file="img.json", line=2, column=28)),
    ("invalid-unicode", raw("img.json", img_text('"\\ud800"')), dict(file="img.json", line=2, column=25)),
    ("non-finite-number", raw("img.json", img_text("1e400")), dict(file="img.json", line=2, column=24)),
    ("non-finite-number", raw("img.json", img_text("-1e400")), dict(file="img.json", line=2)),
    ("non-finite-number", raw("img.json", img_text("NaN")), dict(file="img.json", line=2)),
    ("number-underflow", raw("img.json", img_text("1e-400")), dict(file="img.json", line=2)),
    ("file-too-large", raw("img.json", img_text('"' + "x" * (4 * 1024 * 1024) + '"')), dict(file="img.json")),
    ("too-deep", raw("img.json", img_text("[" * 150 + "]" * 150)), dict(file="img.json", line=2)),
    ("too-deep", raw("img.json", img_text("[" * 5000 + "]" * 5000)), dict(file="img.json", line=2)),
    ("number-too-long", raw("img.json", img_text("9" * 4000)), dict(file="img.json", line=2, column=24)),
    ("string-too-long", raw("img.json", img_text('"' + "x" * 70000 + '"')), dict(file="img.json", line=2)),
    ("path-limit", schema_plus(entry("x", "arr[999999999]", 0, "NUMERIC_INT")),
     dict(file="schema.json", path=f"[{N}].path")),
    ("path-limit", schema_plus(entry("x", ".".join(["k"] * 120), 0, "NUMERIC_INT")),
     dict(file="schema.json", path=f"[{N}].path")),
    ("too-deep", lambda root: write_json(root, "schema.json", "[" * 2000 + "]" * 2000),
     dict(file="schema.json")),
]


def test_every_code_has_a_case():
    assert {c[0] for c in CASES} == set(CODES)


def test_clean_datasource_has_no_findings(template):
    index, findings = validate_datasource(template)
    assert findings == []
    assert index.frame_counts == {"videos/v.mp4": 12}


@pytest.mark.parametrize(("code", "make", "expect"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_finding_appears(ds, code, make, expect):
    make(ds)
    _, findings = validate_datasource(ds)
    expect = {"severity": ERROR, **expect}
    matching = [f for f in findings if f.code == code and all(getattr(f, k) == v for k, v in expect.items())]
    assert matching, f"no {code} {expect} in {[f.to_dict() for f in findings]}"
    assert all(f.code in CODES for f in findings)


def test_frame_count_mismatch_is_reported(ds, monkeypatch):
    def confirm(items, cache, progress=None, cancel=None):
        for label, _path in items:
            yield SimpleNamespace(video=label, frames=12, packets=13, confirmed=True, error=None,
                                  mismatch=True)

    monkeypatch.setattr(validation.video_mod, "confirm_frame_counts", confirm)
    index, findings = validate_datasource(ds)
    assert [(f.code, f.file, f.media) for f in findings] == [("unreadable-video", "videos/v.json", V)]
    assert index.frame_counts["videos/v.mp4"] == 12 and "13" in findings[0].message


def test_validate_reads_each_file_once(ds, monkeypatch):
    index = scan(ds)
    calls: Counter[str] = Counter()
    real = validation.read_disk_state
    def counting(p):
        calls.update([os.path.basename(p)])
        return real(p)

    monkeypatch.setattr(validation, "read_disk_state", counting)
    assert validate(index, read_schema(ds)) == []
    assert sorted(calls) == sorted(rel.rpartition("/")[2] for rel in FILES) and set(calls.values()) == {1}


def test_validate_document_takes_data_or_disk_state(template):
    index = scan(template)
    specs = compile_schema(read_schema(template).entries)
    info = index.metadata["img.json"]
    assert validate_document("img.json", info, FILES["img.json"], specs, index) == []
    assert validate_document("img.json", info, None, specs, index) == []
    assert validate_document("img.json", info, DiskState(), specs, index) == []
    bad = {**FILES["img.json"], "metadata": {"label": 3, "night": "no"}}
    assert [f.path for f in validate_document("img.json", info, bad, specs, index)] == ["label", "night"]


def test_orphan_file_name_checks(ds):
    write_json(ds, "old/x.json", {"file_name": "old/x.png", "type": "image", "metadata": {}})
    write_json(ds, "old/y.json", {"file_name": "old/z.png", "type": "thing", "metadata": {}})
    _, findings = validate_datasource(ds, confirm_frames=False)
    got = {(f.file, f.code) for f in findings}
    assert got == {("old/x.json", "orphan"), ("old/y.json", "orphan"), ("old/y.json", "wrong-file-name"),
                   ("old/y.json", "wrong-type-field")}


def test_summary_and_errors(tmp_path):
    with pytest.raises(DatasourceError):
        validate_datasource(tmp_path / "missing")
    _, findings = validate_datasource(tmp_path)
    assert findings == [] and summary(findings, 0) == "0 errors, 0 warnings in 0 metadata files"
