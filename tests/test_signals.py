"""signals.py: Ctrl+C, `kill` and a closed terminal noted during a build, raised at safe points."""

from __future__ import annotations

import os
import signal
import time

import pytest

from modpack import signals


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Each test as a new command's process: no signal remembered, none raised a moment ago."""
    signals.settle()
    yield
    signals.settle()


def _send(number: int) -> None:
    os.kill(os.getpid(), number)
    time.sleep(0.05)  # the handler runs between bytecodes: by now


def test_ctrl_c_is_noted_and_raised_at_the_next_safe_point_as_keyboard_interrupt():
    with pytest.raises(KeyboardInterrupt):
        with signals.caught():
            _send(signal.SIGINT)  # noted, not raised here
            reached = True
            signals.check()
    assert reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # as it was


def test_a_second_ctrl_c_before_a_safe_point_stops_at_once():
    with pytest.raises(KeyboardInterrupt):
        with signals.caught():
            _send(signal.SIGINT)
            _send(signal.SIGINT)
            pytest.fail("the second Ctrl+C did not stop the block")
    signals.check()  # nothing left noted


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_noted_after_the_last_safe_point_is_raised_as_the_block_ends(number):
    with pytest.raises(signals.Signalled) as raised:
        with signals.caught():
            _send(number)
    assert raised.value.number == number  # the caller ends by it (end_by), Ctrl+C too: no "Aborted!"


def test_a_signal_the_caller_ignores_stays_ignored():
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with signals.caught():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            _send(signal.SIGHUP)
            signals.check()
    finally:
        signal.signal(signal.SIGHUP, before)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_that_a_library_turns_into_an_error_of_its_own_is_still_that_signal(tmp_path, number):
    """pydantic, building a validator as Ctrl+C comes, raises SchemaError('...KeyboardInterrupt');
    `modpack import` then said 'internal error' (exit 70). Any command: Ctrl+C is 'Aborted!' and
    130, a kill or a hang-up ends the process by its signal."""
    import subprocess
    import sys

    (tmp_path / "modul.docx").write_bytes(b"")
    code = f"""if True:
        import os, signal, sys, time
        import modpack.importer as importer

        def like_pydantic(*args, **kwargs):  # meets the signal in a callback, raises its own error
            try:
                os.kill(os.getpid(), {int(number)})
                time.sleep(5)
            except BaseException:
                raise RuntimeError('Error building "function-after" validator: interrupted') from None

        importer.import_docx = like_pydantic
        sys.argv = ["modpack", "import", "modul.docx", "--out", "keluar"]
        from modpack.resident.client import main  # the `modpack` command itself
        main()
    """
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MODPACK_LANG": "en", "MODPACK_SERVER": "off"})
    if number == signal.SIGINT:
        assert (result.returncode, result.stderr.strip()) == (130, "Aborted!"), result.stderr
    else:
        assert (result.returncode, result.stderr) == (-number, ""), result.stderr


def test_a_second_ctrl_c_in_a_worker_is_only_noted_and_raised_at_its_safe_point(monkeypatch):
    with pytest.raises(KeyboardInterrupt):
        with signals.caught():
            monkeypatch.setattr(signals, "_owner", os.getpid() + 1)  # as in a worker forked by the build
            _send(signal.SIGINT)
            _send(signal.SIGINT)  # an idle worker raising here printed a traceback
            signals.check()


def test_a_second_ctrl_c_while_a_build_publishes_waits_for_the_end_and_ends_the_process_by_it():
    with pytest.raises(signals.Signalled) as raised:
        with signals.caught():
            signals.hold()
            _send(signal.SIGINT)
            _send(signal.SIGINT)  # not "Aborted!" once the zips are published
    assert raised.value.number == signal.SIGINT


