"""The resident server (`modpack server`): a command it runs is the command run in its own process,
same output, files, exit codes, signals and limits; it serves only its user and its own code."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from modpack.resident import client, wire

from .conftest import MINIMAL, SAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the server needs fork (POSIX)")


def modpack(*args: str, env: dict[str, str], cwd: Path | None = None, **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modpack", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120, **options)


def runtime(tmp: Path, mode: int = 0o700) -> dict[str, str]:
    """An environment whose servers live in a folder of its own (short: a socket's path is)."""
    base = Path(tempfile.mkdtemp(prefix="mp", dir="/tmp"))
    assert len(str(base / "modpack")) <= wire.MAX_FOLDER
    env = {**os.environ, "XDG_RUNTIME_DIR": str(base)}
    env.pop("MODPACK_SERVER", None)
    (base / "modpack").mkdir(mode=mode)
    os.chmod(base / "modpack", mode)
    return env


def status(env: dict[str, str]) -> dict | None:
    result = modpack("server", "status", "--format", "json", env=env)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The environment of a running server, stopped at the end."""
    env = runtime(tmp_path_factory.mktemp("resident"))
    started = modpack("server", "start", "--idle", "600", env=env)
    assert started.returncode == 0, started.stderr
    yield env
    stopped = modpack("server", "stop", env=env)
    assert stopped.returncode == 0, stopped.stderr


def served_count(env: dict[str, str]) -> int:
    found = status(env)
    assert found is not None, "the server is not running"
    return int(found["served"])


def twin_folders(tmp_path: Path, module: Path) -> tuple[Path, Path]:
    """Two folders holding the same module under the same relative name: the same command in each
    prints the same thing."""
    here, there = tmp_path / "here", tmp_path / "there"
    for folder in (here, there):
        shutil.copytree(module, folder / "modul")
    return here, there


def same_run(args: list[str], served_env: dict[str, str], here: Path, there: Path, **options):
    """The command in its own process (here) and through the server (there): both results, and
    whether the server ran it."""
    before = served_count(served_env)
    own = modpack(*args, env={**served_env, "MODPACK_SERVER": "off"}, cwd=here, **options)
    assert served_count(served_env) == before  # MODPACK_SERVER=off: not sent
    remote = modpack(*args, env=served_env, cwd=there, **options)
    return own, remote, served_count(served_env) == before + 1


def test_build_through_the_server_is_the_build_of_its_own_process(served, tmp_path):
    here, there = twin_folders(tmp_path, SAMPLES / "rujukan-terpadu")
    own, remote, delegated = same_run(["build", "modul", "--out", "dist", "--format", "scorm12", "--format", "cmi5"],
                                      served, here, there)
    assert delegated
    assert own.returncode == remote.returncode == 0, remote.stderr
    assert (own.stdout, own.stderr) == (remote.stdout, remote.stderr)
    built = sorted(p.name for p in (there / "dist").iterdir())
    assert built == sorted(p.name for p in (here / "dist").iterdir()) and len(built) == 3  # and the rebuild record
    records = [json.loads((folder / "dist" / ".modpack-build.json").read_text().replace(str(folder), "~"))
               for folder in (here, there)]
    assert records[0].keys() == records[1].keys()  # the files' times differ: they are copies
    for name in built[1:]:
        assert (there / "dist" / name).read_bytes() == (here / "dist" / name).read_bytes()
        assert stat.S_IMODE((there / "dist" / name).stat().st_mode) == stat.S_IMODE((here / "dist" / name).stat().st_mode)


def test_an_invalid_module_gives_the_same_errors_and_exit_code(served, tmp_path, write_module):
    broken = write_module(MINIMAL.replace("self_paced_jp: 1", "self_paced_jp: satu").replace("title: Modul uji",
                                                                                             "titel: Modul uji"))
    here, there = twin_folders(tmp_path, broken)
    own, remote, delegated = same_run(["build", "modul", "--out", "dist"], served, here, there)
    assert delegated
    assert own.returncode == remote.returncode == 2
    assert own.stderr == remote.stderr and "titel" in remote.stderr and "self_paced_jp" in remote.stderr
    assert not (there / "dist").exists()


def test_language_environment_and_folder_are_the_callers(served, tmp_path, write_module):
    module = write_module(MINIMAL.replace("title: Modul uji", "titel: Modul uji"))
    here, there = twin_folders(tmp_path, module)
    for lang, words in (("id", "maksud Anda"), ("en", "did you mean")):
        env = {**served, "MODPACK_LANG": lang}
        own, remote, delegated = same_run(["build", "modul"], env, here, there)
        assert delegated and remote.returncode == own.returncode == 2
        assert words in remote.stderr and remote.stderr == own.stderr
    # --lang before the command is the group's option: still sent, still obeyed
    before = served_count(served)
    remote = modpack("--lang", "id", "build", "modul", env=served, cwd=there)
    assert served_count(served) == before + 1 and "maksud Anda" in remote.stderr


def test_check_gives_the_same_report(served, tmp_path):
    here, there = twin_folders(tmp_path, SAMPLES / "rujukan-terpadu")
    built = modpack("build", "modul", "--out", "dist", env={**served, "MODPACK_SERVER": "off"}, cwd=here)
    assert built.returncode == 0, built.stderr
    shutil.copytree(here / "dist", there / "dist")
    package = f"dist/{next((here / 'dist').iterdir()).name}"
    for args in (["check", package], ["check", package, "--format", "json"], ["check", "dist/missing.zip"],
                 ["check", package, "dist/missing.zip", "--format", "json"]):
        own, remote, delegated = same_run(args, served, here, there)
        assert delegated
        assert (own.returncode, own.stdout, own.stderr) == (remote.returncode, remote.stdout, remote.stderr)


def test_umask_and_limits_are_the_callers(served, tmp_path):
    here, there = twin_folders(tmp_path, SAMPLES / "rujukan-terpadu")

    def small_files():  # ulimit -f: no file past 64 KiB, so writing the package fails
        os.umask(0o077)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))

    own, remote, delegated = same_run(["build", "modul", "--out", "dist"], served, here, there, preexec_fn=small_files)
    assert delegated
    assert own.returncode == remote.returncode != 0
    assert own.stderr == remote.stderr and "File too large" in remote.stderr
    assert not list((there / "dist").glob("*.zip")) and not list((there / "dist").glob(".*"))
    assert stat.S_IMODE((there / "dist").stat().st_mode) == stat.S_IMODE((here / "dist").stat().st_mode) == 0o700


def big_module(folder: Path, pages: int) -> Path:
    """A module slow enough to be interrupted while it builds."""
    page_list = "".join(f"      - id: h-{i}\n        title: Halaman {i}\n        file: h/{i}.md\n" for i in range(pages))
    folder.mkdir()
    (folder / "module.yaml").write_text(MINIMAL.split("lessons:")[0] + textwrap.dedent("""\
        lessons:
          - id: pelajaran-satu
            title: Pelajaran satu
            pages:
        """) + page_list, encoding="utf-8")
    (folder / "h").mkdir()
    text = "Pendamping PKH mencatat kunjungan rumah dan rujukan keluarga penerima manfaat. " * 40 + "\n"
    for i in range(pages):
        (folder / "h" / f"{i}.md").write_text(f"# Halaman {i}\n\n{text}", encoding="utf-8")
    return folder


def wait_until_running(env: dict[str, str], process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = status(env)
        if found and found["running"] == 1:
            return
        assert process.poll() is None, "the build ended before it could be interrupted"
        time.sleep(0.02)
    raise AssertionError("the command never ran on the server")


def wait_until_idle(env: dict[str, str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = status(env)
        if found and found["running"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError("the command is still running on the server")


@pytest.mark.parametrize("number, returncode", [(signal.SIGINT, 130), (signal.SIGTERM, -signal.SIGTERM)])
def test_a_signal_to_the_client_reaches_the_command(served, tmp_path, number, returncode):
    big_module(tmp_path / "modul", 6000)
    process = subprocess.Popen([sys.executable, "-m", "modpack", "build", "modul", "--out", "dist"],
                               env={**served, "MODPACK_LANG": "en"}, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_until_running(served, process)
    process.send_signal(number)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == returncode  # Ctrl-C: "Aborted!" and 130, as in its own process
    if number == signal.SIGINT:
        assert "Aborted!" in err
    wait_until_idle(served)
    assert not list((tmp_path / "dist").glob("*.zip")) if (tmp_path / "dist").exists() else True


@pytest.mark.parametrize("deaf", [False, True], ids=["plain", "ignoring-sigterm"])
def test_a_client_killed_stops_its_command(served, tmp_path, deaf):
    """Also when the caller ignored SIGTERM (`trap '' TERM`), and so its command does."""
    big_module(tmp_path / "modul", 6000)
    process = subprocess.Popen([sys.executable, "-m", "modpack", "build", "modul", "--out", "dist"], env=served,
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=(lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN)) if deaf else None)
    wait_until_running(served, process)
    process.kill()
    process.wait()
    wait_until_idle(served)
    assert not list((tmp_path / "dist").glob("*.zip")) if (tmp_path / "dist").exists() else True


def test_only_build_and_check_are_sent():
    assert client.delegable(["build", "modul"]) and client.delegable(["check", "x.zip"])
    assert client.delegable(["--lang", "en", "build", "modul"]) and client.delegable(["--lang=id", "check", "x"])
    assert not client.delegable(["build", "modul", "--watch"])  # resident by itself, and long-lived
    for args in (["validate", "modul"], ["preview", "x.zip"], ["send", "x.csv"], [], ["--lang", "en"]):
        assert not client.delegable(args)


def test_the_warm_up_leaves_no_validator_for_a_command_to_make(tmp_path):
    """What the server makes once is not made again by each command: a build of every format and
    its check, in a process warmed as the server is, build no pydantic validator of their own."""
    script = textwrap.dedent(f"""
        import sys
        from modpack.resident import server
        server.warm_up()
        import pydantic, pydantic.main
        made = []
        rebuild = pydantic.main.BaseModel.model_rebuild.__func__
        def spy(cls, *args, **kwargs):
            made.append(cls.__qualname__)
            return rebuild(cls, *args, **kwargs)
        pydantic.main.BaseModel.model_rebuild = classmethod(spy)
        adapter = pydantic.TypeAdapter.__init__
        def spy_adapter(self, *args, **kwargs):
            made.append(repr(args[0]))
            adapter(self, *args, **kwargs)
        pydantic.TypeAdapter.__init__ = spy_adapter
        from modpack import build
        from modpack.checker import check
        for sample in ("rujukan-terpadu", "kewirausahaan-sosial"):
            for path in build({str(SAMPLES)!r} + "/" + sample, format="all", out={str(tmp_path)!r}):
                check(path)
        print(made)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_key_names_the_exact_code(tmp_path):
    tree = tmp_path / "modpack"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.py").write_text("x = 1\n")
    (tree / "sub" / "b.js").write_text("y\n")
    first = wire.code_key(str(tree))
    assert wire.code_key(str(tree)) == first
    (tree / "sub" / "b.js").write_text("yy\n")  # an edit (size)
    second = wire.code_key(str(tree))
    assert second != first
    os.utime(tree / "a.py", ns=(1, 1))  # a file replaced by another of the same size (time)
    assert wire.code_key(str(tree)) != second
    (tree / "__pycache__").mkdir()
    key = wire.code_key(str(tree))
    (tree / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")  # compiling changes nothing
    assert wire.code_key(str(tree)) == key


def test_a_server_of_other_code_is_never_used_and_start_stops_it(tmp_path):
    env = runtime(tmp_path)
    folder = Path(env["XDG_RUNTIME_DIR"]) / "modpack"
    # another modpack: the same code in another place, as an upgrade or an edit would leave one
    other = tmp_path / "other"
    shutil.copytree(Path(wire.__file__).parents[1], other / "modpack", ignore=shutil.ignore_patterns("__pycache__"))
    other_env = {**env, "PYTHONPATH": str(other)}
    started = modpack("server", "start", "--idle", "60", env=other_env)
    assert started.returncode == 0, started.stderr
    old = Path(status(other_env)["socket"])
    assert old.parent == folder and old.exists()
    assert status(env) is None  # this code's clients do not find it
    result = modpack("check", "missing.zip", env=env, cwd=tmp_path)
    assert result.returncode == 2 and status(other_env)["served"] == 0
    restarted = modpack("server", "start", "--idle", "60", env=env)
    assert restarted.returncode == 0, restarted.stderr
    deadline = time.monotonic() + 10
    while old.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not old.exists() and status(other_env) is None  # asked to stop, it took its socket away
    assert status(env) is not None
    assert modpack("server", "stop", "--all", env=env).returncode == 0
    assert status(env) is None


@pytest.mark.parametrize("mode", [0o755, 0o770, 0o701])
def test_a_folder_others_can_use_is_refused(tmp_path, mode):
    env = runtime(tmp_path, mode=mode)
    result = modpack("server", "start", env=env)
    assert result.returncode == 2
    assert str(Path(env["XDG_RUNTIME_DIR"]) / "modpack") in result.stderr and "700" in result.stderr
    assert not list((Path(env["XDG_RUNTIME_DIR"]) / "modpack").iterdir())
    # the client meets the same folder and simply runs the command itself
    assert modpack("check", "missing.zip", env=env, cwd=tmp_path).returncode == 2


def test_an_idle_server_ends_and_removes_its_socket(tmp_path):
    env = runtime(tmp_path)
    started = modpack("server", "start", "--idle", "1", env=env)
    assert started.returncode == 0, started.stderr
    path = Path(status(env)["socket"])
    deadline = time.monotonic() + 15
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not path.exists() and status(env) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="another user is needed: the suite runs as root in CI")
def test_another_user_is_refused_by_the_server(served, tmp_path):
    path = Path(status(served)["socket"])
    folder = path.parent
    before = served_count(served)
    for opened in (folder.parent, folder):  # as if the folder were open to others: the server still checks who asks
        os.chmod(opened, 0o711)
    os.chmod(path, 0o777)
    try:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # as user nobody, which cannot run this interpreter (root's home): asked from a fork
            try:
                os.close(reading)
                os.setgid(65534)
                os.setuid(65534)
                sock = socket.socket(socket.AF_UNIX)
                sock.connect(str(path))
                body = json.dumps({"op": "status", "protocol": 1}).encode()
                try:
                    sock.sendall(len(body).to_bytes(4, "big") + body)
                except BrokenPipeError:
                    pass  # the server may refuse before it reads a byte: its answer is still there
                size = int.from_bytes(sock.recv(4), "big")
                os.write(writing, sock.recv(size))
            except BaseException as exc:  # noqa: BLE001 - said to the parent, which fails on it
                os.write(writing, json.dumps({"probe failed": repr(exc)}).encode())
            finally:
                os._exit(0)
        os.close(writing)
        answer = b""
        while chunk := os.read(reading, 65536):
            answer += chunk
        os.close(reading)
        os.waitpid(pid, 0)
        reply = json.loads(answer)
        assert "declined" in reply and "65534" in reply["declined"] and "pid" not in reply
    finally:
        for opened in (folder.parent, folder):
            os.chmod(opened, 0o700)
        os.chmod(path, 0o600)
    assert served_count(served) == before


def test_a_limit_the_server_cannot_give_runs_the_command_at_home(tmp_path):
    env = runtime(tmp_path)

    def few_files():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    started = subprocess.run([sys.executable, "-m", "modpack", "server", "start", "--idle", "60"], env=env,
                             capture_output=True, text=True, timeout=120, preexec_fn=few_files)
    assert started.returncode == 0, started.stderr
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        assert hard > 256
        result = modpack("check", "missing.zip", env=env, cwd=tmp_path)
        assert result.returncode == 2 and "missing.zip" in result.stdout
        assert status(env)["served"] == 0  # declined: a child cannot raise its limit to the caller's
        lowered = modpack("check", "missing.zip", env=env, cwd=tmp_path,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (128, 200)))
        assert lowered.returncode == 2 and status(env)["served"] == 1
    finally:
        modpack("server", "stop", env=env)


