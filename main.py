"""Entry point: the editor window by default, or a headless command (validate, export).

The CLI never imports Qt; formatting and logic live in core/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

COMMANDS = ("validate", "export", "import")


def _prog() -> str:
    """`lightly-metadata-editor` when run by the console script (or the bundle), else `main.py`."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name if name.startswith("lightly-metadata-editor") else "main.py"


def _media_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--image-extensions", metavar="LIST",
                   help="comma-separated image extensions (default: png,jpg,jpeg,bmp,gif,tif,tiff,webp)")
    p.add_argument("--video-extensions", metavar="LIST",
                   help="comma-separated video extensions (default: mp4,m4v,hevc,mpg,mpeg,avi,mov,webm,mkv)")
    p.add_argument("--lightly-extensions", metavar="LIST",
                   help="the extensions Lightly reads; other media get an unread-media finding "
                   "(default: the Worker's documented lists, without webp and mkv)")


def _cli_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=_prog(), description="Validate or export Lightly datasource metadata.")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check schema.json and every metadata file")
    v.add_argument("datasource", help="media folder or URL (holds .lightly/metadata unless --lightly-root)")
    v.add_argument("--lightly-root", metavar="DIR|URL", help="folder or URL holding .lightly/metadata/")
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    _media_options(v)
    e = sub.add_parser("export", help="write the effective values as CSV or JSON")
    e.add_argument("datasource")
    e.add_argument("--lightly-root", metavar="DIR|URL")
    e.add_argument("--frames", action="store_true", help="one row per video frame too")
    e.add_argument("--format", choices=("csv", "json"), default="csv")
    e.add_argument("-o", "--output", metavar="FILE",
                   help="write here instead of stdout (the file appears complete or not at all)")
    e.add_argument("--raw-formulas", action="store_true",
                   help="write text cells starting with = + - @ as they are (default: prefixed with ')")
    _media_options(e)
    i = sub.add_parser("import", help="apply a CSV of values keyed by file_name")
    i.add_argument("datasource")
    i.add_argument("csv_file", metavar="FILE.csv")
    i.add_argument("--lightly-root", metavar="DIR|URL")
    i.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    i.add_argument("--skip-invalid", action="store_true",
                   help="apply the valid rows and skip the rows with errors (listed in the report)")
    _media_options(i)
    for sp in (v, e, i):
        _add_endpoint(sp)
    return p


def extensions_of(args: argparse.Namespace):
    """The media extensions chosen on the command line (core.format.media.Extensions)."""
    from core.format.media import Extensions

    return Extensions.parse(getattr(args, "image_extensions", None), getattr(args, "video_extensions", None),
                            getattr(args, "lightly_extensions", None))


def _add_endpoint(p: argparse.ArgumentParser) -> None:
    """Folders may be bucket URLs (s3://, gs://, az://, abfs://): the README's "Cloud datasources"."""
    p.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="S3-compatible server for s3:// URLs (e.g. MinIO); default: $AWS_ENDPOINT_URL, else AWS",
    )


def _configure_storage(args: argparse.Namespace) -> None:
    endpoint = getattr(args, "endpoint_url", None)
    if endpoint:
        from core.storage.remote import configure

        configure(endpoint_url=endpoint)



def _gui_parser() -> argparse.ArgumentParser:
    prog = _prog()
    p = argparse.ArgumentParser(
        prog=prog,
        description="Edit Lightly datasource metadata.",
        epilog=f"Headless commands: {prog} validate|export|import DATASOURCE ... (see {prog} validate -h).",
    )
    p.add_argument("--version", action="store_true", help="print the version (and Python's, Qt's, PyAV's)")
    p.add_argument("datasource", nargs="?", help="the media folder to open (default: the last one)")
    p.add_argument("--lightly-root", metavar="DIR|URL", help="folder or URL holding .lightly/metadata/")
    p.add_argument("--screenshot", metavar="PNG", help="render the window off-screen to PNG and exit")
    _add_endpoint(p)
    return p


def _progress(done: int, total: int, label: str) -> None:
    """Frame counting can take a while: say what is being decoded, on stderr."""
    if label.startswith("counting frames"):
        print(label, file=sys.stderr, flush=True)


