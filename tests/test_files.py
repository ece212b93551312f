"""Atomic file writes: folders made, usual permissions, nothing half-written."""

from __future__ import annotations

import os
import stat
import threading
import time

import pytest

import autograd.files as files
from autograd.files import (
    STALE_TEMPORARY_SECONDS,
    TEMPORARY_SUFFIX,
    write_all_atomically,
    write_atomically,
)


@pytest.fixture
def umask():
    """A known umask for the test (set before any thread starts, restored after)."""
    old = os.umask(0o022)
    yield 0o022
    os.umask(old)


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_writes_into_new_folders_with_the_usual_permissions(tmp_path, umask):
    target = tmp_path / "deep" / "er" / "page.html"
    written = write_atomically(target, b"<p>hi</p>")
    assert written == target and target.read_bytes() == b"<p>hi</p>"
    assert mode_of(target) == 0o666 & ~umask


def test_the_umask_is_never_read_or_changed(tmp_path, monkeypatch):
    def refuse(mask):
        raise AssertionError("write_atomically must not touch the process-wide umask")

    monkeypatch.setattr(os, "umask", refuse)
    write_atomically(tmp_path / "new.svg", b"<svg/>")
    write_atomically(tmp_path / "new.svg", b"<svg></svg>")
    assert (tmp_path / "new.svg").read_bytes() == b"<svg></svg>"


def test_overwriting_keeps_the_old_files_mode(tmp_path, umask):
    for mode in (0o600, 0o640, 0o444, 0o777):
        target = tmp_path / f"kept-{mode:o}.json"
        target.write_bytes(b"old")
        os.chmod(target, mode)
        write_atomically(target, b"new")
        assert target.read_bytes() == b"new"
        assert mode_of(target) == mode  # 0o777 too, though the umask would take 0o022


def test_the_temporary_file_is_never_more_open_than_the_target(tmp_path, monkeypatch):
    target = tmp_path / "secret.json"
    target.write_bytes(b"old")
    os.chmod(target, 0o600)
    created = []
    real_open = os.open

    def spy(path, flags, mode=0o777, **kwargs):
        if os.fspath(path).endswith(TEMPORARY_SUFFIX):
            created.append(mode)
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    write_atomically(target, b"new")
    assert created and all(mode & ~0o600 == 0 for mode in created)


def test_threads_saving_and_opening_files_get_the_expected_modes(tmp_path, umask):
    """Eight threads save 150 files each (new ones and 0o600 ones overwritten) while
    another thread keeps creating files with open(): every mode is the expected one.

    A umask changed for a moment shows up here only sometimes (a race); the test
    above catches any use of os.umask every time."""
    expected_new = 0o666 & ~umask
    private = tmp_path / "private"
    private.mkdir()
    for index in range(8 * 150):
        path = private / f"p{index}.json"
        path.write_bytes(b"old")
        os.chmod(path, 0o600)
    wrong: list[str] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def saver(number):
        try:
            for index in range(150):
                new = write_atomically(tmp_path / f"t{number}" / f"f{index}.svg", b"x" * 64)
                if mode_of(new) != expected_new:
                    wrong.append(f"{new}: {mode_of(new):o}")
                kept = write_atomically(private / f"p{number * 150 + index}.json", b"new")
                if mode_of(kept) != 0o600:
                    wrong.append(f"{kept}: {mode_of(kept):o}")
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    def opener():
        count = 0
        while not done.is_set() or count < 200:
            path = tmp_path / f"opened-{count}.txt"
            with open(path, "w") as handle:
                handle.write("x")
            if mode_of(path) != expected_new:
                wrong.append(f"{path}: {mode_of(path):o}")
            count += 1

    savers = [threading.Thread(target=saver, args=(number,)) for number in range(8)]
    watcher = threading.Thread(target=opener)
    watcher.start()
    for thread in savers:
        thread.start()
    for thread in savers:
        thread.join(timeout=120)
    done.set()
    watcher.join(timeout=120)
    assert not any(thread.is_alive() for thread in [*savers, watcher])
    assert errors == []
    assert wrong == []
    leftovers = [path for path in tmp_path.rglob("*") if path.name.endswith(TEMPORARY_SUFFIX)]
    assert leftovers == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "frame.png"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["frame.png"]


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failure_at_any_step_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path, monkeypatch, failing
):
    target = tmp_path / "model.json"
    target.write_bytes(b"old")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["model.json"]


def test_a_folder_as_target_is_refused_and_left_alone(tmp_path):
    (tmp_path / "graph.svg").mkdir()
    with pytest.raises(IsADirectoryError, match="graph.svg"):
        write_atomically(tmp_path / "graph.svg", b"<svg/>")
    assert [path.name for path in tmp_path.iterdir()] == ["graph.svg"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="names descriptors via /proc")
def test_the_file_is_synced_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        real_fsync(descriptor)

    def replace(source, destination):
        events.append(("replace", os.fspath(destination)))
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "steps.html"
    write_atomically(target, b"<html></html>")
    assert [kind for kind, _ in events] == ["fsync", "replace", "fsync"]
    assert events[0][1].endswith(TEMPORARY_SUFFIX)
    assert events[1][1] == str(target)
    assert events[2][1] == str(tmp_path)


