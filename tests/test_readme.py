"""The README states only what is true (issue 18, items 2 and 11).

One test walks the README top to bottom, as a new user would, in a fresh clone (the
repository's files as they are now, with this checkout's virtual environment standing in
for the one ``make`` would install; no network) and a shell with nothing but the system
PATH. It runs every command block in order: the Quick start first (``make crawl``, then
``. .venv/bin/activate``, which is what puts ``filmcrawl``, ``sqlite-utils`` and
``datasette`` on PATH), then every later block in a new shell that activates the same way.
Each command must exit 0, and each documented output must match what the command
printed: every line shown, in order, after times, durations, rates, ports and
content-addressed ids are masked and runs of spaces or rules are squeezed (a line of
just ``…`` stands for lines left out).

Blocks are marked, in the README source, with an HTML comment on the line before them:

``<!-- readme-test: server PORT -->``
    the block starts a server on PORT (8000: the sample site, 8001: Datasette) that later
    blocks use; it runs in the background until the walk ends.
``<!-- readme-test: exit N -->``
    the command exits with status N.
``<!-- readme-test: output-varies REASON -->``
    run, but only the last line shown is compared (progress lines depend on timing).
``<!-- readme-test: skip REASON -->`` / ``skip-section REASON`` (after a heading)
    not run here, for the reason given (the walk checks these are few and say where
    else what they show is tested).

Documented ports 8000 and 8001 become free ports, so the walk never collides with
anything else on the machine. ``cron`` and ``ini`` blocks are files, not commands
(``tests/test_deploy.py`` runs the cron line).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.crawl import REPO_ROOT

pytestmark = pytest.mark.slow

README = REPO_ROOT / "README.md"
MARKER = re.compile(r"^<!-- readme-test: ([\w-]+)(?: (.*?))? -->$")
DOCUMENTED_PORTS = ("8000", "8001")
# Markers that leave blocks out (a skip, or a skip-section for a whole section), at most.
MAX_SKIP_MARKERS = 6
ACTIVATE = ". .venv/bin/activate"


@dataclass
class Block:
    line: int
    lang: str
    text: str
    section: str
    directive: str = ""
    argument: str = ""


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    section, level = "", 0
    skipped_section: tuple[int, str] | None = None  # (heading level, reason)
    marker: tuple[str, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = re.match(r"^(#{1,6}) (.*)", line)
        if heading:
            level, section = len(heading.group(1)), heading.group(2)
            if skipped_section and level <= skipped_section[0]:
                skipped_section = None
        found = MARKER.match(line.strip())
        if found:
            if found.group(1) == "skip-section":
                skipped_section = (level, found.group(2) or "")
            else:
                marker = (found.group(1), found.group(2) or "")
        elif line.startswith("```"):
            lang = line[3:].strip()
            end = index + 1
            while not lines[end].startswith("```"):
                end += 1
            block = Block(index + 1, lang, "\n".join(lines[index + 1 : end]), section)
            if skipped_section:
                block.directive, block.argument = "skip", skipped_section[1]
            elif marker:
                block.directive, block.argument = marker
            blocks.append(block)
            marker = None
            index = end
        elif line.strip():
            marker = None  # a marker belongs to the block right after it
        index += 1
    return blocks


# --- comparing what the README shows with what a command printed --------------------

VOLATILE = (
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|\+00:00)?"), "TIME"),
    (re.compile(r"\b\d+:\d{2}(?::\d{2})?\b"), "DURATION"),
    (re.compile(r"\b\d+(?:\.\d+)? (?:s|ms|pages/s)\b"), "N UNIT"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "ID"),
    (re.compile(r"([─━═\-])\1+"), r"\1"),
    (re.compile(r"\s+"), " "),
)


def normalise(line: str) -> str:
    for pattern, replacement in VOLATILE:
        line = pattern.sub(replacement, line)
    return line.strip()


def missing_lines(documented: str, actual: str) -> list[str]:
    """Documented lines not found, in order, among the actual ones."""
    have = [normalise(line) for line in actual.splitlines() if line.strip()]
    position = 0
    missing = []
    for line in documented.splitlines():
        wanted = normalise(line)
        if not wanted or wanted == "…":
            continue
        try:
            position = have.index(wanted, position) + 1
        except ValueError:
            missing.append(line)
    return missing


def transcript(text: str) -> list[tuple[str, str]]:
    """``$ command`` blocks as (command, documented output) pairs; a command goes on
    over further lines while a quote is open."""
    pairs: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].startswith("$ "):
            command = lines[index][2:]
            while not _complete(command):
                index += 1
                command += "\n" + lines[index]
            pairs.append((command, []))
        elif pairs:
            pairs[-1][1].append(lines[index])
        index += 1
    return [(command, "\n".join(output)) for command, output in pairs]


def _complete(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:
        return False
    return True


# --- running ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_clone(destination: Path) -> Path:
    """The repository's files as a clone would have them, and a virtual environment
    that ``make`` sees as installed (this checkout's, so no network is needed)."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, files):
        source = REPO_ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    venv = REPO_ROOT / ".venv"
    (destination / ".venv").mkdir()
    for entry in venv.iterdir():
        if not entry.name.startswith(".installed"):
            (destination / ".venv" / entry.name).symlink_to(entry)
    for stamp in (".installed", ".installed-test"):
        (destination / ".venv" / stamp).touch()
    return destination


@dataclass
class Walk:
    clone: Path
    env: dict[str, str]
    ports: dict[str, str]
    servers: list[subprocess.Popen[bytes]]

    def localise(self, text: str) -> str:
        for documented, port in self.ports.items():
            text = re.sub(rf"(?<=127\.0\.0\.1:){documented}\b", port, text)
            text = re.sub(rf"(--port|-p) {documented}\b", rf"\g<1> {port}", text)
        return text

    def run(self, script: str, activate: bool) -> subprocess.CompletedProcess[str]:
        script = self.localise(script)
        if activate:
            script = f"{ACTIVATE}\n{script}"
        return subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=self.clone, env=self.env, capture_output=True, text=True, timeout=600,
            check=False,
        )  # fmt: skip

    def start_server(self, script: str, documented_port: str) -> None:
        process = subprocess.Popen(
            ["bash", "-c", f"{ACTIVATE}\n{self.localise(script)}"],
            cwd=self.clone, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.servers.append(process)
        url = f"http://127.0.0.1:{self.ports[documented_port]}/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # it answers (a 404 for / is an answer)
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"nothing answered at {url} within 60 s")

    def stop_servers(self) -> None:
        for process in self.servers:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_every_command_block_of_the_readme_is_true(tmp_path: Path) -> None:
    blocks = parse(README.read_text(encoding="utf-8"))
    clone = fresh_clone(tmp_path / "filmcrawl")
    home = tmp_path / "home"
    home.mkdir()
    # A fresh shell: the system PATH only, a terminal 120 columns wide.
    # The clone's own code is what runs (as its editable install would have it).
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
           "COLUMNS": "120", "TMPDIR": str(tmp_path), "PYTHONPATH": str(clone)}  # fmt: skip
    walk = Walk(clone, env, {port: str(free_port()) for port in DOCUMENTED_PORTS}, [])
    problems: list[str] = []
    skipped: list[Block] = []
    last_output: str | None = None
    activated = False
    actual_log: list[str] = []
    try:
        for block in blocks:
            where = f"README.md:{block.line} ({block.section})"
            if block.directive == "skip":
                skipped.append(block)
                last_output = None
                continue
            if block.lang in ("cron", "ini"):
                continue
            if block.directive == "server":
                walk.start_server(block.text, block.argument)
                continue
            if block.lang == "sh":
                result = walk.run(block.text, activate=activated)
                activated = activated or ACTIVATE in block.text
                last_output = result.stdout + result.stderr
                actual_log.append(f"== {where}\n{last_output}")
                if result.returncode != 0:
                    problems.append(f"{where}: exit {result.returncode}\n{last_output[-2000:]}")
                continue
            if not block.text.startswith("$ "):
                # The output of the block before it.
                if last_output is not None:
                    lost = missing_lines(block.text, last_output)
                    if lost:
                        problems.append(f"{where}: output differs at {lost[:3]}")
                continue
            for command, documented in transcript(block.text):
                result = walk.run(command, activate=True)
                output = result.stdout + result.stderr
                actual_log.append(f"== {where} $ {command}\n{output}")
                expected = int(block.argument) if block.directive == "exit" else 0
                if result.returncode != expected:
                    problems.append(f"{where}: `{command}` exited {result.returncode}\n{output}")
                    continue
                if block.directive == "output-varies":
                    lost = missing_lines(documented.strip().splitlines()[-1], output)
                else:
                    lost = missing_lines(documented, output)
                if lost:
                    problems.append(f"{where}: `{command}` printed otherwise: {lost[:3]}")
    finally:
        walk.stop_servers()
        if os.environ.get("FILMCRAWL_README_ACTUAL"):
            Path(os.environ["FILMCRAWL_README_ACTUAL"]).write_text("\n".join(actual_log))
    assert not problems, "\n\n".join(problems)
    # The blocks left out are few, and each says why and where it is tested instead.
    reasons = {block.argument for block in skipped}
    assert len(reasons) <= MAX_SKIP_MARKERS, sorted(reasons)
    for block in skipped:
        assert len(block.argument) >= 30, f"README.md:{block.line} is skipped without a reason"
    assert len(skipped) < len(blocks) // 2


def test_the_quick_start_needs_nothing_on_path_but_the_system() -> None:
    # Issue 18, item 2: the commands after `make crawl` work as printed from a fresh
    # shell because the Quick start says to activate the environment, once.
    quick_start = next(b for b in parse(README.read_text(encoding="utf-8")) if b.lang == "sh")
    commands = [line.split("#")[0].strip() for line in quick_start.text.splitlines()]
    assert commands[:2] == ["make crawl", ACTIVATE]
    assert any(command.startswith("filmcrawl ") for command in commands[2:])


def test_the_walker_sees_a_difference() -> None:
    assert missing_lines("a 1 film", "a 1 film\nb") == []
    assert missing_lines("2 films", "1 film") == ["2 films"]
    assert missing_lines("run 1 at 2026-11-21T08:36:48Z", "run 1 at 2030-01-02T03:04:05Z") == []
    assert transcript('$ echo "a\nb"\na\nb') == [('echo "a\nb"', "a\nb")]
