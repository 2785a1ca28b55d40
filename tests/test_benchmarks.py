"""The throughput benchmark runs and reports what it measured (issue 16). It asserts on
no speed: whether a figure is good is for whoever reads it; here, that the figures are
the ones of the rounds it ran (the median with its range, the highest memory), and
that `make bench`'s script keeps working on a small site over real HTTP.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.helpers.crawl import REPO_ROOT, crawl_env

SCRIPT = REPO_ROOT / "benchmarks" / "throughput.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("throughput_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measured_round(crawl_pages_per_second: float, bare: float, pss: float) -> dict[str, Any]:
    crawl = {
        "seconds": 100 / crawl_pages_per_second,
        "pages_per_second": crawl_pages_per_second,
        "pages_fetched": 100,
        "cpu_seconds_crawler": 1.0,
        "cpu_seconds_workers": 3.0,
        "peak_pss_mb": pss,
    }
    recrawl = {"seconds": 100 / crawl_pages_per_second / 10, "peak_pss_mb": pss / 2}
    return {
        "bare": {"pages_per_second": bare, "cpu_ms_per_page": 50.0},
        "crawl": crawl,
        "recrawl": recrawl,
    }


def test_the_report_gives_the_median_round_and_the_range() -> None:
    benchmark = load_benchmark()
    result: dict[str, Any] = {
        "cpu_count": 2,
        # Ratios 2.0, 1.5 and 2.5 to the bare loop of their own round.
        "rounds": [
            measured_round(40, 20, 250),
            measured_round(30, 20, 270),
            measured_round(50, 20, 240),
        ],
    }
    benchmark.summarise(result)
    assert (result["ratio_to_bare"], result["ratio_to_bare_min"], result["ratio_to_bare_max"]) == (
        2.0,
        1.5,
        2.5,
    )
    assert result["crawl"]["pages_per_second"] == 40  # the median round stands for the rest
    assert result["cpu_ratio_to_bare"] == 2 * 50 / 40  # 4 s of CPU over 100 pages
    assert result["recrawl_speedup"] == pytest.approx(10)
    assert result["peak_pss_mb"] == 270  # the highest of the rounds, not the median's
    assert result["recrawl_peak_pss_mb"] == 135
    assert benchmark.spread(result, "ratio_to_bare") == "2.00x (median of 3 rounds: 1.50x-2.50x)"


def test_an_even_number_of_rounds_has_the_mean_of_its_middle_two_as_median() -> None:
    benchmark = load_benchmark()
    assert benchmark.median_and_range([3.0, 1.0, 2.0, 10.0]) == (2.5, 1.0, 10.0)
    assert benchmark.median_and_range([0.7]) == (0.7, 0.7, 0.7)


@pytest.mark.slow
def test_the_benchmark_runs_its_rounds_on_a_small_site(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--workload",
            "project",
            "--pages",
            "12",
            "--rounds",
            "2",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env=crawl_env(),
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "end-to-end / bare = " in run.stdout
    assert "(median of 2 rounds: " in run.stdout
    assert "re-crawl (unchanged, 12 not modified)" in run.stdout
    [written] = tmp_path.glob("throughput-project-*.json")
    result = json.loads(written.read_text())
    assert len(result["rounds"]) == 2
    assert [r["crawl"]["pages_fetched"] for r in result["rounds"]] == [12, 12]
    assert [r["recrawl"]["pages_not_modified"] for r in result["rounds"]] == [12, 12]
    # Each round's first crawl went into a fresh database: every comment is new again.
    assert (
        result["rounds"][0]["crawl"]["comments_new"]
        == result["rounds"][1]["crawl"]["comments_new"]
        > 0
    )
