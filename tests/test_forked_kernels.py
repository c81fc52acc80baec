"""Kernels forked from a warm zygote: each learner's kernel starts clean, whatever the last one did.

One zygote serves learner after learner, as on a grading worker. A hostile learner leaves
everything it can behind (a background process, files in every writable folder, a System
V shared memory segment, a changed module) and the next learner's kernel must find none
of it; it must also look like a fresh kernel (its folder, its import path, new random
seeds). A learner who kills or freezes the zygote costs only their own grading.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time

import pytest

from customering_course import sandbox
from customering_course.grading.forked_kernels import ForkedKernelManager, KernelZygote, ZygoteError

pytestmark = pytest.mark.slow

MODES = ["bubblewrap", "workdir"] if sandbox.bubblewrap_problem() is None else ["workdir"]
CAPS = {"memory": sandbox.Limits().memory, "file_size": sandbox.Limits().file_size}

LEAVE_TRACES = r'''
import ctypes, os, subprocess, sys, numpy
here = os.getcwd()
written = []
for folder in ("/tmp", os.path.expanduser("~"), "/dev/shm", "/dev", here):
    try:
        with open(os.path.join(folder, "left-by-the-last-learner.txt"), "w") as file:
            file.write("answers of the last learner")
        written.append(folder)
    except OSError:
        pass
startup = os.path.expanduser("~/.ipython/profile_default/startup")
os.makedirs(startup, exist_ok=True)
with open(os.path.join(startup, "00-next-learner.py"), "w") as file:
    file.write("LEFT_BY_STARTUP = 'the last learner'\n")
sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
libc = ctypes.CDLL(None, use_errno=True)
segment = libc.shmget(0x5EED, 4096, 0o1666)  # IPC_CREAT | 0666
numpy.pi = 3.0
os.environ["LEFT_BY"] = "the last learner"
print(json.dumps({"written": written, "sleeper": sleeper.pid, "segment": segment}))
'''.replace("import ctypes", "import json, ctypes")

LOOK_AROUND = r'''
import json, os, random, sys, numpy
here = os.getcwd()
def names(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []
try:
    with open("/proc/sysvipc/shm") as table:
        segments = [line.split()[0] for line in table.readlines()[1:]]
except OSError:
    segments = []
print(json.dumps({
    "cwd": here, "path0": sys.path[0], "argv0": os.path.basename(sys.argv[0]),
    "files": {folder: names(folder) for folder in ("/tmp", os.path.expanduser("~"), "/dev/shm", here)},
    "dev": names("/dev"), "pids": sorted(int(p) for p in names("/proc") if p.isdigit()), "me": os.getpid(),
    "segments": segments, "pi": numpy.pi, "env": os.environ.get("LEFT_BY"),
    "startup": globals().get("LEFT_BY_STARTUP"),
    "random": [random.random(), float(numpy.random.rand())],
}))
'''


READ_THE_ZYGOTE = r'''
import json
try:
    start = int(open("/proc/2/maps").readline().split("-")[0], 16)
    with open("/proc/2/mem", "rb") as memory:
        memory.seek(start)
        memory.read(16)
    print(json.dumps("read"))
except OSError as error:
    print(json.dumps(type(error).__name__))
'''


def run(zygote: KernelZygote, code: str, files: dict[str, bytes] | None = None) -> dict | None:
    """Run ``code`` in a kernel forked for one submission; the JSON it prints (None if the kernel died)."""
    async def session(folders) -> dict | None:
        km = ForkedKernelManager(zygote, folders, kernel_name="python3")
        await km.start_kernel()
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            printed: list[str] = []

            def keep(msg):
                if msg["msg_type"] == "stream":
                    printed.append(msg["content"]["text"])

            await client.execute_interactive(code, output_hook=keep, timeout=60)
            lines = "".join(printed).strip().splitlines()
            return json.loads(lines[-1]) if lines else None
        except Exception:
            return None
        finally:
            client.stop_channels()
            if await km.is_alive():
                await km.shutdown_kernel(now=True)

    with zygote.kernel_folders(files or {"answers.ipynb": b"{}"}) as folders:
        return asyncio.run(session(folders))


@pytest.fixture(params=MODES)
def zygote(request):
    made = KernelZygote(request.param, CAPS, ("numpy",))
    yield made
    made.remove()
    assert not made.folder.exists()


def test_the_next_learner_finds_nothing_the_last_one_left(zygote):
    left = run(zygote, LEAVE_TRACES, {"answers.ipynb": b"{}", "data/mine.csv": b"a,b\n"})
    assert left is not None and left["segment"] >= 0, left
    seen = run(zygote, LOOK_AROUND, {"answers.ipynb": b"{}"})
    assert seen is not None
    assert seen["files"][seen["cwd"]] == ["answers.ipynb"], "only this learner's own submission is in the folder"
    assert seen["pi"] == pytest.approx(3.141592653589793) and seen["env"] is None, "a module or variable leaked"
    if zygote.mode == "bubblewrap":  # in workdir mode home is the instructor's own: a fresh kernel would run it too
        assert seen["startup"] is None, "the last learner's IPython start-up file ran in the next kernel"
    if zygote.mode == "bubblewrap":
        # The kernels' socket folder is mounted at its own path, which may run through /tmp.
        sockets = zygote.kernels.parts[2] if zygote.kernels.is_relative_to("/tmp") else None
        assert set(seen["files"]["/tmp"]) <= {sockets} and seen["files"]["/dev/shm"] == []
        assert set(seen["files"][sandbox.SANDBOX_HOME]) <= {"work", ".ipython"}, "only the work folder, and IPython's own"
        assert "left-by-the-last-learner.txt" not in seen["dev"]
        assert seen["segments"] == [], "the last learner's shared memory is gone"
        # bubblewrap's init, the zygote and this kernel: nothing else lives in the sandbox.
        assert seen["pids"] == sorted({1, 2, seen["me"]}), seen["pids"]
    else:  # the kernel's process group ends with it, as jupyter_client ends a fresh kernel's
        import psutil

        assert not psutil.pid_exists(left["sleeper"]) or psutil.Process(left["sleeper"]).status() == "zombie"


def test_a_forked_kernel_looks_like_a_fresh_one(zygote):
    first = run(zygote, LOOK_AROUND)
    second = run(zygote, LOOK_AROUND)
    expected_cwd = f"{sandbox.SANDBOX_HOME}/work" if zygote.mode == "bubblewrap" else str(zygote.work)
    for seen in (first, second):
        assert seen["cwd"] == seen["path0"] == expected_cwd
        assert seen["argv0"] == "ipykernel_launcher.py"
    assert first["random"][0] != second["random"][0] and first["random"][1] != second["random"][1], \
        "each kernel draws its own random seeds, as a new interpreter does"


def test_a_learner_who_kills_the_zygote_ends_only_their_own_grading(zygote):
    target = "2" if zygote.mode == "bubblewrap" else "os.getppid()"
    assert run(zygote, f"import os, signal\nos.kill({target}, signal.SIGKILL)\nimport time\ntime.sleep(5)") is None
    seen = run(zygote, LOOK_AROUND)
    assert seen is not None and seen["pi"] == pytest.approx(3.141592653589793)


def test_a_frozen_zygote_is_replaced_after_its_answer_times_out(zygote):
    zygote.answer_timeout = 5
    target = "2" if zygote.mode == "bubblewrap" else "os.getppid()"
    started = time.monotonic()
    run(zygote, f"import os, signal\nos.kill({target}, signal.SIGSTOP)\nprint('{{}}')")
    assert time.monotonic() - started < 60
    assert run(zygote, LOOK_AROUND) is not None


@pytest.mark.skipif("bubblewrap" not in MODES, reason="the zygote's memory is guarded only inside the sandbox")
def test_a_kernel_cannot_read_the_zygotes_memory():
    zygote = KernelZygote("bubblewrap", CAPS, ("numpy",))
    try:
        seen = run(zygote, READ_THE_ZYGOTE)
    finally:
        zygote.remove()
    assert seen == "PermissionError"


def test_a_dead_zygote_says_so():
    zygote = KernelZygote("workdir", CAPS, ())
    try:
        zygote.start()
        zygote.process.send_signal(signal.SIGKILL)
        zygote.process.wait()
        with pytest.raises(ZygoteError, match="not running"):
            zygote.request("poll", pid=1)
    finally:
        zygote.remove()