def test_a_garbled_request_is_declined_and_the_server_goes_on(served, tmp_path):
    path = status(served)["socket"]
    for body in (b"\xff" * 8, b"[1, 2]", json.dumps({"op": "run", "protocol": 1, "argv": "build"}).encode()):
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(path)
        sock.sendall(len(body).to_bytes(4, "big") + body)
        size = int.from_bytes(sock.recv(4), "big")
        reply = json.loads(sock.recv(size))
        sock.close()
        assert "declined" in reply and "pid" not in reply
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(path)
    sock.sendall((2 ** 31).to_bytes(4, "big"))  # a frame too large to read: refused unread
    sock.close()
    deep = b"[" * 100_000  # under the frame limit, too deep for json: refused, not a crash
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(path)
    sock.sendall(len(deep).to_bytes(4, "big") + deep)
    sock.close()
    # a run request the server declines, from a client gone before the answer: no double close
    body = json.dumps({"op": "run", "protocol": 99}).encode()
    for _ in range(3):
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(path)
        socket.send_fds(sock, [len(body).to_bytes(4, "big") + body], [0, 1, 2, os.open(".", os.O_RDONLY)])
        sock.close()
    assert status(served) is not None


def _declined_run(path: str, body: bytes) -> dict:
    """Send a run request (the client's streams: a pipe's write end as stdout and stderr) and its
    reply; the pipe must reach its end once this side closes it: the server kept no copy."""
    reading, writing = os.pipe()
    cwd = os.open(".", os.O_RDONLY)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.connect(path)
        socket.send_fds(sock, [len(body).to_bytes(4, "big") + body], [0, writing, writing, cwd])
        sock.settimeout(10)
        reply, _ = wire.receive(sock)
    finally:
        sock.close()
        os.close(writing)
        os.close(cwd)
    import select

    readable, _, _ = select.select([reading], [], [], 10)
    ended = bool(readable) and os.read(reading, 1) == b""
    os.close(reading)
    assert ended, "the server kept a copy of the client's stream"
    return reply


