"""One-step fixes for findings, as plain data the GUI wraps in undo commands.

A fix is one of three kinds:
- SCHEMA: a new schema entry tuple (`new_entries`), e.g. a misspelt valueDataType corrected;
- DOCUMENT: a new top-level object for one metadata file (`new_data`), e.g. `file_name`,
  `type` or a missing key set to the expected value;
- RENAME: a metadata file moved to its correct name (`rename_metadata_file`), e.g. a frame
  file with the wrong padding, its `file_name` set to match; refused when the target exists.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.format import jsonio
from core.format.findings import Finding
from core.format.metadata_file import TOP_LEVEL_KEYS
from core.format.naming import (
    FRAME,
    IMAGE,
    SCHEMA_FILE,
    VIDEO,
    frame_file_name,
    metadata_path,
    parse_frame_name,
)
from core.format.value_types import parse_type
from core.schema.entries import SchemaEntry, replace_entry
from core.schema.lint import entry_location
from core.storage import BucketPath

SCHEMA = "schema"
DOCUMENT = "document"
RENAME = "rename"


class FixError(Exception):
    """The fix cannot be applied (any more): the reason is meant for the user."""


@dataclass(frozen=True)
class Fix:
    """What to do about one finding. `label` names the action for a button or menu."""

    kind: str
    label: str
    finding: Finding
    rel: str  # the metadata file (or schema.json) the fix changes
    key: str | None = None  # top-level key (DOCUMENT) or entry key (SCHEMA)
    value: Any = None  # the value to set
    entry: int | None = None  # schema entry index (SCHEMA)
    new_rel: str | None = None  # the file's new name (RENAME)
    #: A question to confirm before applying (renames touch the disk at once).
    question: str | None = None

    def new_entries(self, entries: tuple[SchemaEntry, ...]) -> tuple[SchemaEntry, ...]:
        """The schema after the fix (SCHEMA fixes)."""
        if self.kind != SCHEMA or self.entry is None:
            raise FixError("not a schema fix")
        if self.entry >= len(entries):
            raise FixError(f"schema entry {self.entry} no longer exists")
        entry = entries[self.entry]
        if self.key == "valueDataType":
            if entry.type is not None:
                raise FixError(f"entry {self.entry} already has a known type ({entry.value_type})")
            return replace_entry(entries, self.entry, entry.with_(value_type=self.value))
        raise FixError(f"cannot fix {self.key!r} of a schema entry")

    def new_data(self, data: Any) -> Any:
        """The file's new top-level object (DOCUMENT fixes); other keys are kept in order."""
        if self.kind != DOCUMENT or self.key is None:
            raise FixError("not a document fix")
        if not isinstance(data, dict):
            raise FixError(f"{self.rel} does not hold a JSON object (or is not valid JSON): edit it by hand")
        out = copy.deepcopy(data)
        if self.key in out:
            out[self.key] = copy.deepcopy(self.value)
            return out
        # A missing key goes where it belongs among file_name, type, metadata.
        ordered: dict = {}
        for k in TOP_LEVEL_KEYS:
            if k == self.key:
                ordered[k] = copy.deepcopy(self.value)
            elif k in out:
                ordered[k] = out.pop(k)
        ordered.update(out)
        return ordered


def _expected_top_level(finding: Finding, key: str, index) -> Any:
    """The value `key` should have in finding.file: the hint, else what the index says."""
    if key == "metadata":
        return {}
    if finding.fix is not None:
        return finding.fix
    info = index.metadata.get(finding.file) if index is not None else None
    if info is None:
        return None
    if key == "type":
        return info.kind if info.kind in (IMAGE, VIDEO, FRAME) else None
    if info.kind in (IMAGE, VIDEO):
        return info.media
    if info.kind == FRAME:
        n = index.frame_counts.get(info.media)
        if n is not None and info.frame < n:
            return frame_file_name(info.media, info.frame, n)
    return None


def _document_fix(finding: Finding, key: str, index) -> Fix | None:
    value = _expected_top_level(finding, key, index)
    if value is None:
        return None
    if finding.code == "missing-key":
        label = f"Add {key}" if key == "metadata" else f"Add {key} {value!r}"
    else:
        label = f"Set {key} to {value!r}"
    return Fix(DOCUMENT, label, finding, finding.file, key=key, value=value)


def fix_for(finding: Finding, index=None) -> Fix | None:
    """The fix a user can apply for `finding`, or None when it needs a human decision.

    `index` (core.dataset.index.DatasourceIndex) lets fixes work out expected values that the
    finding does not carry (e.g. the file_name of a file that lacks one).
    """
    code = finding.code
    if code == "unknown-type" and finding.file == SCHEMA_FILE and finding.fix:
        where = entry_location(finding)
        if where is None or parse_type(finding.fix) is None:
            return None
        return Fix(SCHEMA, f"Change the type to {finding.fix}", finding, SCHEMA_FILE,
                   key="valueDataType", value=finding.fix, entry=where[0])
    if code == "wrong-file-name" and finding.path == "file_name":
        return _document_fix(finding, "file_name", index)
    if code == "wrong-type-field" and finding.path == "type":
        return _document_fix(finding, "type", index)
    if code == "missing-key" and finding.path in TOP_LEVEL_KEYS:
        return _document_fix(finding, finding.path, index)
    if code == "frame-padding" and finding.fix:
        old, new = finding.file, finding.fix
        question = (f"Rename {old} to {new}?\n\nThe file is renamed on disk at once and its file_name"
                    " set to match (Undo puts the file back as it was).")
        label = f"Rename to {new.rpartition('/')[2]}"
        return Fix(RENAME, label, finding, old, new_rel=new, question=question)
    return None


