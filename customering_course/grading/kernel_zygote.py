"""The kernel zygote: a Python process that has imported the course's heavy modules, and forks kernels.

A fresh kernel spends most of its life, on a short graded notebook, starting Python and
importing ipykernel, numpy, pandas, matplotlib and the course package. This program does
that once per grading worker, before any submission is known, and then forks one kernel
per submission: each kernel starts with those modules already in memory and exits when its
notebook is done. The zygote itself never runs a learner's code.

It is a standalone program, run as ``python -c SOURCE ARGUMENTS`` (inside the bubblewrap
sandbox the tooling is hidden, so it cannot be imported from there), and it talks to its
worker over its standard input and output, one JSON object per line:

- ``{"op": "start", "argv": [...], "cwd": ..., "stderr": ...}`` forks a kernel that runs
  ``ipykernel_launcher`` with ``argv`` in ``cwd``; the answer is its ``pid``;
- ``{"op": "poll", "pid": ...}``: its exit status, or ``null`` while it runs;
- ``{"op": "signal", "pid": ..., "signum": ...}`` signals the kernel's process group;
- ``{"op": "reset"}`` ends everything the last learner left behind (see :func:`reset`).

Between two learners, :func:`reset` kills every process the last one started and empties
every writable folder. In the sandbox the zygote is alone in its PID namespace with
bubblewrap's init, so ``kill(-1)`` reaches exactly the learner's processes; it also
removes System V IPC objects, which live as long as the namespace. In workdir mode it
kills each kernel's process group, as jupyter_client does for a fresh kernel.

The zygote cannot be read or traced by the kernels it forks (``PR_SET_DUMPABLE`` is 0), and
a kernel closes the zygote's pipes as its first act, so it cannot speak for the zygote.
A kernel that kills or stops the zygote ends only its own grading: its worker starts a new
zygote for the next learner.
"""

import contextlib
import importlib
import json
import os
import shutil
import signal
import sys
import time

#: Folders a learner's code can write in the sandbox: emptied between two learners.
SANDBOX_WRITABLE = ("/tmp", "/home", "/dev/shm")


def warm(modules, calls):
    """Import what every graded notebook imports, and call what it calls first (``module:function``,
    without arguments), so that each forked kernel has it already."""
    import threading

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # a module that cannot be imported is the notebook's problem
            print(f"zygote: could not import {name}: {error}", file=sys.stderr, flush=True)
    for call in calls:
        module, _, function = call.partition(":")
        try:
            getattr(importlib.import_module(module), function)()
        except Exception as error:
            print(f"zygote: could not call {call}: {error}", file=sys.stderr, flush=True)
    if threading.active_count() > 1:  # a fork copies only the forking thread: refuse to fork half a process
        sys.exit(f"zygote: importing started {threading.active_count() - 1} thread(s); kernels cannot be forked")


def fork_kernel(argv, cwd, stderr, pipes):
    """Fork a kernel: in the child, run ipykernel with ``argv`` and never return."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for fd in pipes:
            os.close(fd)
        os.setsid()  # a process group of its own, which ``signal`` and ``reset`` can end as a whole
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        err = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(err, 2)
        os.closerange(3, 1 << 16)  # nothing of the zygote's stays open in the learner's kernel
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(cwd)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the process's own descriptors
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        # A fresh interpreter draws new random seeds; a forked one would repeat the zygote's.
        import random

        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        import importlib.util

        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *argv]
        sys.path[0] = cwd  # what ``python -m ipykernel_launcher`` puts first
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance()
        status = 0
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(status)  # the zygote's own exit handlers are not the kernel's


def await_exit(kernels, pid, seconds=1.0):
    """Wait a moment for a killed kernel to be gone, so that the grader's first look finds it dead."""
    deadline = time.monotonic() + seconds
    while kernels.get(pid, 0) is None and time.monotonic() < deadline:
        reap(kernels)
        time.sleep(0.001)


def processes_in_namespace():
    """Process ids the zygote can see, other than bubblewrap's init and itself."""
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in (1, os.getpid())]


