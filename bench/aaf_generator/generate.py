"""A Paris-size AAF export (ficAlimMENESR), written in the format of the Ministry's own files.

`generate` writes the complete export and the Delta; `main` is the command line (`python -m bench.aaf_generator`)."""

import argparse
import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.aaf_generator.complete import write_complete
from bench.aaf_generator.delta import write_delta
from bench.aaf_generator.planner import make_plan
from bench.aaf_generator.shape import COMPLETE_DIR, DEFAULT_DATE, DELTA_DIR, KINDS, PREFIX


@dataclass
class ExportSummary:
    complete_dir: Path
    delta_dir: Path | None
    files: dict[str, list[Path]]  # complete export: kind -> parts
    counts: dict[str, int]  # complete export: kind -> records
    delta_files: dict[str, list[Path]] = field(default_factory=dict)
    delta_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> operation -> records
    seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = [f"Complete export in {self.complete_dir}:"]
        lines += [f"  {kind}: {self.counts[kind]} records in {len(self.files[kind])} file(s)" for kind in KINDS]
        if self.delta_dir is not None:
            lines.append(f"Delta export in {self.delta_dir}:")
            for kind, operations in self.delta_counts.items():
                detail = ", ".join(f"{operation} {count}" for operation, count in operations.items())
                lines.append(f"  {kind}: {detail}")
        lines.append(f"Generated in {self.seconds:.1f} s.")
        return lines


def generate(
    out: str | Path,
    *,
    schools: int = 100,
    students: int = 65_000,
    relatives: int = 110_000,
    staff: int = 8_000,
    seed: int = 1,
    delta_percent: float = 1.0,
    date: str = DEFAULT_DATE,
) -> ExportSummary:
    """Write the complete export into `out/complet` and, when delta_percent > 0, the Delta into `out/delta`."""
    started = time.perf_counter()
    export_date = datetime.datetime.strptime(date, "%Y%m%d").date()
    plan, rng = make_plan(
        schools=schools, students=students, relatives=relatives, staff=staff, seed=seed, date=export_date
    )
    root = Path(out)
    complete_dir = root / COMPLETE_DIR
    files, counts = write_complete(plan, complete_dir)
    summary = ExportSummary(complete_dir=complete_dir, delta_dir=None, files=files, counts=counts)
    if delta_percent > 0:
        summary.delta_dir = root / DELTA_DIR
        summary.delta_counts = write_delta(plan, rng, summary.delta_dir, delta_percent)
        summary.delta_files = {
            kind: sorted(summary.delta_dir.glob(f"{PREFIX}_Delta_*_{kind}_*.xml")) for kind in summary.delta_counts
        }
    summary.seconds = time.perf_counter() - started
    return summary


def add_size_arguments(parser: argparse.ArgumentParser, *, delta: bool = True) -> None:
    """The export's sizes and seed; with `delta`, the Delta's share and the export's date too."""
    parser.add_argument("--schools", type=int, default=100, help="establishments (default %(default)s)")
    parser.add_argument("--students", type=int, default=65_000, help="students (default %(default)s)")
    parser.add_argument("--relatives", type=int, default=110_000, help="relatives (default %(default)s)")
    parser.add_argument("--staff", type=int, default=8_000, help="staff (default %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    if not delta:
        return
    parser.add_argument(
        "--delta-percent", type=float, default=1.0, help="people touched by the Delta export, 0 for none (default 1)"
    )
    parser.add_argument("--date", default=DEFAULT_DATE, help=f"export date YYYYMMDD (default {DEFAULT_DATE})")


def size_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "schools": args.schools,
        "students": args.students,
        "relatives": args.relatives,
        "staff": args.staff,
        "seed": args.seed,
        "delta_percent": args.delta_percent,
        "date": args.date,
    }


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.aaf_generator", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="output folder (complet/ and delta/ are written inside)")
    add_size_arguments(parser)
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        summary = generate(args.out, **size_options(args))
    except ValueError as error:
        parser.error(str(error))
    print("\n".join(summary.lines()))
    return 0
