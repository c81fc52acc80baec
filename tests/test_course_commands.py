"""The learner's workspace and JupyterLab: what `make workspace` and `make lab` promise."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from customering_course import layout, release

ROOT = Path(__file__).resolve().parents[1]


def _fake_release(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "release" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_workspace_adds_new_material_and_keeps_learners_edits(tmp_path):
    _fake_release(tmp_path, {"00-orientation/assignment-00.ipynb": "released v1", "00-orientation/00a.ipynb": "lesson"})
    added, kept = release.workspace(tmp_path)
    notebooks = {p.name for p in added if ".jupyter" not in p.parts}
    assert notebooks == {"assignment-00.ipynb", "00a.ipynb"} and kept == []
    assert (tmp_path / "workspace" / ".jupyter" / "labconfig" / "page_config.json").is_file()

    edited = tmp_path / "workspace" / "00-orientation" / "assignment-00.ipynb"
    edited.write_bytes(b"my answers \x00\xff")  # the learner's work, byte for byte
    settings = tmp_path / "workspace" / ".jupyter" / "jupyter_server_config.json"
    settings.write_text('{"ServerApp": {}}')  # the learner's own settings
    _fake_release(tmp_path, {"00-orientation/assignment-00.ipynb": "released v2", "01-individualization/01a.ipynb": "new"})
    added, kept = release.workspace(tmp_path)

    assert edited.read_bytes() == b"my answers \x00\xff"
    assert [p.relative_to(tmp_path / "workspace").as_posix() for p in added] == ["01-individualization/01a.ipynb"]
    assert settings.read_text() == '{"ServerApp": {}}'  # the learner's settings are theirs too
    assert edited in kept


def test_workspace_without_a_release_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="no released course yet; run 'make release' first"):
        release.workspace(tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_jupyterlab_serves_the_course(released, tmp_path):
    workspace = tmp_path / "workspace"
    release.workspace(ROOT, target=workspace)
    port, token = _free_port(), "course-test-token"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workspace}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    why = server.stderr.read().decode()[-2000:] if server.poll() is not None else "timed out"
                    pytest.fail(f"JupyterLab did not start: {why}")
                time.sleep(0.5)
        assert status == 200
        for module in layout.modules(ROOT):
            _, body = _get(f"{base}/api/contents/{module}?token={token}")
            names = {item["name"] for item in json.loads(body)["content"]}
            expected = {p.name for p in (ROOT / "release" / module).glob("*.ipynb")}
            assert expected and expected <= names, f"JupyterLab serves {sorted(names)}, expected {sorted(expected)}"
            notebook = sorted(expected)[0]
            _, body = _get(f"{base}/api/contents/{module}/{notebook}?token={token}")
            assert json.loads(body)["type"] == "notebook"
        status, page = _get(f"{base}/lab?token={token}")
        assert status == 200 and b"JupyterLab" in page
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
