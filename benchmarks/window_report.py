"""bench_window.py's printed results: per size the figures of every run, min / median, each
beside its floor of the same run, and per flow the GUI thread's stack at the longest gap.

Imports the standard library only.
"""

from __future__ import annotations

import statistics


def fmt_stack(stack: list[str]) -> str:
    return "\n".join(f"          {line}" for line in stack[-8:])


def report(n: int, runs: list[dict]) -> None:
    def mm(values, fmt="{:.2f}"):
        values = [v for v in values if v == v]
        if not values:
            return "n/a"
        return f"{fmt.format(min(values))} / {fmt.format(statistics.median(values))}"

    def col(key):
        return [r[key] for r in runs]

    print(f"\n=== {n:,} images ({runs[0]['rows']:,} table rows), {len(runs)} run(s): min / median ===")
    paint, bare = col("paint_s"), col("bare_paint_s")
    print(f"first paint       {mm(paint)} s vs bare QMainWindow {mm(bare)} s:"
          f" ratio {mm([p / b for p, b in zip(paint, bare)])} (goal <= 1.5; the start-up shell)")
    editor = col("editor_paint_s")
    print(f"editor painted    {mm(editor)} s: ratio {mm([p / b for p, b in zip(editor, bare)])}"
          " to the bare window (panels built after the shell's paint)")
    settled, cli = col("settled_s"), col("cli_validate_s")
    print(f"settled           {mm(settled, '{:.1f}')} s (index {mm(col('index_s'), '{:.1f}')} s)"
          f" vs main.py validate {mm(cli, '{:.1f}')} s: ratio {mm([s / c for s, c in zip(settled, cli)])}"
          " (goal <= 1.5)")
    print(f"memory            RSS with the Dataset tab shown {mm(col('rss_dataset_mb'), '{:.0f}')} MB,"
          f" peak {mm(col('rss_peak_mb'), '{:.0f}')} MB (goal <= 600 at 1M)")
    for name in runs[0].get("table", {}):
        values = [r["table"].get(name, float("nan")) for r in runs]
        print(f"table             {name:<28} {mm(values, '{:.3f}')} s")
    print("flow              elapsed s    condition met s   longest gap ms   gaps > 50 ms")
    for name in runs[0]["flows"]:
        rs = [r["flows"][name] for r in runs if name in r["flows"]]
        gaps = mm([f["worst"] * 1000 for f in rs], "{:.0f}")
        late = "" if all(f["ok"] for f in rs) else "  (TIMED OUT)"
        over = mm([f["over"] for f in rs], "{:.0f}")
        shown = mm([f.get("shown", float("nan")) for f in rs])
        print(f"  {name:<14} {mm([f['s'] for f in rs]):>14}   {shown:>14}   {gaps:>12}   {over:>8}{late}")
        worst = max(rs, key=lambda f: f["worst"])
        if worst["worst"] > 0.05 and worst["stack"]:
            print(fmt_stack(worst["stack"]))
