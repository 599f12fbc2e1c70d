"""A real Label Studio server for the tests: its own virtualenv (.venv-ls), a temporary data dir, loopback only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BINARY = REPO / ".venv-ls" / "bin" / "label-studio"
QUIET = {
    "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
    "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
}


def free_port() -> int:
    """A port nothing listens on now (Label Studio silently moves to the next port if its own is taken)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "HOST", "USERNAME", "PASSWORD")}
    env.update(QUIET)
    return env


@dataclass
class LabelStudioServer:
    """One server process; ``stop`` and ``start`` keep its data dir."""

    data_dir: Path
    port: int
    username: str
    password: str
    token: str
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180.0) -> None:
        """Start and wait until /health answers on our port."""
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - kept open for the process's life
        self.process = subprocess.Popen(
            [str(BINARY), "start", "-b", "--data-dir", str(self.data_dir), "--internal-host", "127.0.0.1",
             "-p", str(self.port), "--username", self.username, "--password", self.password,
             "--user-token", self.token, "--enable-legacy-api-token"],
            stdout=log, stderr=subprocess.STDOUT, env=_env(), start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Label Studio exited early: {(self.data_dir / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError("Label Studio did not answer /health in time")

    def stop(self) -> None:
        """Stop the server by its process group."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def add_user(self, username: str, password: str, token: str) -> None:
        """Another account (an annotator), through ``label-studio init`` on the same data dir."""
        subprocess.run([str(BINARY), "init", "-q", "--data-dir", str(self.data_dir), "--username", username,
                        "--password", password, "--user-token", token, "--enable-legacy-api-token"],
                       check=True, capture_output=True, env=_env(), timeout=120)