def _frame_cache():
    """Decoded counts are cached in the user's cache folder (never in the datasource)."""
    from core.video.counting import FrameCountCache

    return FrameCountCache()


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_validate(args: argparse.Namespace) -> int:
    from core.dataset.index import DatasourceError
    from core.format.findings import WARNING, has_errors
    from core.validation.validate import summary, validate_datasource

    cache = _frame_cache()
    try:
        index, findings = validate_datasource(
            args.datasource, args.lightly_root, extensions_of(args), progress=_progress, frame_cache=cache
        )
    except (DatasourceError, ValueError) as e:
        return _fail(str(e))
    if args.format == "json":
        print(json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        for f in findings:
            print(f.text())
    print(summary(findings, len(index.metadata)), file=sys.stderr)
    failed = has_errors(findings) or (args.strict and any(f.severity == WARNING for f in findings))
    return 1 if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from core.csv_io.export import export_rows, write_csv, write_json
    from core.csv_io.export_pool import export_parallel
    from core.dataset.index import DatasourceError, scan
    from core.schema.entries import compile_schema, read_schema
    from core.validation.validate import confirm_index_frames

    cache = _frame_cache()
    try:
        index = scan(args.datasource, args.lightly_root, extensions_of(args), frame_cache=cache)
        if args.frames:
            confirm_index_frames(index, cache, progress=_progress)
    except (DatasourceError, ValueError) as e:
        return _fail(str(e))
    schema = read_schema(index.lightly_root)
    if schema.error is not None:
        print(f"warning: schema.json: {schema.error}; exporting without schema columns", file=sys.stderr)
    specs = compile_schema(schema.entries)
    skipped: list[tuple[str, str]] = []

    def write(out):
        # Worker processes at scale (core.csv_io.export_pool); the same bytes as one process.
        n = export_parallel(index, specs, out, fmt=args.format, frames=args.frames,
                            raw_formulas=args.raw_formulas, skipped=skipped)
        if n is not None:
            return n
        rows = export_rows(index, specs, frames=args.frames)
        if args.format == "json":
            return write_json(rows, specs, out, skipped=skipped)
        return write_csv(rows, specs, out, raw_formulas=args.raw_formulas, skipped=skipped)

    for finding in index.findings:  # files the export cannot vouch for: links out of the roots
        if finding.code == "link-outside":
            print(f"{finding.text()} (its values are exported as invalid)", file=sys.stderr)
    if not args.output:
        n = write(sys.stdout)
    else:
        try:
            n = _write_output(args.output, write)
        except OSError as e:
            return _fail(f"{args.output}: {e.strerror or e} (nothing was written)")
        print(f"wrote {n} rows to {args.output}", file=sys.stderr)
    for name, reason in skipped:
        print(f"error: row {name!r} left out: {reason}", file=sys.stderr)
    return 1 if skipped else 0


def _write_output(path: str, write) -> int:
    """Run `write(file)` into `path`: a regular file appears complete or not at all."""
    import os
    import stat

    from core.format.jsonio import atomic_output

    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        special = False
    if special:  # /dev/null, a named pipe: nothing to rename
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write(out)
    with atomic_output(path) as out:
        return write(out)


def cmd_import(args: argparse.Namespace) -> int:
    from core.csv_io.command import run_cli

    return run_cli(args)


def run_gui(args: argparse.Namespace) -> int:
    """Start the editor window; imported lazily so the CLI never loads Qt."""
    from gui.window.app import run

    return run(args)


def main(argv: list[str] | None = None) -> int:
    """Parse `argv` and run a command (or the GUI); returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    cli = bool(argv) and argv[0] in COMMANDS
    try:
        args = (_cli_parser() if cli else _gui_parser()).parse_args(argv)
    except SystemExit as e:  # -h, or bad arguments (argparse printed why)
        return e.code if isinstance(e.code, int) else 2
    _configure_storage(args)
    if cli:
        for stream in (sys.stdout, sys.stderr):  # a name that is not UTF-8 must not end a report
            try:
                stream.reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError):  # replaced streams (tests) keep theirs
                pass
        handler = {"validate": cmd_validate, "export": cmd_export, "import": cmd_import}[args.command]
        try:
            return handler(args)
        except BrokenPipeError:  # e.g. `main.py export ... | head`
            sys.stderr.close()
            return 0
        except KeyboardInterrupt:
            return 130
    if args.version:
        from core.bundled import version_text

        print(version_text())
        return 0
    return run_gui(args)


def entry() -> int:
    """The console script `lightly-metadata-editor`; this file is then lightly_metadata_editor/main.py.

    The program's own packages are the generic `core` and `gui`, installed inside the
    lightly_metadata_editor folder (setup.py). That folder goes first on sys.path, in this
    process only, before `main` is imported from it: another distribution's top-level
    `core`/`gui` can neither shadow ours here nor be shadowed by ours anywhere else.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path[:1] != [here]:
        sys.path.insert(0, here)
    import main as program  # this same file, now as the top-level module the program expects

    return program.main()


def build_window(media_root, lightly_root=None):
    """The editor's main window on a datasource (for tests and scripts); see gui.window.app.build_window."""
    from gui.window.app import build_window as _build

    return _build(media_root, lightly_root)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the bundle: a worker process (spawn) starts here too
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