def test_a_run_request_a_child_could_not_take_is_declined_whole(served):
    """Each field is judged before a process is given the command: an environment variable the
    system cannot set, an unknown encoding, a limit softer than hard, an unknown field nested 985
    deep (read, but not sendable again) each ended the command with 70 and no word, or left the
    client's streams open in the server and its spare a zombie; declined, the client runs it."""

    path = status(served)["socket"]
    server = status(served)["pid"]
    fds_before = len(os.listdir(f"/proc/{server}/fd"))
    before = served_count(served)

    def body(**changes) -> bytes:
        message = client.request(["check", "missing.zip"])
        for key, value in changes.items():
            if key in ("env_extra",):
                message["env"] = {**message["env"], **value}
            else:
                message[key] = value
        return json.dumps(message).encode()

    cases = [body(env_extra={"": "x"}), body(env_extra={"A=B": "x"}), body(env_extra={"NUL": "a\0b"}),
             body(umask=2 ** 70), body(umask=-1), body(limits={**client.request([])["limits"], "RLIMIT_CORE": [100, 10]}),
             body(limits={**client.request([])["limits"], "RLIMIT_CORE": [2 ** 70, 2 ** 70]}),
             body(limits={**client.request([])["limits"], "RLIMIT_NPROC": "x"}),
             body(limits={**client.request([])["limits"], "getrlimit": [1, 1]}),
             body(streams="xyz"), body(streams=[None]), body(streams=[["no-such-codec", "strict", False, False], None, None]),
             body(streams=[["utf-8", "no-such-handler", False, False], None, None]),
             body(argv=["check", "a\0b"]),
             body(x="@@").replace(b'"@@"', b"[" * 985 + b"]" * 985)]
    for case in cases:
        reply = _declined_run(path, case)
        assert "declined" in reply and "pid" not in reply, (case[:120], reply)
    assert served_count(served) == before
    deadline = time.monotonic() + 10
    while len(os.listdir(f"/proc/{server}/fd")) > fds_before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(os.listdir(f"/proc/{server}/fd")) <= fds_before
    zombies = [pid for pid in os.listdir("/proc") if pid.isdigit() and _parent_and_state(pid) == (server, "Z")]
    assert not zombies
    # and a request as the client makes it still runs there
    assert modpack("check", "missing.zip", env=served).returncode == 2 and served_count(served) == before + 1


