"""``pathgrad`` with bad paths and bad options: one line on stderr, exit 1 or 2, no file."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest

import autograd.files
from autograd.command_line.commands import file_error_message, main
from autograd.files import TEMPORARY_SUFFIX

SEED = "x**2 + x*y + (x+y)**2"

# Every command that writes a file, with {target} where the path goes.
WRITERS = {
    "draw svg": ["draw", SEED, "x=3", "y=2", "-o", "{target}.svg"],
    "draw dot": ["draw", SEED, "x=3", "y=2", "-o", "{target}.dot"],
    "steps html": ["steps", "x*y", "x=3", "y=2", "--html", "{target}.html"],
    "steps frames": ["steps", "x*y", "x=3", "y=2", "--frames", "{target}"],
}


def run(arguments: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str]:
    """Exit code and stderr of ``pathgrad arguments``, in this process."""
    try:
        code = main(arguments)
    except SystemExit as exited:
        code = exited.code  # type: ignore[assignment]
    return code, capsys.readouterr().err


def everything_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def assert_one_line(error: str, *expected: str) -> None:
    assert error.startswith("pathgrad: error: cannot write "), error
    assert error.count("\n") == 1 and "Traceback" not in error, error
    for text in expected:
        assert text in error, (text, error)


def fill(arguments: list[str], target: str) -> list[str]:
    return [word.replace("{target}", target) for word in arguments]


# ---------------------------------------------------------------- real file-system errors
@pytest.mark.parametrize("command", ["draw svg", "draw dot", "steps html"])
def test_a_target_that_is_a_folder(command: str, workdir: Path, capsys) -> None:
    arguments = fill(WRITERS[command], "taken")
    name = next(word for word in arguments if word.startswith("taken"))
    (workdir / name).mkdir()
    (workdir / name / "keep.txt").write_text("mine")
    code, error = run(arguments, capsys)
    assert code == 1
    assert_one_line(error, repr(name), "is a folder, not a file", "give a file name")
    assert everything_under(workdir) == [name, f"{name}/keep.txt"]


def test_a_frames_folder_that_is_a_file(workdir: Path, capsys) -> None:
    (workdir / "taken").write_text("mine")
    code, error = run(fill(WRITERS["steps frames"], "taken"), capsys)
    assert code == 1
    assert_one_line(error, "'taken' is a file, not a folder", "choose another folder")
    assert everything_under(workdir) == ["taken"]


@pytest.mark.parametrize("command", WRITERS)
def test_a_name_too_long(command: str, workdir: Path, capsys) -> None:
    code, error = run(fill(WRITERS[command], "n" * 300), capsys)
    assert code == 1
    assert_one_line(error, "'nnnnn", "too long", "bytes a name here", "use a shorter name")
    assert everything_under(workdir) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
@pytest.mark.parametrize("command", WRITERS)
def test_a_folder_that_takes_no_files(command: str, workdir: Path, capsys) -> None:
    code, error = run(fill(WRITERS[command], "/proc/self/g"), capsys)
    assert code == 1
    assert_one_line(error, "'/proc/self/g", "'/proc/self'", "save in an ordinary folder")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
@pytest.mark.parametrize("command", ["steps html", "steps frames"])
def test_steps_that_cannot_write_print_no_table(command: str, workdir: Path, capsys) -> None:
    """The files are written before the table is printed: a failure is the only output."""
    try:
        code = main(fill(WRITERS[command], "/proc/self/fr"))
    except SystemExit as exited:
        code = exited.code
    printed = capsys.readouterr()
    assert code == 1 and printed.out == "" and printed.err.count("\n") == 1
    assert main(fill(WRITERS[command], "good")) == 0
    out = capsys.readouterr().out
    assert out.index("Backward pass") < out.index("wrote ")  # the table, then what was written


@pytest.mark.parametrize("command", ["draw svg", "steps html"])
def test_a_file_in_the_way_of_a_folder(command: str, workdir: Path, capsys) -> None:
    (workdir / "notes.txt").write_text("mine")
    code, error = run(fill(WRITERS[command], "notes.txt/deeper/g"), capsys)
    assert code == 1
    assert_one_line(error, "'notes.txt' is a file, not a folder", "choose another folder")
    assert everything_under(workdir) == ["notes.txt"]


# ---------------------------------------------------------------- simulated ones
# Permission denied is simulated: the suite runs as root in CI, and root may write in
# a folder without write permission.
def _refuse_temporaries(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Creating pathgrad's temporary files fails with ``code``, as on such a folder."""
    real_open = os.open

    def failing_open(path, flags, *arguments, **keywords):
        if os.fspath(path).endswith(TEMPORARY_SUFFIX) and flags & os.O_CREAT:
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real_open(path, flags, *arguments, **keywords)

    monkeypatch.setattr(autograd.files.os, "open", failing_open)


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_read_only_and_forbidden_folders(
    command: str, code: int, expected: str, workdir: Path, capsys, monkeypatch
) -> None:
    _refuse_temporaries(monkeypatch, code)
    exit_code, error = run(fill(WRITERS[command], "out/g"), capsys)
    assert exit_code == 1
    assert_one_line(error, "'out/g", expected, "out'")
    assert [path for path in workdir.rglob("*") if not path.is_dir()] == []  # no file at all