def kill_everything_else(kernels):
    """Kill every process but the zygote: in the sandbox, its whole PID namespace; else each kernel's group."""
    if SANDBOXED:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(-1, signal.SIGKILL)  # every process of the namespace but init and this one
            reap(kernels)
            alive = [pid for pid in processes_in_namespace() if not _zombie(pid)]
            if not alive:
                return
            time.sleep(0.01)
        raise RuntimeError(f"processes {alive} survived being killed")
    for pid in list(kernels):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    reap(kernels)


def _zombie(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def reap(kernels):
    """Collect every exited child; keep the exit status of the kernels."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid in kernels:
            kernels[pid] = os.waitstatus_to_exitcode(status)


def empty(folder):
    """Remove everything inside ``folder``, but not the folder, nor anything mounted there."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if os.path.ismount(entry.path):
            empty(entry.path)
        elif entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def remove_ipc_objects():
    """Remove the System V shared memory, semaphores and message queues of the sandbox's IPC namespace."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    ipc_rmid = 0
    for kind, remove in (("shm", lambda i: libc.shmctl(i, ipc_rmid, None)),
                         ("sem", lambda i: libc.semctl(i, 0, ipc_rmid)),
                         ("msg", lambda i: libc.msgctl(i, ipc_rmid, None))):
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                ids = [int(line.split()[1]) for line in table.readlines()[1:] if line.strip()]
        except OSError:
            continue
        for ipc_id in ids:
            remove(ipc_id)


def reset(kernels, dev_at_start):
    """Leave nothing of the last learner: no process, no file, no IPC object."""
    kill_everything_else(kernels)
    kernels.clear()
    if SANDBOXED:
        for folder in SANDBOX_WRITABLE:
            empty(folder)
        for name in set(os.listdir("/dev")) - dev_at_start:
            path = os.path.join("/dev", name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        remove_ipc_objects()


def serve(requests, answers, modules, calls):
    """Answer the worker's requests until it closes the pipe; then end every kernel."""
    warm(modules, calls)
    kernels = {}  # pid -> exit code, None while running
    dev_at_start = set(os.listdir("/dev")) if SANDBOXED else set()
    if SANDBOXED:
        for folder in SANDBOX_WRITABLE:  # what importing wrote (matplotlib's cache): no learner needs it
            empty(folder)
    pipes = (requests.fileno(), answers.fileno())
    answers.write(json.dumps({"ready": os.getpid()}) + "\n")
    answers.flush()
    for line in requests:
        request = json.loads(line)
        try:
            op = request["op"]
            if op == "start":
                pid = fork_kernel(request["argv"], request["cwd"], request["stderr"], pipes)
                kernels[pid] = None
                answer = {"pid": pid}
            elif op == "poll":
                reap(kernels)
                answer = {"returncode": kernels.get(request["pid"], 0)}
            elif op == "signal":
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(request["pid"], request["signum"])
                if request["signum"] == signal.SIGKILL:
                    await_exit(kernels, request["pid"])
                answer = {"ok": True}
            elif op == "reset":
                reset(kernels, dev_at_start)
                answer = {"ok": True}
            else:
                answer = {"error": f"unknown request {op!r}"}
        except Exception as error:
            answer = {"error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    kill_everything_else(kernels)


if __name__ == "__main__":
    _settings = json.loads(sys.argv[1])
    SANDBOXED = bool(_settings["sandboxed"]) and os.getpid() == 2  # bubblewrap's init is 1, we are 2
    if _settings["sandboxed"] and not SANDBOXED:
        sys.exit("zygote: asked to run in the sandbox, but not alone in a PID namespace")
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0: kernels cannot trace or read the zygote
    except (OSError, AttributeError):
        pass
    # The pipes to the worker get descriptors of their own; 0 and 1 point nowhere, so a
    # module that prints while being imported cannot corrupt an answer.
    _requests = os.fdopen(os.dup(0), "r")
    _answers = os.fdopen(os.dup(1), "w")
    _null = os.open(os.devnull, os.O_RDWR)
    os.dup2(_null, 0)
    os.dup2(_null, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker ends the zygote by closing its pipe
    serve(_requests, _answers, _settings["modules"], _settings["calls"])
