"""Start a group of server processes the way an operator does, find every process they start,
signal them, and make sure none is left behind (even when a test fails half-way)."""
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time) for every live process (start time tells a reused pid apart)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            table[int(entry.name)] = (int(fields[1]), fields[19])
    return table


def descendants(root: int) -> dict[int, str]:
    """Every live process under `root` (honcho's children run in sessions of their own, so the
    parent links are followed, not the process group)."""
    table = process_table()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def still_running(processes: dict[int, str]) -> list[int]:
    table = process_table()
    return [pid for pid, started in processes.items() if pid in table and table[pid][1] == started]


class ProcessGroup:
    """A command in a session of its own, its output in a file; `seen` collects every descendant."""

    def __init__(self, command: list[str], env: dict, cwd: Path, log_path: Path):
        self.log_path = log_path
        self.seen: dict[int, str] = {}
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until(self, predicate, what: str, timeout: float = 90.0) -> None:
        """Wait for a readiness condition (a guard against hanging, not a speed claim)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.seen |= descendants(self.process.pid)
            if predicate():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"exited with {self.process.returncode} before {what}:\n{self.output()[-3000:]}")
            time.sleep(0.25)
        raise AssertionError(f"not {what} within {timeout} s:\n{self.output()[-3000:]}")

    def signal_and_wait(self, signum: int, to_group: bool = True, timeout: float = 30.0) -> tuple[int, str]:
        """Send the signal (to the whole foreground group, as a terminal's Ctrl-C does); return the
        exit code and what was printed after the signal."""
        self.seen |= descendants(self.process.pid)
        printed_before = self.log_path.stat().st_size
        if to_group:
            os.killpg(self.process.pid, signum)
        else:
            os.kill(self.process.pid, signum)
        code = self.process.wait(timeout=timeout)
        with self.log_path.open("rb") as log:
            log.seek(printed_before)
            return code, log.read().decode(errors="replace")

    def clean_up(self) -> None:
        """SIGKILL whatever is left: the group, and every descendant (in its own session or not)."""
        if self.process.poll() is None:
            self.seen |= descendants(self.process.pid)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for pid in still_running(self.seen):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