def test_a_second_ctrl_c_that_a_finaliser_swallows_is_raised_at_the_next_safe_point():
    with pytest.raises(KeyboardInterrupt):
        with signals.caught():
            _send(signal.SIGINT)
            try:
                signals._note(signal.SIGINT, None)  # as a finaliser or weakref callback would run it
            except KeyboardInterrupt:
                pass  # ... and Python ignores what it raises
            signals.check()


def test_a_signal_held_back_is_delivered_as_the_block_ends():
    before = signal.signal(signal.SIGTERM, signals.on_signal)
    try:
        with pytest.raises(signals.Signalled):
            with signals.deferred():
                _send(signal.SIGTERM)
                held = True  # not raised inside
            pytest.fail("not delivered at the end of the block")
        assert held
    finally:
        signal.signal(signal.SIGTERM, before)
        signals.settle()


def test_a_kill_that_something_swallows_still_ends_the_command_by_it(tmp_path):
    """A kill raised inside an at-fork hook or a finaliser is ignored by Python: the command
    finishes as if nothing had come. The process then ends by the signal all the same."""
    import subprocess
    import sys

    code = """if True:
        import os, signal, sys, time
        from modpack.definition import starter

        real = starter.init

        def swallowing(*args, **kwargs):
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)
            except BaseException:
                pass  # as Python does with what an at-fork hook raises
            return real(*args, **kwargs)

        starter.init = swallowing
        sys.argv = ["modpack", "init", "modul-baru"]
        from modpack.resident.client import main
        main()
    """
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MODPACK_LANG": "en", "MODPACK_SERVER": "off"})
    assert result.returncode == -signal.SIGTERM, (result.returncode, result.stderr)
    assert (tmp_path / "modul-baru" / "module.yaml").exists()  # its work done


def test_a_signal_is_held_back_also_while_other_threads_run():
    """With another thread alive, the system gives a signal to that thread, and Python runs the
    handler in the main thread all the same: a signal mask held nothing back there (CI showed it)."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    before = signal.signal(signal.SIGTERM, signals.on_signal)
    try:
        with pytest.raises(signals.Signalled):
            with signals.deferred():
                _send(signal.SIGTERM)
                held = True
        assert held
    finally:
        stop.set()
        signal.signal(signal.SIGTERM, before)
        signals.settle()


def test_a_signal_right_after_a_raised_one_does_not_cut_its_clean_up_short(monkeypatch):
    monkeypatch.setattr(signals, "CLEAN_UP_GRACE", 0.5)
    monkeypatch.setattr(signals, "_raised_at", None)
    monkeypatch.setattr(signals, "_came", set())
    before = {number: signal.signal(number, signals.on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    cleaned = False
    try:
        with pytest.raises(signals.Signalled):
            try:
                _send(signal.SIGTERM)
            finally:
                _send(signal.SIGINT)  # a Ctrl+C as the kill's clean-up runs: remembered, not raised
                cleaned = True
        assert cleaned and signals.came() == signal.SIGTERM and signal.SIGINT in signals._came
        time.sleep(0.5)
        with pytest.raises(KeyboardInterrupt):  # later, one is raised: a hung clean-up can be interrupted
            _send(signal.SIGINT)
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
    signals.settle()


def test_a_signal_right_after_one_raised_at_a_safe_point_is_only_remembered(monkeypatch):
    """A build's Ctrl+C, noted and raised at its next safe point; a second one as the command line
    says "Aborted!" (its handler back to the command's by then) printed a traceback."""
    monkeypatch.setattr(signals, "_raised_at", None)
    monkeypatch.setattr(signals, "_came", set())
    before = signal.signal(signal.SIGINT, signals.on_signal)
    try:
        with pytest.raises(KeyboardInterrupt):
            with signals.caught():
                _send(signal.SIGINT)
                signals.check()
        _send(signal.SIGINT)  # remembered, not raised
        assert signal.SIGINT in signals._came
    finally:
        signal.signal(signal.SIGINT, before)
    signals.settle()
