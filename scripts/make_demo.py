"""Generate the bundled demo datasources in resources/ (deterministic; the output is committed).

`resources/demo/` is a usable dataset (real images and videos, a clean schema using
every type) with one example of every per-file problem the validator reports;
`resources/demo-broken-schema/` shows every schema problem, which would make the
main demo's schema unusable. Run: `.venv/bin/python scripts/make_demo.py [--out DIR]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when imported from elsewhere
from demo_pictures import save_image, save_video, scene  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LONG_FRAMES = 150  # >= 100: frame names need 3 digits
SHORT_FRAMES = 48  # < 100: 2 digits

# --- metadata -------------------------------------------------------------------------------

_NO_DEFAULT = object()


def entry(name: str, path: str, default, vtype: str, **extra) -> dict:
    """A schema.json entry; `_NO_DEFAULT` leaves out `defaultValue` (a structure error)."""
    out = {"name": name, "path": path, "defaultValue": default, "valueDataType": vtype, **extra}
    if default is _NO_DEFAULT:
        del out["defaultValue"]
    return out


SCHEMA = [
    entry("Scene", "scene", "unknown", "CATEGORICAL_STRING"),
    entry("Weather description", "weather.description", "nothing", "CATEGORICAL_STRING"),
    entry("Temperature", "weather.temperature", 0.0, "NUMERIC_FLOAT"),
    entry("Vehicle count", "vehicles.count", 0, "NUMERIC_INT"),
    entry("Camera", "camera.id", 0, "CATEGORICAL_INT"),
    entry("Daytime", "daytime", True, "CATEGORICAL_BOOLEAN"),
    entry("Captured at", "capture.datetime", None, "CATEGORICAL_DATETIME"),
    entry("Capture timestamp", "capture.timestamp", 0, "CATEGORICAL_TIMESTAMP"),
    entry("Exposure", "sensors[0].exposure", None, "NUMERIC_FLOAT"),
    entry("Notes", "notes", "", "OTHER_STRING"),
]

# (media path, weather, vehicle count, seed); the vehicle count is what the picture shows.
IMAGES = [
    ("street_0.png", "sunny", 3, 1),
    ("street_1.jpg", "cloudy", 2, 2),
    ("crossing.png", "sunny", 1, 3),
    ("crossing.jpg", "sunny", 1, 4),
    ("highway/car_2.png", "sunny", 4, 5),
    ("highway/car_3.jpg", "rain", 2, 6),
    ("highway/truck_4.png", "cloudy", 1, 7),
    ("park/tree_5.png", "sunny", 0, 8),
    ("park/bench_6.jpg", "cloudy", 0, 9),
    ("park/fountain_7.png", "sunny", 0, 10),
    ("night/lamp_8.png", "night", 1, 11),
]


def meta(scene_: str, weather: str, temp: float, cars: int, cam: int, when: str, **more) -> dict:
    day = weather != "night"
    out = {
        "scene": scene_,
        "weather": {"description": weather, "temperature": temp},
        "vehicles": {"count": cars},
        "camera": {"id": cam},
        "daytime": day,
        "capture": {"datetime": when, "timestamp": _epoch(when)},
    }
    out.update(more)
    return out


def _epoch(when: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp())


def doc(file_name: str, type_: str, metadata: dict, **top) -> dict:
    return {"file_name": file_name, "type": type_, "metadata": metadata, **top}


# Broken on purpose, shaped like the example in Lightly's documentation (trailing comma).
CAR_3_BROKEN = """{
    "file_name": "highway/car_3.jpg",
    "type": "image",
    "metadata": {
        "scene": "highway",
        "weather": {
            "description": "rain",
            "temperature": 11.5,
        },
        "vehicles": {
            "count": 2
        }
    }
}
"""


def main_demo_metadata() -> dict[str, dict | str]:
    """Metadata files (relative to .lightly/metadata) -> content (a dict, or raw text)."""
    long_ = "videos/drive_long"
    return {
        "street_0.json": doc(
            "street_0.png",
            "image",
            # `annotator` and `review` are not in the schema: kept on every save.
            meta(
                "city street",
                "sunny",
                23.2,
                3,
                1,
                "2024-05-04T09:15:00Z",
                annotator="ana",
                review={"ok": True},
            ),
        ),
        # value-type: a temperature stored as a string, a count stored as a float.
        "street_1.json": doc(
            "street_1.jpg", "image", meta("city street", "cloudy", "17.5", 2.0, 1, "2024-05-04T09:20:00Z")
        ),
        # collision: crossing.png and crossing.jpg both map to crossing.json.
        "crossing.json": doc(
            "crossing.png", "image", meta("crossing", "sunny", 21.0, 1, 2, "2024-05-04T10:00:00Z")
        ),
        "highway/car_2.json": doc(
            "highway/car_2.png",
            "image",
            meta(
                "highway",
                "sunny",
                25.0,
                4,
                3,
                "2024-05-05T14:00:00Z",
                sensors=[{"exposure": 0.008, "gain": 2}],
                notes="four cars, one partly hidden",
            ),
        ),  # fmt: skip
        "highway/car_3.json": CAR_3_BROKEN,  # invalid-json
        # extra-top-level-key: `comment` sits beside file_name/type/metadata (kept on save).
        "highway/truck_4.json": doc(
            "highway/truck_4.png",
            "image",
            meta("highway", "cloudy", 15.0, 1, 3, "2024-05-05T15:30:00Z"),
            comment="exported from the old labelling tool",
        ),
        # wrong-file-name: the folder is missing from file_name.
        "park/tree_5.json": doc(
            "tree_5.png", "image", meta("park", "sunny", 26.5, 0, 4, "2024-05-06T12:00:00Z")
        ),
        # missing-key: no `type`.
        "park/bench_6.json": {
            "file_name": "park/bench_6.jpg",
            "metadata": meta("park", "cloudy", 18.0, 0, 4, "2024-05-06T12:05:00Z"),
        },
        # park/fountain_7.png has no metadata file: every value is its schema default.
        # wrong-type-field: an image described as a video.
        "night/lamp_8.json": doc(
            "night/lamp_8.png", "video", meta("street", "night", 9.0, 1, 5, "2024-05-06T22:40:00Z")
        ),
        # orphan: the image was deleted, its metadata file stayed.
        "removed/old_9.json": doc(
            "removed/old_9.png", "image", meta("parking lot", "sunny", 20.0, 7, 2, "2024-04-01T08:00:00Z")
        ),
        # The long video: whole-video values, then frames that override some of them.
        f"{long_}.json": doc(
            f"{long_}.mp4", "video", meta("country road", "sunny", 19.0, 2, 6, "2024-05-07T07:00:00Z")
        ),
        f"{long_}-000-mp4.json": doc(f"{long_}-000-mp4.png", "frame", {"vehicles": {"count": 2}}),
        f"{long_}-050-mp4.json": doc(
            f"{long_}-050-mp4.png",
            "frame",
            {"weather": {"description": "cloudy"}, "tracker": {"id": 17, "confidence": 0.91}},
        ),
        f"{long_}-099-mp4.json": doc(
            f"{long_}-099-mp4.png", "frame", {"weather": {"description": "rain", "temperature": 16.5}}
        ),
        f"{long_}-149-mp4.json": doc(f"{long_}-149-mp4.png", "frame", {"notes": "last frame"}),
        # frame-padding: 150 frames need 3 digits (drive_long-042-mp4.json).
        f"{long_}-42-mp4.json": doc(f"{long_}-42-mp4.png", "frame", {"vehicles": {"count": 3}}),
        # frame-range: frames are numbered 0..149.
        f"{long_}-150-mp4.json": doc(f"{long_}-150-mp4.png", "frame", {"notes": "one past the end"}),
        "videos/clip_short.json": doc(
            "videos/clip_short.mp4", "video", meta("roundabout", "cloudy", 14.0, 1, 7, "2024-05-08T17:45:00Z")
        ),
        "videos/clip_short-07-mp4.json": doc(
            "videos/clip_short-07-mp4.png", "frame", {"vehicles": {"count": 2}, "notes": "second car enters"}
        ),
        # unreadable-video: videos/broken_upload.mp4 is a truncated copy.
        "videos/broken_upload.json": doc("videos/broken_upload.mp4", "video", {"scene": "unknown"}),
    }


PROBLEMS = [
    (
        "invalid-json",
        "`.lightly/metadata/highway/car_3.json`",
        "trailing comma (line 9), like Lightly's docs",
    ),
    (
        "value-type",
        "`.lightly/metadata/street_1.json`",
        '`weather.temperature` is `"17.5"`, `vehicles.count` is `2.0`',
    ),
    ("collision", "`crossing.png` + `crossing.jpg`", "both map to `.lightly/metadata/crossing.json`"),
    ("extra-top-level-key", "`.lightly/metadata/highway/truck_4.json`", "a `comment` key beside `metadata`"),
    ("wrong-file-name", "`.lightly/metadata/park/tree_5.json`", '`file_name` is `"tree_5.png"`'),
    ("missing-key", "`.lightly/metadata/park/bench_6.json`", "no `type`"),
    ("wrong-type-field", "`.lightly/metadata/night/lamp_8.json`", 'an image with `"type": "video"`'),
    ("orphan", "`.lightly/metadata/removed/old_9.json`", "its image does not exist"),
    (
        "frame-padding",
        "`.lightly/metadata/videos/drive_long-42-mp4.json`",
        "150 frames need 3 digits: `-042-` (its `file_name` too)",
    ),
    ("frame-range", "`.lightly/metadata/videos/drive_long-150-mp4.json`", "frames are numbered 0..149"),
    ("unreadable-video", "`videos/broken_upload.mp4`", "a truncated copy of an MP4 (no `moov` atom)"),
]

BROKEN_SCHEMA = [
    entry("Temperature", "weather.temperature", 0.0, "NUMERICAL_FLOAT"),
    entry("Vehicle count", "vehicles.count", 0, "NUMERICAL_INT"),
    entry("Captured at", "capture.datetime", None, "CATEGROICAL_DATETIME"),
    entry("Temperature", "weather.temp_f", 32.0, "NUMERIC_FLOAT"),
    entry("Vehicles", "vehicles.count", 0, "NUMERIC_INT"),
    entry("Weather", "weather", "sunny", "CATEGORICAL_STRING"),
    entry("Lightly score", "lightly.score", 0.0, "NUMERIC_FLOAT"),
    entry("Daytime", "daytime", "yes", "CATEGORICAL_BOOLEAN"),
    entry("Scene", "scene", _NO_DEFAULT, "CATEGORICAL_STRING", unit="none"),
    entry("", "camera..id", 0, "CATEGORICAL_INT"),
]

SCHEMA_PROBLEMS = [
    (
        "unknown-type",
        "entries 0, 1, 2",
        "`NUMERICAL_FLOAT`, `NUMERICAL_INT`, `CATEGROICAL_DATETIME` (each with its fix)",
    ),
    ("duplicate-name", "entry 3", "`Temperature` again"),
    ("duplicate-path", "entry 4", "`vehicles.count` again"),
    (
        "path-conflict",
        "entries 5, 0 and 3",
        "`weather` is a prefix of `weather.temperature` and `weather.temp_f`",
    ),
    ("reserved-path", "entry 6", "`lightly.score`: `lightly` is reserved"),
    ("default-type", "entry 7", '`"yes"` for `CATEGORICAL_BOOLEAN`'),
    (
        "schema-structure",
        "entries 8 and 9",
        "no `defaultValue` + extra key `unit`; empty `name` + malformed `camera..id`",
    ),
]


def readme(problems, intro: str) -> str:
    rows = "\n".join(f"| `{code}` | {where} | {what} |" for code, where, what in problems)
    return f"{intro}\n\n| finding | where | what |\n| --- | --- | --- |\n{rows}\n"


MAIN_INTRO = """# The demo datasource