@pytest.mark.parametrize("command", WRITERS)
def test_a_full_disk_leaves_no_file(command: str, workdir: Path, capsys, monkeypatch) -> None:
    """os.write to a regular file fails with ENOSPC, as when the disk fills up mid-file."""
    real_write = os.write

    def full_disk(descriptor: int, data) -> int:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(autograd.files.os, "write", full_disk)
    (workdir / "old.svg").write_bytes(b"the old picture")
    arguments = fill(WRITERS[command], "old")
    code, error = run(arguments, capsys)
    assert code == 1
    assert_one_line(error, "'old", "the disk is full", "free some space")
    assert [path for path in everything_under(workdir) if path != "old"] == ["old.svg"]
    assert (workdir / "old.svg").read_bytes() == b"the old picture"


def test_the_message_names_the_target_not_the_temporary_file() -> None:
    error = OSError(errno.ENOSPC, "No space left on device", "/x/.g.svg.0123.pathgrad-tmp")
    message = file_error_message(error, "/x/g.svg")
    assert message.startswith("cannot write '/x/g.svg': ") and TEMPORARY_SUFFIX not in message
    unknown = file_error_message(OSError(errno.EIO, "Input/output error"), "g.svg")
    assert "Input/output error" in unknown and "save somewhere else" in unknown


def test_ctrl_c_is_one_line_and_exit_130(workdir: Path, capsys, monkeypatch) -> None:
    from autograd.views import rendering

    def interrupted(*arguments, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(rendering, "render", interrupted)
    code, error = run(["draw", "x*y", "x=3", "y=2", "-o", "g.svg"], capsys)
    assert (code, error) == (130, "pathgrad: stopped (Ctrl-C)\n")
    assert everything_under(workdir) == []


# ---------------------------------------------------------------- all or none, found first
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_steps_frames_and_a_page_are_written_together_or_not_at_all(
    workdir: Path, capsys, monkeypatch
) -> None:
    """A page that cannot be written is found before any frame is drawn, and the
    frames folder is not made: nothing is left."""
    import autograd.views.export as export

    def never(*arguments, **keywords):
        raise AssertionError("rendered before the targets were checked")

    monkeypatch.setattr(export, "steps_files", never)
    arguments = ["steps", "x*y", "x=3", "y=2", "--frames", "fr", "--html", "/proc/self/p.html"]
    code, error = run(arguments, capsys)
    assert code == 1 and "'/proc/self/p.html'" in error and everything_under(workdir) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_a_sheet_and_its_solutions_are_written_together_or_not_at_all(workdir, capsys) -> None:
    arguments = ["sheet", "--count", "1", "-o", "a.html", "--solutions", "/proc/self/s.html"]
    code, error = run(arguments, capsys)
    assert code == 1 and "/proc/self/s.html" in error and everything_under(workdir) == []


def test_a_full_disk_leaves_no_new_folder(workdir: Path, capsys, monkeypatch) -> None:
    real_write = os.write

    def full_disk(descriptor: int, data) -> int:
        if stat.S_ISREG(os.fstat(descriptor).st_mode) and len(data) > 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(autograd.files.os, "write", full_disk)
    code, error = run(["steps", "x*y", "x=3", "y=2", "--frames", "new/deeper"], capsys)
    assert code == 1 and "disk is full" in error and everything_under(workdir) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["draw", "x", "x=" + "a" * 5000, "-o", "t.dot"],
        ["draw", "x", "x=1", "--bogus" + "b" * 3000, "-o", "t.dot"],
        ["paths", "x*y", "x=1", "y=2", "--wrt", "w" * 3000],
        ["sheet", "--seed", "7" * 5000, "-o", "s.html"],
    ],
)
def test_echoed_input_is_cut_in_every_message(arguments, workdir: Path, capsys) -> None:
    code, error = run(arguments, capsys)
    assert code == 2 and error.count("\n") == 1 and len(error) < 400, error
    assert everything_under(workdir) == []


