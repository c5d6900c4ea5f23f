"""What a file tree row says about its sample: state, badge name and tooltip text (plain functions)."""

from __future__ import annotations

from core.format.findings import ERROR, WARNING, Finding
from core.format.naming import FRAME, VIDEO
from core.format.samples import SampleRef

OWN, INHERITS, DEFAULT = "own", "inherits", "default"
STATE_TEXT = {
    OWN: "has its own metadata file",
    INHERITS: "no file of its own: inherits the video's values (defaults where the video has none)",
    DEFAULT: "no metadata file: every field uses the schema default",
}
ORPHANS_TOOLTIP = "Metadata files that belong to no media file (never deleted without asking)"
MAX_TOOLTIP_FINDINGS = 8


def severity(findings: list[Finding]) -> str | None:
    """ERROR or WARNING when any finding has it (errors first), else None."""
    severities = {f.severity for f in findings}
    return ERROR if ERROR in severities else WARNING if WARNING in severities else None


def problem_badge(findings: list[Finding]) -> str | None:
    """Icon name of the badge for these findings (`state-error`, `state-warning`), or None."""
    sev = severity(findings)
    return f"state-{sev}" if sev else None


def findings_lines(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    lines = [f"{len(findings)} problem{'s' if len(findings) != 1 else ''}:"]
    for f in findings[:MAX_TOOLTIP_FINDINGS]:
        lines.append(f"  • {f.severity} {f.code}: {f.message}")
    if len(findings) > MAX_TOOLTIP_FINDINGS:
        lines.append(f"  … and {len(findings) - MAX_TOOLTIP_FINDINGS} more")
    return lines


def sample_tooltip(sample: SampleRef, state: str, findings: list[Finding], *, n_frames: int | None = None,
                   modified: bool = False, frame_problems: int = 0) -> str:
    """Tooltip of an image, video (`n_frames`, `frame_problems`) or frame row."""
    if sample.kind == FRAME:
        lines = [f"Frame {sample.frame} of {sample.media} ({sample.n_frames} frames)"]
    elif sample.kind == VIDEO:
        lines = [f"{sample.media} — video, {'unknown number of' if n_frames is None else n_frames} frames"]
    else:
        lines = [f"{sample.media} — image"]
    lines.append(f"Metadata file: {sample.metadata_rel}")
    lines.append(STATE_TEXT[state].capitalize())
    if modified:
        lines.append("Unsaved changes")
    if frame_problems:
        lines.append(f"{frame_problems} frame file{'s' if frame_problems != 1 else ''} with problems")
    return "\n".join(lines + findings_lines(findings))


def orphan_tooltip(rel: str, findings: list[Finding]) -> str:
    lines = [f".lightly/metadata/{rel}", "Orphan: no media file matches this metadata file"]
    return "\n".join(lines + findings_lines(findings))


def folder_tooltip(rel: str, n_folders: int, n_files: int) -> str:
    return f"{rel or '.'} — {n_folders} folder(s), {n_files} media file(s)"
