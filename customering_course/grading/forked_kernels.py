"""Kernels forked from a warm zygote, one per submission, in the same sandbox as a fresh kernel.

A grading worker keeps one :class:`KernelZygote`: a process started in the sandbox of
:mod:`customering_course.sandbox` (bubblewrap, or the working folder) that has imported
ipykernel, numpy, pandas, matplotlib and the learner's package before any submission is
known (:mod:`~customering_course.grading.kernel_zygote`). For each submission,
:meth:`KernelZygote.kernel_folders` empties the zygote's working folder, writes that one
submission there, and afterwards has the zygote end every process and empty every
writable folder the learner could reach. The kernel itself is started by jupyter_client
through :class:`ForkedKernelProvisioner`, which asks the zygote to fork it: nbclient and
nbgrader talk to it as to any kernel.

Per submission this saves the interpreter's start and the imports, well over a second of
CPU on assignment 00, and each kernel still serves exactly one learner.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import queue
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Type

from customering_course import sandbox

#: The zygote's program, sent as text: the sandbox cannot see this package.
ZYGOTE_SOURCE = (Path(__file__).with_name("kernel_zygote.py")).read_text(encoding="utf-8")
#: Imported by the zygote besides the modules the integrity probe watches: what a graded
#: notebook imports, and what ipykernel imports while a kernel starts (its debugger, with
#: debugpy, is most of that). None of them starts a thread, so forking stays safe.
WARM_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython",
                "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect",
                "IPython.extensions.storemagic", "tornado.ioloop", "sqlite3", "psutil", "pdb", "pydoc",
                "numpy", "pandas", "matplotlib", "matplotlib.pyplot")
#: Called by the zygote once its modules are imported: the data world, parsed once for all
#: the worker's kernels (each kernel's loads return new tables of their own).
WARM_CALLS = ("customering_utils.datasets:load_world",)
#: Seconds to wait for the zygote's answer; a zygote that does not answer is replaced.
ANSWER_TIMEOUT = 60.0
#: Seconds a client waits for a new kernel's greeting before asking the usual way.
WELCOME_TIMEOUT = 10.0
#: Seconds for a new zygote to import everything and say it is ready.
START_TIMEOUT = 180.0


class ZygoteError(RuntimeError):
    """The zygote died, did not answer or refused a request."""


@dataclass(frozen=True)
class KernelFolders:
    """Where one submission's kernel works and talks to the grader."""

    workdir: Path  #: the submission's copy, as the grader sees it
    sockets: Path  #: connection file, sockets and the kernel's stderr
    kernel_cwd: str  #: the working folder as the kernel sees it


