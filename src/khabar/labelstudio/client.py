"""A thin layer over the Label Studio SDK: connect, find or create a round's project, import, export.

The API token comes from ``LABEL_STUDIO_API_KEY`` (or a flag) and is never written to a file, a log or an error
message: every error raised here is rebuilt from the status code and the URL, never from the request.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from khabar.errors import KhabarError
from khabar.extras import require

DEFAULT_URL = "http://127.0.0.1:8080"
T = TypeVar("T")


class LabelStudioError(KhabarError):
    """Label Studio could not be reached, refused the token, or failed a request."""

    exit_code = 3


@dataclass(frozen=True)
class Server:
    """Where Label Studio is and how to authenticate (repr hides the token)."""

    url: str
    token: str

    def __repr__(self) -> str:
        return f"Server(url={self.url!r}, token=<hidden>)"


def server_from_env(url: str | None = None, token: str | None = None) -> Server:
    """Server from flags, else LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY."""
    tok = token or os.environ.get("LABEL_STUDIO_API_KEY")
    if not tok:
        raise LabelStudioError(["no Label Studio API token: set LABEL_STUDIO_API_KEY (or pass --token)"])
    return Server((url or os.environ.get("LABEL_STUDIO_URL") or DEFAULT_URL).rstrip("/"), tok)


def _scrub(message: str, token: str) -> str:
    return message.replace(token, "<token>") if token else message


def call(server: Server, what: str, fn: Callable[[], T]) -> T:
    """Run one SDK call, turning its failures into one-line errors that never contain the token."""
    ApiError = require("label_studio_sdk.core.api_error", "labelstudio", "Label Studio rounds").ApiError

    try:
        return fn()
    except ApiError as e:
        if e.status_code in (401, 403):
            raise LabelStudioError([f"Label Studio at {server.url} rejected the API token (HTTP {e.status_code}) "
                                    f"while trying to {what}: check LABEL_STUDIO_API_KEY"]) from None
        body = _scrub(str(e.body)[:200], server.token)
        raise LabelStudioError([f"Label Studio at {server.url} failed to {what} (HTTP {e.status_code}): {body}"]
                               ) from None
    except Exception as e:  # httpx transport errors and the like: name the failure, not the request
        if isinstance(e, KhabarError):
            raise
        raise LabelStudioError([f"cannot reach Label Studio at {server.url} to {what}: {type(e).__name__}"]) from None


def connect(server: Server) -> Any:
    """An SDK client, checked with one authenticated request."""
    LabelStudio = require("label_studio_sdk", "labelstudio", "Label Studio rounds").LabelStudio

    client = LabelStudio(base_url=server.url, api_key=server.token, timeout=60)
    call(server, "identify the user", client.users.whoami)
    return client


def ensure_project(server: Server, client: Any, title: str, config: str, project_id: int | None) -> int:
    """The id of the round's project: the recorded one if it still exists, else one with that title, else new."""
    if project_id is not None:
        try:
            call(server, "read the round's project", lambda: client.projects.get(id=project_id))
            return project_id
        except LabelStudioError:
            pass
    for p in call(server, "list projects", lambda: list(client.projects.list())):
        if p.title == title:
            return int(p.id)
    created = call(server, "create the round's project",
                   lambda: client.projects.create(title=title, label_config=config, maximum_annotations=10))
    return int(created.id)


def existing_article_ids(server: Server, client: Any, project: int) -> dict[str, int]:
    """article id -> task id of the tasks already in the project (what makes push idempotent)."""
    tasks = call(server, "list the project's tasks", lambda: list(client.tasks.list(project=project)))
    return {str(t.data.get("article_id")): int(t.id) for t in tasks}


def import_tasks(server: Server, client: Any, project: int, tasks: Iterable[Mapping[str, Any]]) -> int:
    """Import tasks (with their predictions); the number imported."""
    payload = list(tasks)
    if payload:
        call(server, "import tasks", lambda: client.projects.import_tasks(id=project, request=payload))
    return len(payload)


def export_snapshot(server: Server, client: Any, project: int, timeout: float = 120.0) -> bytes:
    """The project's full JSON export via a snapshot (annotators as full records, relations and per-region
    values kept; JSON_MIN and the open-source ``as_json`` lose them)."""
    opts = {"annotations_completed_by": {"only_id": False}, "predictions": {"only_id": False},
            "drafts": {"only_id": True}}
    exp = call(server, "create an export", lambda: client.projects.exports.create(
        id=project, title="khabar pull", serialization_options=opts))
    deadline = time.monotonic() + timeout
    while True:
        got = call(server, "check the export", lambda: client.projects.exports.get(id=project, export_pk=exp.id))
        if got.status == "completed":
            break
        if got.status == "failed" or time.monotonic() > deadline:
            raise LabelStudioError([f"Label Studio at {server.url}: export {exp.id} {got.status or 'timed out'}"])
        time.sleep(0.5)
    return call(server, "download the export", lambda: b"".join(
        client.projects.exports.download(id=project, export_pk=exp.id, export_type="JSON")))
