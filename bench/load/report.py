"""The load test's figures and report: Locust's CSV read into each phase's figures, the chart, and the
section `make load` appends to docs/performance.md (bench.load.run runs the phases)."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
REPORT = ROOT / "docs" / "performance.md"
CHART = ROOT / "docs" / "load-mix.png"


@dataclass
class Figures:
    phase: str
    users: int
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    web_cpu_ms: float  # CPU of the gunicorn processes per request
    db_cpu_ms: float  # CPU of PostgreSQL's processes per request
    endpoints: list[dict[str, str]]
    status_503: int = 0


def number(cell: str) -> float:
    """A Locust CSV figure; "N/A" where a phase had no request of that kind."""
    try:
        return float(cell)
    except ValueError:
        return 0.0


def read_figures(name: str, users: int, prefix: Path, web_cores: float, db_cores: float) -> Figures:
    """The phase's figures; `*_cores` are the CPU seconds per second the server's processes used."""
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    endpoints = sorted((row for row in rows if row["Name"] != "Aggregated"), key=lambda row: -number(row["95%"]))
    refused = 0
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(newline="") as failures:
            refused = sum(int(row["Occurrences"]) for row in csv.DictReader(failures) if "503" in row["Error"])
    rps = float(total["Requests/s"])
    per_request = 1000 / max(rps, 0.01)
    return Figures(
        phase=name,
        users=users,
        requests=requests,
        failures=int(total["Failure Count"]),
        rps=rps,
        p50=number(total["50%"]),
        p95=number(total["95%"]),
        p99=number(total["99%"]),
        web_cpu_ms=web_cores * per_request,
        db_cpu_ms=db_cores * per_request,
        endpoints=endpoints,
        status_503=refused,
    )


def chart(phases: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (throughput, latency) = plt.subplots(2, 1, figsize=(9, 6), sharex=False)
    for name in phases:
        with open(OUT / f"{name}_stats_history.csv", newline="") as history:
            rows = [row for row in csv.DictReader(history) if row["Name"] == "Aggregated"]
        if not rows:
            continue
        start = int(rows[0]["Timestamp"])
        seconds = [int(row["Timestamp"]) - start for row in rows]
        throughput.plot(seconds, [float(row["Requests/s"]) for row in rows], label=name)
        latency.plot(seconds, [number(row["95%"]) for row in rows], label=name)
    throughput.set_yscale("log")  # the floors answer a hundred times faster than the mix
    throughput.set_ylabel("requests/s")
    latency.set_ylabel("p95 (ms)")
    latency.set_xlabel("seconds into the phase")
    throughput.legend()
    throughput.set_title("make load: throughput and p95 per phase")
    figure.tight_layout()
    figure.savefig(CHART, dpi=90)


def report(figures: dict[str, Figures], *, world: str, workers: int, machine: str) -> str:
    """The run's section of docs/performance.md: `figures` by phase, in the order they ran."""
    hello, calibration, mix = figures["hello"], figures["calibration"], figures["mix-saturation"]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### {now}: the Monday mix on the {world}, {workers} gunicorn processes",
        "",
        machine + ". Locust runs on the same machine and takes CPU from the server: "
        "the ratios travel, the absolute figures are this machine's.",
        "",
        "| Phase | Users | Requests | Failures | req/s | p50 ms | p95 ms | p99 ms | web CPU ms/req "
        "| PostgreSQL CPU ms/req |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, f in figures.items():
        lines.append(
            f"| {name} | {f.users} | {f.requests} | {f.failures} | {f.rps:.1f} | {f.p50:.0f} | {f.p95:.0f} "
            f"| {f.p99:.0f} | {f.web_cpu_ms:.1f} | {f.db_cpu_ms:.1f} |"
        )
    overload = figures["overload"]
    lines += [
        "",
        f"- The mix at saturation: **{mix.rps / max(calibration.rps, 0.01):.2f}** of the calibration view's "
        f"throughput, {mix.rps / max(hello.rps, 0.01):.3f} of hello-world's.",
        f"- Overload ({overload.users} users, no think time): {overload.status_503} answers 503 with Retry-After "
        f"out of {overload.requests}; p95 {overload.p95:.0f} ms. Afterwards (`recovery`): "
        f"{figures['recovery'].failures} failures out of {figures['recovery'].requests}.",
        "",
        "Slowest endpoints of the sustained mix (p95):",
        "",
        "| Endpoint | Requests | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for row in figures["mix-sustained"].endpoints[:8]:
        lines.append(f"| {row['Name']} | {row['Request Count']} | {row['50%']} | {row['95%']} | {row['99%']} |")
    lines += ["", f"![Throughput and p95 per phase]({CHART.name})", ""]
    return "\n".join(lines)