class KernelZygote:
    """One warm zygote process of a grading worker, in the sandbox ``mode``."""

    def __init__(self, mode: str, caps: dict[str, int | None], modules: tuple[str, ...]) -> None:
        self.mode, self.caps, self.modules = mode, caps, modules
        # Short names: the kernels' Unix sockets live in here, and a socket's path is at most 107 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="cz-"))
        self.work, self.kernels = self.folder / "w", self.folder / "k"
        self.process: subprocess.Popen | None = None
        self._numbers = count(1)
        self._kernel_pids: list[int] = []  # in workdir mode, the machine's own process ids
        self.answer_timeout = ANSWER_TIMEOUT
        self._selector: selectors.BaseSelector | None = None

    # -- the process -------------------------------------------------------------------

    def _command(self) -> list[str]:
        settings = json.dumps({"sandboxed": self.mode == "bubblewrap", "folder": str(self.folder),
                               "modules": list(dict.fromkeys(WARM_MODULES + self.modules)),
                               "calls": list(WARM_CALLS)})
        cmd = [sys.executable, "-c", ZYGOTE_SOURCE, settings]
        if self.mode != "bubblewrap":
            return cmd
        return sandbox.bubblewrap_command(cmd, self.work, self.kernels, sandbox.readable_paths(),
                                          sandbox.Limits(**self.caps), sandbox.hidden_paths())

    def start(self) -> None:
        """Start the zygote and wait until it has imported everything."""
        self.close()
        for folder in (self.work, self.kernels):
            folder.mkdir(parents=True, exist_ok=True)
        if self.mode == "bubblewrap":
            env: dict[str, str] = {}  # bwrap --clearenv; the variables are on its command line
        else:
            env = {**os.environ, **sandbox.kernel_environment(os.environ.get("HOME", str(self.work)))}
        with open(self.folder / "zygote-stderr.txt", "ab") as stderr:
            self.process = subprocess.Popen(self._command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=stderr, cwd=self.work, env=env, start_new_session=True)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)
        self._answer(START_TIMEOUT)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def close(self) -> None:
        """End the zygote and every kernel it forked: closing its pipe tells it to; a kill makes sure."""
        process, self.process = self.process, None
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()
        if self.mode != "bubblewrap":
            _kill_orphans(self._kernel_pids, str(self.folder))
        self._kernel_pids.clear()

    def remove(self) -> None:
        """Close the zygote and delete its folders."""
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- requests ----------------------------------------------------------------------

    def _answer(self, timeout: float) -> dict[str, Any]:
        assert self.process is not None and self._selector is not None
        if not self._selector.select(timeout):
            self.close()
            raise ZygoteError(f"the kernel zygote did not answer within {timeout:.0f} s")
        line = self.process.stdout.readline()
        if not line:
            tail = self._stderr_tail()
            self.close()
            raise ZygoteError("the kernel zygote stopped" + (f" ({tail})" if tail else ""))
        answer = json.loads(line)
        if "error" in answer:
            raise ZygoteError(f"the kernel zygote could not do it: {answer['error']}")
        return answer

    def _stderr_tail(self) -> str:
        path = self.folder / "zygote-stderr.txt"
        lines = path.read_text(errors="replace").strip().splitlines()[-3:] if path.exists() else []
        return " | ".join(lines)

    def request(self, op: str, **arguments: Any) -> dict[str, Any]:
        """Send one request and return the zygote's answer."""
        if not self.alive:
            raise ZygoteError("the kernel zygote is not running")
        try:
            self.process.stdin.write((json.dumps({"op": op, **arguments}) + "\n").encode())
            self.process.stdin.flush()
        except OSError as error:
            self.close()
            raise ZygoteError(f"the kernel zygote stopped ({error})") from error
        answer = self._answer(self.answer_timeout)
        if op == "start":
            self._kernel_pids.append(answer["pid"])
        return answer

    # -- one submission ------------------------------------------------------------------

    @contextlib.contextmanager
    def kernel_folders(self, files: dict[str, bytes]) -> Iterator[KernelFolders]:
        """The zygote's working folder holding ``files`` and nothing else; afterwards, nothing of them anywhere.

        The zygote is started (again) when it is not running. Whatever happens in between,
        the learner's processes are ended and their files removed before this returns."""
        if not self.alive:
            self.start()
        _empty(self.work)
        for name, content in files.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        sockets = self.kernels / str(next(self._numbers))
        sockets.mkdir()
        cwd = f"{sandbox.SANDBOX_HOME}/work" if self.mode == "bubblewrap" else str(self.work)
        try:
            yield KernelFolders(self.work, sockets, cwd)
        finally:
            try:
                self.request("reset")
            except ZygoteError:
                self.close()  # a zygote that cannot clean up is replaced, with its whole sandbox
            _empty(self.kernels)
            _empty(self.work)


def _kill_orphans(pids: list[int], marker: str) -> None:
    """Kill the process groups of kernels that outlived their zygote (killed by a learner, in workdir mode).

    A forked kernel keeps the zygote's command line, which names the zygote's folder: a
    process id that has since gone to another program is left alone."""
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if marker.encode() not in cmdline.read():
                    continue
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            continue


def _empty(folder: Path) -> None:
    """Remove what is inside ``folder`` (a folder of the zygote's own), keeping the folder."""
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


_zygotes: dict[tuple, KernelZygote] = {}


def worker_zygote(mode: str, caps: dict[str, int | None], modules: tuple[str, ...]) -> KernelZygote:
    """This process's zygote for ``mode`` and ``caps``: made once, ended when the process ends."""
    key = (mode, tuple(sorted(caps.items())), modules)
    if key not in _zygotes:
        if not _zygotes:
            atexit.register(close_zygotes)
        _zygotes[key] = KernelZygote(mode, caps, modules)
    return _zygotes[key]


def close_zygotes() -> None:
    """End this process's zygotes and their kernels, and remove their folders."""
    while _zygotes:
        _zygotes.popitem()[1].remove()