Generated by `scripts/make_demo.py` (do not edit by hand; re-run the script). The editor
opens a copy in your user data folder, never this folder.

- 11 images (160x120 PNG/JPEG) in the root and in `highway/`, `park/`, `night/`; each
  picture shows as many cars as its `vehicles.count`.
- `videos/drive_long.mp4`: 150 frames, so frame files are padded to 3 digits
  (`drive_long-099-mp4.json`); frames 000, 050, 099 and 149 have their own files.
  `videos/clip_short.mp4`: 48 frames, 2 digits (`clip_short-07-mp4.json`). Every frame
  shows its number in the top left corner.
- `.lightly/metadata/schema.json` is clean and uses all eight types (the five documented
  ones and the advanced `CATEGORICAL_DATETIME`, `CATEGORICAL_TIMESTAMP`, `OTHER_STRING`),
  with nested paths (`weather.description`, `weather.temperature`) and an array path
  (`sensors[0].exposure`).
- Unknown keys that are kept on save: `annotator` and `review` in `street_0.json`,
  `tracker` in `drive_long-050-mp4.json`.
- `park/fountain_7.png` has no metadata file: all its values are defaults.

Deliberate problems, one of each per-file finding (schema problems are in
`../demo-broken-schema/`, since they would make this schema unusable):"""

BROKEN_INTRO = """# The broken-schema demo