# --- renames -------------------------------------------------------------------------------------


def check_rename(lightly_root: str | Path, old_rel: str, new_rel: str) -> tuple[Path, Path]:
    """The absolute (source, target) of a rename, or FixError saying why it can't happen."""
    src = metadata_path(lightly_root, old_rel)
    dst = metadata_path(lightly_root, new_rel)
    if not src.is_file():
        raise FixError(f"{old_rel} no longer exists")
    if dst.exists() or dst.is_symlink():
        raise FixError(
            f"cannot rename {old_rel} to {new_rel}: {new_rel} already exists (a collision). "
            "Compare the two files, keep the right values in one, and delete the other."
        )
    return src, dst


def rename_metadata_file(lightly_root: str | Path, old_rel: str, new_rel: str) -> None:
    """Move a metadata file to a new name inside .lightly/metadata/, never over another file."""
    src, dst = check_rename(lightly_root, old_rel, new_rel)
    if isinstance(src, BucketPath):  # no rename of objects: a copy that may not overwrite, then a delete
        try:
            blob = src.store.read(src, fresh=True)
            src.store.write(dst, blob.data, None)
            src.store.delete(src, blob.token)
        except OSError as e:
            raise FixError(f"cannot rename {old_rel} to {new_rel}: {e}") from e
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
    except OSError as e:
        raise FixError(f"cannot rename {old_rel} to {new_rel}: {e.strerror or e}") from e


def undo_rename(lightly_root: str | Path, old_rel: str, new_rel: str) -> None:
    """The inverse of `rename_metadata_file(lightly_root, old_rel, new_rel)`."""
    rename_metadata_file(lightly_root, new_rel, old_rel)


def frame_name_for(rel: str) -> str | None:
    """The `file_name` a frame metadata file `rel` must hold (`a/v-07-mp4.json` -> `a/v-07-mp4.png`)."""
    if parse_frame_name(rel) is None or not rel.endswith(".json"):
        return None
    return rel[: -len(".json")] + ".png"


def rename_in_workspace(workspace, old_rel: str, new_rel: str, index=None,
                        restore_text: str | None = None) -> str | None:
    """Rename on disk, make `file_name` fit the new name, and bring the workspace (and index) up to date.

    A frame file renamed to its correct padding also gets the `file_name` of that name, so the
    fix leaves no `wrong-file-name` behind (every other key is kept in order). Returns the text
    the file had before, so an undo can put back its exact bytes: `restore_text` writes that
    text at the new name instead of adjusting `file_name`.
    Refused while the file has unsaved edits: they would be left behind under the old name.
    """
    for rel in (old_rel, new_rel):
        doc = workspace.document(rel)
        if doc.modified:
            raise FixError(f"{rel} has unsaved changes: save or revert them first")
    before = workspace.document(old_rel).disk.text
    rename_metadata_file(workspace.lightly_root, old_rel, new_rel)
    if restore_text is not None:
        try:
            jsonio.write_atomic(metadata_path(workspace.lightly_root, new_rel), restore_text)
        except (OSError, ValueError) as e:
            raise FixError(f"renamed {old_rel} to {new_rel} but could not restore its content: {e}") from e
    workspace.reload(old_rel)
    workspace.reload(new_rel)
    if restore_text is None:
        _fit_file_name(workspace, new_rel)
    if index is not None:
        info = index.metadata.get(old_rel)
        index.note_removed(old_rel)
        _note_new_file(index, new_rel, info)
    return before


def _fit_file_name(workspace, rel: str) -> None:
    """Set a renamed frame file's `file_name` to its new name (written at once, like the rename)."""
    expected = frame_name_for(rel)
    doc = workspace.document(rel)
    data = doc.data
    if expected is None or not isinstance(data, dict) or data.get("file_name") == expected:
        return
    new = dict(data)
    new["file_name"] = expected  # an existing key keeps its place in the order
    workspace.replace_data(rel, new)
    try:
        workspace.save(rel, force=True)  # the file was just moved by us: nothing to conflict with
    except Exception as e:  # core.workspace.WriteError (not importable from this layer): stays unsaved
        raise FixError(f"renamed to {rel}, but could not update its file_name ({e})") from e


def _note_new_file(index, new_rel: str, info) -> None:
    from core.format.samples import SampleRef

    if info is not None and info.kind in (IMAGE, VIDEO):
        index.note_written(SampleRef(info.media, info.kind))
        return
    fn = parse_frame_name(new_rel)
    n = index.frame_counts.get(fn.video_rel()) if fn else None
    if fn is not None and n is not None and fn.index < n and len(fn.digits) == len(str(n)):
        index.note_written(SampleRef.frame_of(fn.video_rel(), fn.index, n))
        return
    # A name that is not a sample's (e.g. undoing back to a misnamed frame): classify it as found.
    index.note_file(new_rel)


def apply_fix(workspace, fix: Fix, index=None) -> None:
    """Apply a fix directly (no undo): the CLI and tests; the GUI wraps the same operations."""
    if fix.kind == SCHEMA:
        workspace.set_schema(fix.new_entries(workspace.schema_entries))
    elif fix.kind == DOCUMENT:
        workspace.replace_data(fix.rel, fix.new_data(workspace.document(fix.rel).data))
    elif fix.kind == RENAME:
        rename_in_workspace(workspace, fix.rel, fix.new_rel, index)
    else:
        raise FixError(f"unknown fix kind {fix.kind!r}")