class ForkedKernelProvisioner(LocalProvisioner):
    """Starts a kernel by asking the worker's zygote to fork it; stops and watches it the same way.

    The kernel manager's connection file and command line are made as for any local
    kernel; only the process is the zygote's child instead of a new interpreter.
    """

    zygote: KernelZygote | None = None
    kernel_cwd: str = ""

    @property
    def has_process(self) -> bool:
        return self.pid is not None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if "ipykernel_launcher" not in cmd:
            raise ZygoteError(f"a forked kernel runs ipykernel_launcher; this kernel's command is {cmd}")
        argv = cmd[cmd.index("ipykernel_launcher") + 1:]
        stderr = str(Path(self.parent.socket_dir) / "kernel-stderr.txt")
        self.pid = self.zygote.request("start", argv=argv, cwd=self.kernel_cwd, stderr=stderr)["pid"]
        self.pgid = self.pid
        self.cwd = self.kernel_cwd
        return self.connection_info

    async def poll(self) -> int | None:
        if self.pid is None:
            return 0
        try:
            return self.zygote.request("poll", pid=self.pid)["returncode"]
        except ZygoteError:
            return -signal.SIGKILL  # the zygote is gone, and its sandbox with this kernel

    async def wait(self) -> int | None:
        while (status := await self.poll()) is None:
            await asyncio.sleep(0.05)
        self.pid = None
        return status

    async def send_signal(self, signum: int) -> None:
        if self.pid is not None:
            with contextlib.suppress(ZygoteError):
                self.zygote.request("signal", pid=self.pid, signum=int(signum))

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)


class ForkedKernelClient(AsyncKernelClient):
    """A client that knows a forked kernel is ready as soon as it says so.

    jupyter_client's ``wait_for_ready`` asks with ``kernel_info``, waits 0.2 s for the
    kernel's status on IOPub (a kernel this quick can publish it before the client's
    subscription arrives, and then the question is asked again), and finally waits until
    IOPub has been quiet for 0.2 s. ipykernel greets each new IOPub subscriber
    (``iopub_welcome``): after the greeting nothing the kernel publishes is lost, so the
    client asks once and is done when the kernel is idle again. That saves about 0.3 s
    of each submission. A kernel that does not greet is asked the usual way.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + min(timeout or WELCOME_TIMEOUT, WELCOME_TIMEOUT)
        if await self._next(self.iopub_channel, deadline, lambda m: m["msg_type"] == "iopub_welcome") is None:
            return await super()._async_wait_for_ready(timeout=timeout)
        asked = self.kernel_info()
        reply = await self._next(self.shell_channel, deadline, lambda m: m["parent_header"].get("msg_id") == asked)
        idle = await self._next(self.iopub_channel, deadline,
                                lambda m: m["parent_header"].get("msg_id") == asked and m["msg_type"] == "status"
                                and m["content"]["execution_state"] == "idle")
        if reply is None or idle is None:
            return await super()._async_wait_for_ready(timeout=timeout)
        self._handle_kernel_info_reply(reply)

    @staticmethod
    async def _next(channel: Any, deadline: float, wanted: Any) -> dict[str, Any] | None:
        """The next message on ``channel`` that is ``wanted``, or None at the deadline."""
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await channel.get_msg(timeout=left)
            except queue.Empty:
                return None
            if wanted(msg):
                return msg
        return None


class ForkedKernelManager(sandbox.SandboxedKernelManager):
    """A :class:`~customering_course.sandbox.SandboxedKernelManager` whose kernel the zygote forks.

    The zygote is in the sandbox already, so the kernel's command line is not wrapped
    again; the connection file and sockets are in ``folders.sockets`` as for a fresh kernel.
    """

    client_factory = Type(ForkedKernelClient)

    def __init__(self, zygote: KernelZygote, folders: KernelFolders, **kwargs: Any) -> None:
        super().__init__(mode=zygote.mode, workdir=str(folders.workdir), socket_dir=str(folders.sockets), **kwargs)
        self._zygote, self._kernel_cwd = zygote, folders.kernel_cwd

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return AsyncKernelManager.format_kernel_cmd(self, extra_arguments)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or str(uuid.uuid4())
            provisioner = ForkedKernelProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            provisioner.zygote, provisioner.kernel_cwd = self._zygote, self._kernel_cwd
            self.provisioner = provisioner
        # The sandbox's own start-up (a new process's environment and output files) is the zygote's.
        return await AsyncKernelManager._async_pre_start_kernel(self, **kw)
