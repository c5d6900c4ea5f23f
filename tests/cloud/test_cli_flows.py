"""The CLI on buckets gives exactly the answers it gives on the same datasource on disk:
validate and export --frames, with one root and with mixed roots; import writes objects."""

from __future__ import annotations

import json

import main
from tests.datasets import copy_datasource


def run(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_and_export_match_disk(bucket, template, capsys):
    url = bucket.upload(template, "ds")
    for cmd in (["validate", "--format", "json"], ["export", "--frames", "--format", "json"],
                ["export", "--frames"]):
        local = run(capsys, cmd[0], template, *cmd[1:])
        remote = run(capsys, cmd[0], url, *cmd[1:])
        assert remote[:2] == local[:2], cmd
    findings = json.loads(run(capsys, "validate", url, "--format", "json")[1])
    codes = {(f["file"], f["code"]) for f in findings}
    assert ("images/bad.json", "invalid-json") in codes
    assert ("gone.json", "orphan") in codes
    assert ("videos/v-7-mp4.json", "frame-padding") in codes


def test_mixed_roots_both_ways(bucket, template, tmp_path, capsys):
    """Local media with the Lightly root in the bucket, and bucket media with a local Lightly root."""
    local = run(capsys, "export", "--frames", template, "--format", "json")
    meta_url = bucket.upload(template / ".lightly", "lightly/.lightly")
    media_url = bucket.upload(template, "media")
    lightly_only = copy_datasource(template, tmp_path, "lightly")
    assert run(capsys, "export", "--frames", template, "--lightly-root", bucket.url("lightly"),
               "--format", "json")[:2] == local[:2]
    assert run(capsys, "export", "--frames", media_url, "--lightly-root", lightly_only,
               "--format", "json")[:2] == local[:2]
    assert meta_url


def test_import_writes_the_objects(bucket, template, tmp_path, capsys):
    url = bucket.upload(template, "ds")
    csv = tmp_path / "values.csv"
    csv.write_text("file_name,label\nimages/a.png,dog\nimages/b.jpg,bird\nvideos/v-03-mp4.png,bus\n")
    code, out, err = run(capsys, "import", url, csv)
    assert code == 0, out + err
    a = json.loads(bucket.get("ds/.lightly/metadata/images/a.json"))
    assert a["metadata"]["label"] == "dog"
    b = bucket.get("ds/.lightly/metadata/images/b.json")
    assert json.loads(b) == {"file_name": "images/b.jpg", "type": "image", "metadata": {"label": "bird"}}
    assert b.endswith(b"}\n") and b'\n  "type"' in b  # strict, two-space indented, final newline
    frame = json.loads(bucket.get("ds/.lightly/metadata/videos/v-03-mp4.json"))  # padded to 2 digits
    assert frame["file_name"] == "videos/v-03-mp4.png" and frame["metadata"]["label"] == "bus"


def test_validate_writes_nothing(bucket, template, capsys):
    url = bucket.upload(template, "ds")
    before = {k: bucket.get(f"ds/{k}") for k in bucket.keys("ds")}
    run(capsys, "validate", url)
    run(capsys, "export", "--frames", url)
    assert {k: bucket.get(f"ds/{k}") for k in bucket.keys("ds")} == before


def test_missing_bucket_is_a_clear_error(bucket, capsys):
    code, _, err = run(capsys, "validate", f"{bucket.scheme}://no-such-bucket-{bucket.name}/x")
    assert code == 2
    assert "no-such-bucket" in err and "Traceback" not in err