def test_what_python_would_drop_or_read_loosely_is_refused(workdir: Path, capsys) -> None:
    for arguments, expected in (
        (["draw", "x # + y", "x=1", "y=2", "-o", "u.dot"], "would make the rest a comment"),
        (["draw", "x", "x=١٢", "-o", "u.dot"], "not a number"),
        (["draw", "x", "x=1", "-o", "x.png/"], "names a folder"),
    ):
        code, error = run(arguments, capsys)
        assert code == 2 and expected in error, error
    assert everything_under(workdir) == []


def test_a_file_name_with_a_new_line_is_quoted_in_the_wrote_line(workdir: Path, capsys) -> None:
    assert main(["draw", "x", "x=1", "-o", "two\nlines.dot"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and "'two\\nlines.dot'" in printed


def test_more_inputs_that_mislead_get_their_own_line(workdir: Path, capsys) -> None:
    (workdir / "same").symlink_to(workdir, target_is_directory=True)
    (workdir / "fr" / "steps.gif").mkdir(parents=True)  # a folder where the GIF goes
    cases = [
        (["sheet", "--count", "1", "-o", "a.md", "--solutions", "same/a.md"], 2, "another file"),
        (["steps", "x*y", "x=1", "y=2", "--frames", "fr"], 1, "'fr/steps.gif'"),
        (["draw", "x", "x=1", "--wrt", "\x1b[31mRED", "-o", "t.dot"], 2, "\\x1b[31mRED"),
        (["draw", "x", "max=3", "x=1", "-o", "t.dot"], 2, "'max' is a function name"),
        (["compile", "x", "x=" + "1 " * 2000], 2, "not a number"),
        (["steps", "*".join(["(x+y)"] * 166), "x=1", "y=2", "--html", "p.html"], 2, "smaller"),
    ]
    for arguments, exit_code, expected in cases:
        code, error = run(arguments, capsys)
        assert code == exit_code and expected in error, (arguments[:3], error)
        assert error.count("\n") == 1 and len(error) < 1100 and "\x1b" not in error
        assert "max_cards" not in error
    assert sorted(everything_under(workdir)) == ["fr", "fr/steps.gif", "same"]


def test_wrt_is_read_as_the_bindings_are(workdir: Path, capsys) -> None:
    assert main(["paths", "é*2", "é=3", "--wrt", "e\u0301"]) == 0
    assert "∂f/∂é = 2" in capsys.readouterr().out


def test_an_unknown_extension_lists_every_one_a_drawing_takes(workdir: Path, capsys) -> None:
    from autograd import Value
    from autograd.views.drawing import draw

    code, error = run(["draw", "x", "x=1", "-o", "graph.xyz"], capsys)
    assert code == 2 and error.count("\n") == 1
    assert "'graph.xyz'" in error and ".svg, .png" in error and "or .tex (a TikZ picture)" in error
    with pytest.raises(ValueError, match=r"\.gv, or \.tex \(a TikZ picture\)$"):
        draw(Value(1.0)).save(workdir / "graph.bmp")
    assert everything_under(workdir) == []
