"""A small process supervisor for one machine: web server, task worker and scheduler, each restarted if it dies.

Production machines may use systemd instead (docs/DEPLOY.md); this is what `make run` / `khuang serve` uses.
"""

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

log = logging.getLogger("khuang.supervisor")
BACKOFF_MAX = 30.0
STABLE_AFTER = 60.0  # seconds up after which a crash counts as new (backoff starts again at 1 s)
STOP_GRACE = 20.0


def pid_file() -> Path:
    return Path(settings.VAR_DIR) / "run" / "khuang-serve.pid"


def running_supervisor() -> int | None:
    """The pid of a `khuang serve` running on this machine for this var/ directory, if any."""
    try:
        pid = int(pid_file().read_text().strip())
        os.kill(pid, 0)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"serve" in cmdline else None


def _die_with_parent() -> None:
    """Runs in the child before exec: its own process group, and SIGTERM when the supervisor dies."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Program:
    """One supervised command."""

    name: str
    argv: list[str]
    proc: subprocess.Popen | None = None
    started: float = 0.0
    backoff: float = 1.0
    restarts: int = 0
    next_start: float = 0.0
    env: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, env={**os.environ, **self.env}, preexec_fn=_die_with_parent)
        self.started = time.monotonic()
        log.info("started %s (pid %s): %s", self.name, self.proc.pid, " ".join(self.argv))

    def signal(self, sig: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass


class Supervisor:
    """Starts the programs, restarts any that exits (with backoff), and stops them all on SIGTERM/SIGINT."""

    def __init__(self, programs: list[Program]):
        self.programs = programs
        self.stopping = False

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGHUP, self._on_signal)
        pf = pid_file()
        pf.parent.mkdir(parents=True, exist_ok=True)
        pf.write_text(str(os.getpid()))
        try:
            for p in self.programs:
                p.start()
            while not self.stopping:
                now = time.monotonic()
                for p in self.programs:
                    if p.proc is not None:
                        code = p.proc.poll()
                        if code is None or self.stopping:
                            continue
                        uptime = now - p.started
                        if uptime > STABLE_AFTER:
                            p.backoff = 1.0
                        log.warning("%s (pid %s) exited with %s after %.0f s; restarting in %.0f s",
                                    p.name, p.proc.pid, code, uptime, p.backoff)
                        p.proc = None
                        p.next_start = now + p.backoff
                        p.backoff = min(p.backoff * 2, BACKOFF_MAX)
                    elif now >= p.next_start:
                        p.restarts += 1
                        p.start()
                time.sleep(0.2)
        finally:
            self._stop_all()
            try:
                if pf.read_text().strip() == str(os.getpid()):
                    pf.unlink()
            except OSError:
                pass
        return 0

    def _stop_all(self) -> None:
        for p in self.programs:
            p.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for p in self.programs:
            if p.proc is None:
                continue
            try:
                p.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in %.0f s; killing it", p.name, STOP_GRACE)
                p.signal(signal.SIGKILL)
                p.proc.wait()


def manage(*args: str) -> list[str]:
    """argv for a `khuang` command run by this interpreter (works installed as well as from a checkout)."""
    return [sys.executable, "-m", "khuang.cli", *args]


def web_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn serving config.wsgi: threaded workers, a deep listen backlog, our request log instead of its own."""
    return [sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread", "--backlog", "2048", "--timeout", "120", "--graceful-timeout", "20",
            "--keep-alive", "75", "--max-requests", "5000", "--max-requests-jitter", "500",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "--chdir", str(settings.BASE_DIR), "--worker-tmp-dir", "/dev/shm" if Path("/dev/shm").is_dir() else "/tmp"]