def test_temporary_names_are_recognisable_and_short(tmp_path, monkeypatch):
    names = []
    real_open = os.open

    def spy(path, flags, mode=0o777, **kwargs):
        if flags & os.O_CREAT:
            names.append(os.path.basename(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    write_atomically(tmp_path / "graph.svg", b"<svg/>")
    write_atomically(tmp_path / ("n" * 200 + ".svg"), b"<svg/>")
    short, long = names
    assert short.startswith(".graph.svg.") and short.endswith(".pathgrad-tmp")
    assert long.startswith("." + "n" * files.TEMPORARY_NAME_PART + ".")
    assert len(long) <= 71


@pytest.mark.parametrize(
    "name",
    [
        "g" * 246 + ".svg",  # 250 characters
        "g" * 251 + ".svg",  # 255: the longest name Linux allows
        "é" * 125 + ".svg",  # 254 bytes in UTF-8: the temporary name counts bytes too
    ],
)
def test_a_long_valid_target_name_saves(tmp_path, name):
    written = write_atomically(tmp_path / name, b"<svg/>")
    assert written.read_bytes() == b"<svg/>"
    assert os.listdir(tmp_path) == [name]


def test_a_later_save_removes_stale_temporaries_of_the_same_target(tmp_path):
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    stale = tmp_path / ".moons.json.0123456789abcdef.pathgrad-tmp"  # a killed save's
    recent = tmp_path / ".moons.json.fedcba9876543210.pathgrad-tmp"  # maybe still running
    other = tmp_path / ".other.json.0123456789abcdef.pathgrad-tmp"  # another target's
    lookalike = tmp_path / ".moons.json.notours.pathgrad-tmp"  # not a name we make
    for path in (stale, recent, other, lookalike):
        path.write_bytes(b"x" * 2048)
    for path in (stale, other, lookalike):
        os.utime(path, (old, old))
    write_atomically(tmp_path / "moons.json", b"{}")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["moons.json", recent.name, other.name, lookalike.name]
    )


def test_stale_temporaries_of_a_long_name_are_found(tmp_path):
    name = "m" * 240 + ".json"
    part = "m" * files.TEMPORARY_NAME_PART
    stale = tmp_path / f".{part}.0123456789abcdef.pathgrad-tmp"
    stale.write_bytes(b"x")
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    os.utime(stale, (old, old))
    write_atomically(tmp_path / name, b"{}")
    assert os.listdir(tmp_path) == [name]


# ---------------------------------------------------------------- several files, all or none
def test_several_files_are_written_in_order_and_returned(tmp_path):
    contents = {tmp_path / "new" / f"step_{index}.png": bytes([index]) * 10 for index in range(3)}
    assert write_all_atomically(contents) == list(contents)
    assert [path.read_bytes() for path in contents] == list(contents.values())


@pytest.mark.parametrize("failing_at", [0, 2, 3])
def test_a_write_failing_part_way_leaves_every_file_as_it_was(tmp_path, monkeypatch, failing_at):
    """A full disk at the third frame, or a folder in the GIF's place: nothing moves."""
    old = {tmp_path / f"step_{index}.png": b"old" for index in range(2)}
    for path, data in old.items():
        path.write_bytes(data)
    contents = {tmp_path / f"step_{index}.png": b"new" for index in range(4)}
    (tmp_path / "steps.gif").mkdir()  # in the way of the last file
    contents[tmp_path / "steps.gif"] = b"GIF89a"
    real_write, calls = os.write, []

    def write(descriptor, data):
        calls.append(descriptor)
        if len(calls) == failing_at + 1:
            raise OSError(28, "No space left on device")
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", write)
    with pytest.raises((OSError, IsADirectoryError)):
        write_all_atomically(contents)
    monkeypatch.undo()
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["step_0.png", "step_1.png", "steps.gif"]
    assert all(path.read_bytes() == b"old" for path in old)


def test_a_named_pipe_is_never_replaced(tmp_path):
    target = tmp_path / "out.png"
    os.mkfifo(target)
    with pytest.raises(OSError, match="named pipe, not a regular file"):
        write_atomically(target, b"png")
    assert stat.S_ISFIFO(os.stat(target).st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["out.png"]


def test_a_file_we_may_not_write_is_left_as_it_is(tmp_path, monkeypatch):
    """As `echo > file` refuses a read-only file, a save does (simulated: CI is root,
    and root may write anything)."""
    target = tmp_path / "graph.png"
    target.write_bytes(b"old")
    real_access = os.access
    monkeypatch.setattr(
        files.os, "access", lambda path, mode: False if path == target else real_access(path, mode)
    )
    with pytest.raises(PermissionError, match="read-only"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["graph.png"]


def test_a_failed_write_leaves_no_folders_it_made(tmp_path):
    (tmp_path / "kept").mkdir()
    for target in (
        tmp_path / "new" / "deeper" / ("x" * 300 + ".json"),  # a name too long
        tmp_path / "kept" / "new" / ("x" * 300 + ".json"),
    ):
        with pytest.raises(OSError):
            write_atomically(target, b"{}")
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["kept"]
