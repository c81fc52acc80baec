"""Where a learner's code runs while it is graded.

Autograding executes code that learners wrote, so it runs in a sandbox of its own. Two
modes exist, and ``make grade`` says which one it is in:

- ``bubblewrap``: the kernel runs under `bubblewrap <https://github.com/containers/bubblewrap>`_
  (``bwrap``) in new user, process, network and IPC namespaces. Its file system holds only
  the operating system's programs and libraries, Python and the course's environment
  (read-only), the learner's package ``customering_utils`` and its data (read-only), a
  private ``/tmp`` and home folder, and a working folder with a copy of that one
  submission; nothing else is writable, and no capability is kept. The source
  notebooks, the gradebook, the release, every other learner's work and this tooling
  (``customering_course``, hidden under an empty folder even where it is installed beside
  the learner's package) do not exist in there, and the network is gone. Memory and file
  sizes are capped with ``prlimit``.
- ``workdir``: where bubblewrap is not installed (or cannot create namespaces), the kernel
  runs as the instructor's own user, in a fresh working folder that holds only the
  submission. Relative paths reach nothing else, but absolute paths do: use it only for
  submissions you trust, or install bubblewrap (``apt-get install bubblewrap``).

The kernel talks to the grader over Unix sockets in a private folder (``transport=ipc``),
so it needs no network at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict, List, Unicode

import customering_course
import customering_utils
from customering_utils.datasets import data_directory

#: The learner's package, which graded code imports; the tooling, which it must not see.
PACKAGE_DIR = Path(customering_utils.__file__).resolve().parent
TOOLING_DIR = Path(customering_course.__file__).resolve().parent
SANDBOX_HOME = "/home/learner"
MODES = ("bubblewrap", "workdir")

# Read-only system paths a Python kernel needs; missing ones are skipped (``--ro-bind-try``).
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/localtime",
                "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/fonts")


@dataclass(frozen=True)
class Limits:
    """Per-kernel resource caps (bytes). ``None`` means no cap."""

    memory: int | None = 6 * 1024**3
    file_size: int | None = 256 * 1024**2


def bubblewrap_problem() -> str | None:
    """Why bubblewrap cannot be used here, or ``None`` when it works.

    The check really starts a sandbox with the namespaces grading uses, so a ``bwrap`` that
    is installed but not allowed to create namespaces (some containers) is reported too.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap"
    probe = [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--", "/bin/true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap did not start: {error}"
    if done.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {done.stderr.strip() or done.returncode}"
    return None


def choose_mode(requested: str = "auto") -> tuple[str, str]:
    """The sandbox mode to grade in, and a sentence saying why.

    ``requested`` is ``"auto"`` (bubblewrap when it works, else the working folder),
    ``"bubblewrap"`` (fail when it does not work) or ``"workdir"``.

    >>> choose_mode("workdir")[0]
    'workdir'
    """
    if requested not in ("auto", *MODES):
        raise ValueError(f"sandbox must be one of auto, {', '.join(MODES)}; got {requested!r}")
    if requested == "workdir":
        return "workdir", "asked for: learner code runs as this user in a working folder of its own"
    problem = bubblewrap_problem()
    if problem is None:
        return "bubblewrap", "learner code runs in a bubblewrap sandbox: no course files, no network"
    if requested == "bubblewrap":
        raise RuntimeError(f"sandbox 'bubblewrap' was asked for, but {problem}")
    return "workdir", (f"{problem}. Learner code runs as this user in a working folder of its "
                       "own, and absolute paths still reach your files")


def bubblewrap_command(kernel_cmd: list[str], workdir: Path, socket_dir: Path, readable: list[Path],
                       limits: Limits = Limits(), hidden: list[Path] = ()) -> list[str]:
    """Wrap a kernel's command line so that it runs inside the sandbox.

    ``workdir`` is mounted read-write as ``/home/learner/work`` (the kernel's working
    folder), ``socket_dir`` (connection file and sockets) read-write at its own path, each
    of ``readable`` read-only at its own path, and an empty folder over each of ``hidden``.

    >>> cmd = bubblewrap_command(["python", "-m", "ipykernel_launcher"], Path("/w"), Path("/s"), [])
    >>> cmd[cmd.index("--chdir") + 1], cmd[-3:]
    ('/home/learner/work', ['python', '-m', 'ipykernel_launcher'])
    """
    bwrap = shutil.which("bwrap") or "bwrap"
    cmd: list[str] = []
    caps = [f"--as={limits.memory}"] if limits.memory else []
    caps += [f"--fsize={limits.file_size}"] if limits.file_size else []
    prlimit = shutil.which("prlimit")
    if caps and prlimit:
        cmd += [prlimit, *caps, "--"]
    # --new-session is left out on purpose: jupyter_client interrupts a kernel by signalling
    # its process group, and a new session would put the kernel out of reach of Ctrl-C.
    # No capabilities, even where the grader runs as root: learner code must not mount,
    # trace other processes or read their memory.
    cmd += [bwrap, "--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--clearenv",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/home"]
    for path in SYSTEM_PATHS:
        cmd += ["--ro-bind-try", path, path]
    for path in dict.fromkeys(str(p) for p in readable):
        cmd += ["--ro-bind", path, path]
    for path in dict.fromkeys(str(p) for p in hidden):
        cmd += ["--tmpfs", path, "--remount-ro", path]
    cmd += ["--bind", str(socket_dir), str(socket_dir),
            "--bind", str(workdir), f"{SANDBOX_HOME}/work", "--chdir", f"{SANDBOX_HOME}/work"]
    # The folders bubblewrap made as mount points sit on a writable root; only /tmp, /home,
    # /dev and the two folders above stay writable.
    cmd += ["--remount-ro", "/"]
    for name, value in kernel_environment(SANDBOX_HOME).items():
        cmd += ["--setenv", name, value]
    return cmd + ["--", *kernel_cmd]


def kernel_environment(home: str) -> dict[str, str]:
    """Environment variables of a grading kernel.

    One BLAS thread per kernel: the grader already runs one kernel per core.
    """
    return {
        "HOME": home,
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        # The kernel finds the course's data where the grader does, whatever its install.
        "CUSTOMERING_DATA": str(data_directory()),
    }


def readable_paths() -> list[Path]:
    """What a sandboxed kernel may read: Python, the environment, the learner's package and its data."""
    paths = [Path(sys.base_prefix), Path(sys.prefix), PACKAGE_DIR, data_directory()]
    purelib = Path(sysconfig.get_paths()["purelib"])
    if not purelib.is_relative_to(Path(sys.prefix)):
        paths.append(purelib)
    return [p.resolve() for p in paths if p.exists()]


def hidden_paths() -> list[Path]:
    """What must not be seen inside the sandbox although a readable path holds it: this tooling.

    In a source checkout the tooling sits outside every readable path already; installed
    into an environment (a JupyterHub image, say), it sits beside the learner's package.
    """
    readable = readable_paths()
    return [TOOLING_DIR] if any(TOOLING_DIR.is_relative_to(p) for p in readable) else []


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start inside the grading sandbox.

    Its kernels listen on Unix sockets in ``socket_dir`` rather than on TCP ports, so they
    work in a sandbox without a network.
    """

    mode = Unicode("workdir", help="'bubblewrap' or 'workdir'").tag(config=True)
    workdir = Unicode(help="the kernel's working folder, a copy of one submission").tag(config=True)
    socket_dir = Unicode(help="private folder for the connection file and sockets").tag(config=True)
    readable = List(Unicode(), help="paths the kernel may read (bubblewrap mode)").tag(config=True)
    hidden = List(Unicode(), help="paths inside readable ones that the kernel must not see").tag(config=True)
    caps = Dict(help="'memory' and 'file_size' caps in bytes").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = os.path.join(self.socket_dir, "kernel")
        self.connection_file = os.path.join(self.socket_dir, "connection.json")

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            # Interrupt by a message on the control channel: a signal from outside cannot
            # reach a process inside bubblewrap's PID namespace.
            spec.interrupt_mode = "message"
        return spec

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.mode != "bubblewrap":
            return cmd
        return bubblewrap_command(cmd, Path(self.workdir), Path(self.socket_dir),
                                  [Path(p) for p in self.readable], Limits(**self.caps),
                                  [Path(p) for p in self.hidden])

    async def _async_pre_start_kernel(self, **kw):
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self.mode == "bubblewrap":
            kw["env"] = {}  # bwrap --clearenv; the kernel's variables are set on its command line
        else:
            kw["env"] = {**kw.get("env", os.environ), **kernel_environment(os.environ.get("HOME", "/tmp"))}
            kw["env"]["HOME"] = os.environ.get("HOME", self.workdir)
        kw["cwd"] = self.workdir
        # What a learner's code writes to the process's own stdout and stderr is not output
        # of a cell; it must not reach the instructor's terminal. stderr is kept for errors.
        kw["stdout"] = subprocess.DEVNULL
        kw["stderr"] = open(os.path.join(self.socket_dir, "kernel-stderr.txt"), "wb")  # noqa: SIM115
        return cmd, kw
