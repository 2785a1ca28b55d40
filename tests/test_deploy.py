"""Scheduling that tells the truth (issue 18, item 10): the systemd units in deploy/
pass ``systemd-analyze verify``, and the README's cron line prints (so cron mails)
exactly when a run fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.crawl import REPO_ROOT
from tests.helpers.servers import Answer, film_page, scripted_server

UNITS = REPO_ROOT / "deploy" / "systemd"
INSTALL_DIR = "/srv/filmcrawl"


def systemd_analyze() -> str:
    path = shutil.which("systemd-analyze")
    if path is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    return path


def units_under(root: Path) -> Path:
    """The shipped units with /srv/filmcrawl moved to ``root``, where an executable
    filmcrawl exists (verify checks that every ExecStart= can run)."""
    (root / ".venv" / "bin").mkdir(parents=True)
    stub = root / ".venv" / "bin" / "filmcrawl"
    stub.write_text("#!/bin/sh\n", encoding="utf-8")
    stub.chmod(0o755)
    directory = root / "units"
    directory.mkdir()
    for unit in UNITS.iterdir():
        text = unit.read_text(encoding="utf-8").replace(INSTALL_DIR, str(root))
        (directory / unit.name).write_text(text, encoding="utf-8")
    # A template is verified through an instance, the one OnFailure= starts.
    shutil.copy(
        directory / "filmcrawl-failed@.service",
        directory / "filmcrawl-failed@filmcrawl.service.service",
    )
    return directory


def verify(analyze: str, directory: Path, *names: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [analyze, "verify", *names], cwd=directory, capture_output=True, text=True, check=False
    )


def test_the_units_verify(tmp_path: Path) -> None:
    analyze = systemd_analyze()
    directory = units_under(tmp_path)
    names = ["filmcrawl.service", "filmcrawl.timer", "filmcrawl-failed@filmcrawl.service.service"]
    result = verify(analyze, directory, *names)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # The check can fail: a mistyped directive is reported.
    broken = directory / "filmcrawl.service"
    broken.write_text(broken.read_text().replace("Type=oneshot", "Type=oneshto"), encoding="utf-8")
    assert "oneshto" in verify(analyze, directory, "filmcrawl.service").stderr


def test_the_service_reports_failure_and_the_timer_starts_it() -> None:
    service = (UNITS / "filmcrawl.service").read_text(encoding="utf-8")
    assert "OnFailure=filmcrawl-failed@%n.service" in service
    assert (UNITS / "filmcrawl-failed@.service").is_file()
    assert f"ExecStart={INSTALL_DIR}/.venv/bin/filmcrawl crawl " in service
    # The environment names only the database; a setting there would do nothing.
    assert re.findall(r"^Environment=(\w+)", service, re.M) in ([], ["FILMCRAWL_DB"])
    timer = (UNITS / "filmcrawl.timer").read_text(encoding="utf-8")
    assert "OnCalendar=" in timer and "WantedBy=timers.target" in timer
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for unit in UNITS.iterdir():  # the install commands copy every unit
        assert f"deploy/systemd/{unit.name}" in readme, unit.name


def readme_cron_command() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```cron\n(.*?)```", readme, re.S)
    assert block is not None
    line = next(line for line in block.group(1).splitlines() if re.match(r"[\d*]", line))
    return line.split(None, 5)[5]  # after minute, hour, day, month, weekday


@pytest.mark.slow
def test_the_cron_line_prints_only_when_the_run_fails(tmp_path: Path) -> None:
    root = tmp_path / "srv"
    root.mkdir()
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)
    command = readme_cron_command().replace(INSTALL_DIR, str(root))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with scripted_server() as server:
        server.route("/film", Answer.html(film_page()))
        (root / "urls.txt").write_text(server.url("/film") + "\n", encoding="utf-8")
        good = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env,
                              timeout=300, check=False)  # fmt: skip
        (root / "urls.txt").write_text(server.url("/gone") + "\n", encoding="utf-8")
        bad = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env,
                             timeout=300, check=False)  # fmt: skip
    # cron mails what a job prints: nothing for a good run ...
    assert (good.returncode, good.stdout, good.stderr) == (0, "", "")
    # ... and the exit status and the log's last lines for a failed one.
    assert bad.stdout.startswith("filmcrawl crawl failed with exit status 1\n")
    assert "http_error (HTTP 404)" in bad.stdout
    log = (root / "crawl.log").read_text(encoding="utf-8")
    assert "filmcrawl run 1 into films.db: finished" in " ".join(log.split())