def _parent_and_state(pid: str) -> tuple[int, str] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0]


def test_a_client_that_trickles_its_request_does_not_hold_the_server(served):
    """The whole request has a deadline, not each read: a client sending a byte now and then is
    cut off, and the server answers others meanwhile."""
    import threading

    path = status(served)["socket"]
    stop = threading.Event()

    def trickle() -> None:
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(path)
        try:
            for _ in range(40):
                if stop.is_set():
                    break
                sock.sendall(b"\x00")
                time.sleep(0.25)
        except OSError:
            pass  # cut off by the server, as it should be
        finally:
            sock.close()

    worker = threading.Thread(target=trickle)
    worker.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        assert status(served) is not None
        assert time.monotonic() - started < 6  # within the 2 s deadline and a process's start, not 10 s
    finally:
        stop.set()
        worker.join()


def test_a_silent_client_holds_neither_the_server_nor_the_others(served):
    """Clients connected that send nothing (or half a request) do not delay anyone's answer; each
    is declined after its request time, and past MAX_PENDING of them a new one is declined at once."""
    from modpack.resident.server import MAX_PENDING, REQUEST_TIME

    path = status(served)["socket"]
    silent = []

    def connect(half: bool) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(path)
        if half:
            sock.sendall(b"\x00\x00\x00\x10{")  # half a frame
        silent.append(sock)
        return sock

    try:
        for n in range(MAX_PENDING - 1):
            connect(half=bool(n % 2))
        started = time.monotonic()
        for _ in range(5):
            assert "pid" in asked(path, "status")  # answered while they are silent
        assert time.monotonic() - started < 0.5 * REQUEST_TIME
        for sock in silent:  # none declined yet
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
            sock.setblocking(True)
        crowd = [connect(half=False) for _ in range(4)]  # the last of the MAX_PENDING, and three past it
        for sock in crowd[1:]:
            sock.settimeout(0.5 * REQUEST_TIME)
            assert "at once" in wire.receive(sock)[0]["declined"]
        for sock in silent[:MAX_PENDING]:
            sock.settimeout(REQUEST_TIME + 5)
            assert "too long" in wire.receive(sock)[0]["declined"]  # told, then closed
            assert sock.recv(1) == b""
    finally:
        for sock in silent:
            sock.close()
    assert "pid" in asked(path, "status")