Generated by `scripts/make_demo.py`. Two images and a `schema.json` with one example of
every schema finding (entry numbers count from 0). Because of the `weather` entry, both
metadata files also get a `value-type` error: their `weather` is an object, not a string."""


def write_metadata(root: Path, files: dict[str, dict | str], schema: list) -> None:
    base = root / ".lightly" / "metadata"
    for rel, content in {"schema.json": schema, **files}.items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        text = (
            content if isinstance(content, str) else json.dumps(content, indent=2, ensure_ascii=False) + "\n"
        )
        p.write_text(text, encoding="utf-8", newline="\n")


def make_main(out: Path) -> None:
    for rel, weather, cars, seed in IMAGES:
        save_image(scene(weather, cars, seed), out / rel)
    save_video(out / "videos" / "drive_long.mp4", LONG_FRAMES, "sunny", 2, 20)
    save_video(out / "videos" / "clip_short.mp4", SHORT_FRAMES, "cloudy", 1, 21)
    # A copy cut short, as after an interrupted upload: the index (`moov`) is missing.
    (out / "videos" / "broken_upload.mp4").write_bytes(
        (out / "videos" / "clip_short.mp4").read_bytes()[:4096]
    )
    write_metadata(out, main_demo_metadata(), SCHEMA)
    (out / "README.md").write_text(readme(PROBLEMS, MAIN_INTRO), encoding="utf-8")


def make_broken_schema(out: Path) -> None:
    save_image(scene("sunny", 2, 30), out / "img_a.png")
    save_image(scene("rain", 1, 31), out / "img_b.jpg")
    files = {
        "img_a.json": doc("img_a.png", "image", {"weather": {"temperature": 22.0}, "vehicles": {"count": 2}}),
        "img_b.json": doc("img_b.jpg", "image", {"weather": {"temperature": 12.5}, "daytime": True}),
    }
    write_metadata(out, files, BROKEN_SCHEMA)
    (out / "README.md").write_text(readme(SCHEMA_PROBLEMS, BROKEN_INTRO), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "resources", help="folder to write both demos into"
    )
    args = parser.parse_args(argv)
    for name, make in (("demo", make_main), ("demo-broken-schema", make_broken_schema)):
        target = args.out / name
        if target.exists():
            shutil.rmtree(target)
        make(target)
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        print(f"{target}: {sum(1 for p in target.rglob('*') if p.is_file())} files, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