def test_a_runtime_folder_too_long_for_a_socket_is_not_used():
    assert wire.runtime_dir({"XDG_RUNTIME_DIR": "/run/user/1000"}) == "/run/user/1000/modpack"
    assert wire.runtime_dir({"XDG_RUNTIME_DIR": "/very" * 20}) == f"/tmp/modpack-{os.getuid()}"
    assert wire.runtime_dir({"XDG_RUNTIME_DIR": "relative"}) == f"/tmp/modpack-{os.getuid()}"
    assert wire.runtime_dir({}) == f"/tmp/modpack-{os.getuid()}"


def test_the_spare_runs_the_next_command_and_leaves_with_the_server(tmp_path):
    """The server keeps a child forked ahead (the next command does not wait for a fork): it runs
    one command only, a new one waits after it, and none outlives the server."""
    env = runtime(tmp_path)
    assert modpack("server", "start", "--idle", "60", env=env).returncode == 0
    path = status(env)["socket"]

    def ask(op: str) -> dict:
        answer = asked(path, op)
        assert answer is not None
        return answer

    deadline = time.monotonic() + 10
    while ask("status")["spare"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    first = ask("status")["spare"]
    assert isinstance(first, int)
    assert modpack("check", "missing.zip", env=env, cwd=tmp_path).returncode == 2
    deadline = time.monotonic() + 10
    while ask("status")["spare"] in (None, first) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = ask("status")["spare"]
    assert isinstance(second, int) and second != first
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # it ran the command and ended (reaped by the server)
    assert modpack("server", "stop", env=env).returncode == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(second, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the spare outlived the server")


def asked(path: str, op: str) -> dict | None:
    """The server's answer to ``op`` ('status', 'stop'), straight on its socket (no process
    started); None when no server answers there."""
    sock = wire.connect(path, timeout=10)
    if sock is None:
        return None
    try:
        wire.send(sock, {"op": op, "protocol": wire.PROTOCOL})
        return wire.receive(sock)[0]
    except (OSError, wire.WireError):  # it closed as it was asked (stopping): as modpack's own client reads it
        return None
    finally:
        sock.close()


def _state(pid: int) -> str:
    """A process's state letter from /proc (R running, S sleeping, T stopped...)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process states are read from /proc (Linux)")
@pytest.mark.parametrize("ignoring", [False, True], ids=["plain", "ignoring-sigcont"])
def test_ctrl_z_stops_the_command_with_its_client_and_fg_continues_both(served, tmp_path, ignoring):
    """An ignored SIGCONT continues a process all the same: the command is continued with it."""
    big_module(tmp_path / "modul", 6000)
    process = subprocess.Popen([sys.executable, "-m", "modpack", "build", "modul", "--out", "dist"], env=served,
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=(lambda: signal.signal(signal.SIGCONT, signal.SIG_IGN)) if ignoring else None)
    wait_until_running(served, process)
    command = status(served)["commands"][0]
    process.send_signal(signal.SIGTSTP)
    deadline = time.monotonic() + 10
    while (_state(process.pid), _state(command)) != ("T", "T") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (_state(process.pid), _state(command)) == ("T", "T")
    process.send_signal(signal.SIGCONT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out.strip().endswith(".zip") and Path(tmp_path, out.strip()).exists()


ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="changing one's groups, capabilities or mounts needs root "
                               "(the suite runs as root in CI)")


@pytest.mark.parametrize("wrapper", [
    pytest.param(["setpriv", "--no-new-privs"], id="no-new-privs"),
    pytest.param(["setpriv", "--groups", "4242"], id="other-groups", marks=ROOT_ONLY),
    pytest.param(["setpriv", "--bounding-set", "-net_raw"], id="fewer-capabilities", marks=ROOT_ONLY),
    pytest.param(["unshare", "--net"], id="another-network-namespace", marks=ROOT_ONLY),
    pytest.param(["setpriv", "--groups", "0"], id="its-own-group-listed", marks=ROOT_ONLY),
])
def test_a_caller_with_other_rights_than_the_server_runs_its_command_at_home(served, tmp_path, wrapper):
    """The same user, with fewer rights: run by the server, the command would have the server's."""
    before = served_count(served)
    plain = modpack("check", "missing.zip", env=served, cwd=tmp_path)
    assert plain.returncode == 2 and served_count(served) == before + 1  # served, as it was asked plainly
    result = subprocess.run([*wrapper, sys.executable, "-m", "modpack", "check", "missing.zip"], capture_output=True,
                            text=True, env=served, cwd=tmp_path, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    same_rights = wrapper == ["setpriv", "--groups", "0"]  # root's group, listed or not: the same rights
    assert served_count(served) == before + 1 + same_rights  # else declined: run in the caller's own process


@ROOT_ONLY
def test_a_caller_in_another_mount_namespace_builds_into_the_folders_it_sees(served, tmp_path):
    """A private mount over the output folder (as a container or a sandbox has): the package goes
    where the caller sees it, never into what the mount hides, which only the server sees."""
    out = tmp_path / "dist"
    out.mkdir()
    before = served_count(served)
    script = 'mount -t tmpfs modpack-test "$1" && "$2" -m modpack build "$3" --out "$1" >/dev/null && ls "$1"'
    result = subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", str(out), sys.executable,
                             str(SAMPLES / "rujukan-terpadu")], capture_output=True, text=True, env=served,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert any(name.endswith(".zip") for name in result.stdout.split())  # in the folder the caller sees
    assert list(out.iterdir()) == []  # and nothing under the mount
    assert served_count(served) == before


def allow_all_filters(count: int):
    """A preexec_fn: ``count`` seccomp filters stacked on this process, each allowing everything
    (what a container's runtime or a sandbox installs, without their rules)."""
    def install() -> None:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        allow = ctypes.create_string_buffer((0x06).to_bytes(2, sys.byteorder) + b"\0\0"
                                            + (0x7FFF0000).to_bytes(4, sys.byteorder))  # BPF_RET|BPF_K ALLOW
        program = ctypes.create_string_buffer((1).to_bytes(2, sys.byteorder) + b"\0" * 6
                                              + ctypes.addressof(allow).to_bytes(8, sys.byteorder))
        libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS, as an unprivileged process must
        for _ in range(count):
            if libc.prctl(22, 2, program, 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
                raise OSError(ctypes.get_errno(), "seccomp")
    return install


@pytest.mark.skipif(not Path("/proc/self/status").exists() or sys.maxsize < 2 ** 32,
                    reason="seccomp is read from /proc (Linux); the filter is built for 64-bit pointers")
def test_a_caller_with_a_filter_of_its_own_runs_its_command_at_home(tmp_path):
    """In a container every process has its runtime's seccomp filter, the server too: a caller that
    adds one of its own (a sandbox inside the container) is declined."""
    env = runtime(tmp_path)
    started = subprocess.run([sys.executable, "-m", "modpack", "server", "start", "--idle", "60"], env=env,
                             capture_output=True, text=True, timeout=120, preexec_fn=allow_all_filters(1))
    assert started.returncode == 0, started.stderr
    try:
        alike = modpack("check", "missing.zip", env=env, cwd=tmp_path, preexec_fn=allow_all_filters(1))
        assert alike.returncode == 2 and status(env)["served"] == 1  # as the server: served
        stacked = modpack("check", "missing.zip", env=env, cwd=tmp_path, preexec_fn=allow_all_filters(2))
        assert (stacked.returncode, stacked.stdout) == (2, alike.stdout) and status(env)["served"] == 1
    finally:
        modpack("server", "stop", env=env)


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGINT])
def test_a_signal_the_caller_ignores_is_ignored_by_its_command(served, tmp_path, number):
    """`nohup modpack build` and `modpack build &` in a script: the hang-up (or the Ctrl-C of the
    terminal) that the caller ignores does not stop its command on the server, as it would not
    stop it in the caller's own process, whether it reaches the caller or the command itself."""
    big_module(tmp_path / "modul", 4000)
    process = subprocess.Popen([sys.executable, "-m", "modpack", "build", "modul", "--out", "dist"], env=served,
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(number, signal.SIG_IGN))
    wait_until_running(served, process)
    command = status(served)["commands"][0]
    process.send_signal(number)
    os.killpg(command, number)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out.strip().endswith(".zip") and Path(tmp_path, out.strip()).exists()


def _assert_gone(path: str) -> None:
    """The server's socket is removed within 10 s: it has stopped."""
    deadline = time.monotonic() + 10
    while Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(path).exists()


def test_a_client_waiting_when_the_server_stops_runs_its_command_at_home(tmp_path):
    """Clients queued behind a stop are told that nothing runs there: they run the command
    themselves, instead of ending as if the server had died mid-command."""
    env = runtime(tmp_path)
    assert modpack("server", "start", "--idle", "60", env=env).returncode == 0
    path, pid = status(env)["socket"], status(env)["pid"]
    own = modpack("check", "missing.zip", env={**env, "MODPACK_SERVER": "off"}, cwd=tmp_path)
    os.kill(pid, signal.SIGSTOP)  # a server busy for a moment: what comes meanwhile waits in the queue
    stopper = socket.socket(socket.AF_UNIX)
    stopper.connect(path)
    wire.send(stopper, {"op": "stop", "protocol": wire.PROTOCOL})
    half = socket.socket(socket.AF_UNIX)  # and one whose request has begun to come when the stop comes
    half.connect(path)
    half.sendall(b"\x00\x00")
    queued = [subprocess.Popen([sys.executable, "-m", "modpack", "check", "missing.zip"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    try:
        time.sleep(1.5)  # the clients started and connected
        os.kill(pid, signal.SIGCONT)
        for process in queued:
            out, err = process.communicate(timeout=60)
            assert (process.returncode, out, err) == (own.returncode, own.stdout, own.stderr)
        assert wire.receive(stopper)[0]["stopping"] is True
        half.settimeout(10)
        assert "declined" in wire.receive(half)[0]
    finally:
        os.kill(pid, signal.SIGCONT)
        half.close()
        stopper.close()
    _assert_gone(path)


def test_a_stop_that_comes_with_another_request_in_one_turn_ends_the_server_cleanly(tmp_path):
    """A stop declines a request still coming; when both are read in the same turn of the loop,
    the declined one is not read again (it was: the server died with a ValueError)."""
    env = runtime(tmp_path)
    assert modpack("server", "start", "--idle", "60", env=env).returncode == 0
    state = status(env)
    path, pid = state["socket"], state["pid"]
    stop = json.dumps({"op": "stop", "protocol": wire.PROTOCOL}).encode()
    stop = len(stop).to_bytes(4, "big") + stop
    asked_status = json.dumps({"op": "status", "protocol": wire.PROTOCOL}).encode()
    asked_status = len(asked_status).to_bytes(4, "big") + asked_status
    stopper, other = socket.socket(socket.AF_UNIX), socket.socket(socket.AF_UNIX)
    try:
        stopper.connect(path)
        stopper.sendall(stop[:1])  # pending
        time.sleep(0.3)
        os.kill(pid, signal.SIGSTOP)  # what comes now is read in one turn
        other.connect(path)
        other.sendall(asked_status[:-1])  # pending, and readable
        stopper.sendall(stop[1:])
        time.sleep(0.1)
        os.kill(pid, signal.SIGCONT)
        stopper.settimeout(10)
        other.settimeout(10)
        assert wire.receive(stopper)[0]["stopping"] is True
        assert "declined" in wire.receive(other)[0]
    finally:
        os.kill(pid, signal.SIGCONT)
        stopper.close()
        other.close()
    _assert_gone(path)
    log = (Path(env["XDG_RUNTIME_DIR"]) / "modpack" / "server.log").read_text()
    assert "Traceback" not in log, log


def test_only_commands_keep_a_server_awake(tmp_path):
    """Asking a server how it is (or any stray connection) is not a command: it ends after its
    idle time all the same, and says how long it has been idle."""
    env = runtime(tmp_path)
    assert modpack("server", "start", "--idle", "2", env=env).returncode == 0
    path = status(env)["socket"]
    idle_seen = []
    deadline = time.monotonic() + 15
    while (answer := asked(path, "status")) is not None and time.monotonic() < deadline:
        if "declined" in answer:  # asked as it stopped: "the server is stopping"
            assert "stopping" in answer["declined"]
            answer = None
            break
        idle_seen.append(answer["idle"])
        time.sleep(0.2)
    assert answer is None, f"still serving after 15 s of questions (idle: {idle_seen[-3:]})"
    assert max(idle_seen) >= 1.0 and idle_seen == sorted(idle_seen)


# the real server, with os.fork failing as it does at `ulimit -u` or a cgroup's pids.max (EAGAIN),
# as many times as the file named by MODPACK_TEST_FAILED_FORKS says
FORK_FAILING_SERVER = textwrap.dedent("""\
    import errno, os, sys
    counter = os.environ["MODPACK_TEST_FAILED_FORKS"]
    real_fork = os.fork

    def fork():
        with open(counter) as file:
            left = int(file.read() or 0)
        if left > 0:
            with open(counter, "w") as file:
                file.write(str(left - 1))
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        return real_fork()

    os.fork = fork
    from modpack.resident import server
    server.main(["--idle", "120"])
""")


def test_a_server_that_cannot_fork_declines_and_goes_on(tmp_path):
    """No process to be had: the command runs in the caller's own process, the server keeps none of
    its streams (a reader of its output sees the end), and serves again once processes come back."""
    env = runtime(tmp_path)
    counter = tmp_path / "failed-forks"
    counter.write_text("0")
    assert modpack("build", str(SAMPLES / "rujukan-terpadu"), "--out", "dist", env={**env, "MODPACK_SERVER": "off"},
                   cwd=tmp_path).returncode == 0
    package = next((tmp_path / "dist").glob("*.zip")).name
    own = modpack("check", f"dist/{package}", env={**env, "MODPACK_SERVER": "off"}, cwd=tmp_path)
    assert own.returncode == 0, own.stderr
    log = tmp_path / "server.log"
    with log.open("w") as written:
        server = subprocess.Popen([sys.executable, "-c", FORK_FAILING_SERVER], cwd="/", stdout=subprocess.DEVNULL,
                                  stderr=written, env={**env, "MODPACK_TEST_FAILED_FORKS": str(counter)})
    try:
        deadline = time.monotonic() + 30
        while (listed := status(env)) is None:
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.05)
        path = listed["socket"]
        while (found := asked(path, "status"))["spare"] is None:
            assert time.monotonic() < deadline, "no spare"
            time.sleep(0.05)
        fds = len(os.listdir(f"/proc/{server.pid}/fd"))

        # the spare is gone (killed, out of memory) and no process can be forked for the command
        os.kill(found["spare"], signal.SIGKILL)
        time.sleep(0.2)
        counter.write_text("1")
        declined = modpack("check", f"dist/{package}", env=env, cwd=tmp_path)
        assert (declined.returncode, declined.stdout, declined.stderr) == (0, own.stdout, own.stderr)
        assert counter.read_text() == "0"  # the fork was tried, and failed
        assert len(os.listdir(f"/proc/{server.pid}/fd")) <= fds  # none of the client's descriptors kept
        assert log.read_text() == "", log.read_text()  # the spare after it was forked as usual

        # a command taken by the spare, then no process for the next spare: the server lives on
        deadline = time.monotonic() + 30
        while (found := asked(path, "status"))["spare"] is None:
            assert time.monotonic() < deadline, "no spare came back"
            time.sleep(0.05)
        served = found["served"]
        counter.write_text("2")  # twice: the log says it once
        taken = modpack("check", f"dist/{package}", env=env, cwd=tmp_path)
        assert (taken.returncode, taken.stdout) == (0, own.stdout)
        deadline = time.monotonic() + 30
        while counter.read_text() != "0" or (found := asked(path, "status"))["spare"] is None:
            assert time.monotonic() < deadline and server.poll() is None, "the server did not survive"
            time.sleep(0.05)
        again = modpack("check", f"dist/{package}", env=env, cwd=tmp_path)
        assert (again.returncode, again.stdout) == (0, own.stdout)
        assert asked(path, "status")["served"] == served + 2
    finally:
        server.terminate()
        server.wait(timeout=30)
    err = log.read_text()
    assert "Traceback" not in err and err.count("no spare for now") == 1, err
