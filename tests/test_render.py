"""autograd.views.rendering: the system dot when present, else the pip-installed graphviz-pure."""

from __future__ import annotations

import base64
import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from autograd.views import rendering

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIMPLE = "digraph { a [label=<∂f/∂x &lt;σ&gt;>]; a -> b [label=<2x = 6>] }"


@pytest.fixture
def no_system_dot(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """PATH with neither a system dot nor the virtual environment's bin folder."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def system_renderer() -> rendering.Renderer:
    found = [item for item in rendering.available_renderers() if item.kind == "system"]
    if not found or shutil.which("dot") is None:
        pytest.skip("no system Graphviz 'dot' on PATH")
    return found[0]


def test_pip_renderer_is_used_and_found_without_path(no_system_dot: None) -> None:
    description = rendering.renderer()
    assert description.startswith("graphviz-pure ")
    assert rendering.find_renderer().kind == "graphviz-pure"
    assert os.path.isabs(rendering.find_renderer().executable)


def test_pip_renderer_writes_svg_with_unicode_and_html_labels(no_system_dot: None) -> None:
    svg = rendering.render(SIMPLE, "svg").decode("utf-8")
    assert "<svg" in svg
    assert "∂f/∂x &lt;σ&gt;" in svg
    assert "2x = 6" in svg


def test_pip_renderer_writes_png(no_system_dot: None) -> None:
    assert rendering.render(SIMPLE, "png").startswith(PNG_SIGNATURE)


def test_pip_renderer_writes_pdf_through_svglib(no_system_dot: None, tmp_path) -> None:
    import zlib

    written = rendering.save(SIMPLE, tmp_path / "graph.pdf")
    data = written.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b(?!s)", data)) == 1
    streams = re.findall(rb"stream\r?\n(.*?)endstream", data, flags=re.DOTALL)
    # reportlab writes page streams ASCII85- then Flate-encoded; an embedded font
    # (the ∂ and σ of the label are set in DejaVu Sans) is another kind of stream.
    text = b""
    for stream in streams:
        try:
            text += zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>")))
        except (ValueError, zlib.error):
            continue
    assert b"2x = 6" in text  # the label is text in the PDF, not pixels


def test_text_the_standard_pdf_fonts_lack_is_set_in_the_shipped_dejavu(no_system_dot) -> None:
    """ŷ, the ₁ of θ₁ and ẋ have no glyph in Helvetica or Symbol (reportlab drew a
    black box): those strings, and only those, are set in DejaVu Sans, embedded in
    the PDF, and no wider than the layout made room for."""
    from reportlab.graphics.shapes import Group, String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from autograd import Value, draw

    y_hat, theta = Value(0.5, label="ŷ"), Value(2.0, label="θ₁")
    root = (y_hat * theta - 1.0).sigmoid().tanh()
    root.label = "ẋ"
    svg = rendering.render(draw(root).source, "svg")
    strings, groups = {}, [rendering.svg_drawing(svg)]
    while groups:
        for item in groups.pop().contents:
            if isinstance(item, Group):
                groups.append(item)
            elif isinstance(item, String):
                strings[item.text] = (item.fontName, item.fontSize)
    assert {strings[text][0] for text in ("ŷ", "θ₁", "ẋ")} == {"PathgradSans-Bold"}  # titles
    assert strings["data"][0] == strings["tanh"][0] == "Helvetica"
    assert strings["σ"][0] == strings["– 1"][0] == "Helvetica"  # Symbol's σ; − as an en dash
    assert not any("−" in text for text in strings)
    original = strings["sub1"][1]  # the size of the other card titles
    for text, stand_in in (("ŷ", "o"), ("θ₁", "θo"), ("ẋ", "o")):
        name, size = strings[text]
        assert size <= original
        room = stringWidth(stand_in, "Helvetica-Bold", original)
        assert stringWidth(text, name, size) <= room + 1e-9
    assert strings["ŷ"][1] < original  # DejaVu's ŷ is wider than Helvetica's o
    pdf = rendering.svg_to_pdf(svg)
    assert b"DejaVuSans-Bold" in pdf and b"FontFile2" in pdf  # embedded, not looked up


def test_pip_renderer_without_svglib_refuses_pdf_with_advice(
    no_system_dot: None, tmp_path, monkeypatch
) -> None:
    pure = rendering._pure_renderer()
    without_pdf = dataclasses.replace(pure, formats=tuple(f for f in pure.formats if f != "pdf"))
    monkeypatch.setattr(rendering, "_pure_renderer", lambda: without_pdf)
    with pytest.raises(rendering.RenderError, match="Save as .svg or .png"):
        rendering.save(SIMPLE, tmp_path / "graph.pdf")
    assert not (tmp_path / "graph.pdf").exists()


def test_system_renderer_writes_svg_and_png() -> None:
    system = system_renderer()
    assert rendering.renderer().startswith("system dot ")
    svg = rendering.render(SIMPLE, "svg", using=system).decode("utf-8")
    assert "2x = 6" in svg
    assert rendering.render(SIMPLE, "png", using=system).startswith(PNG_SIGNATURE)


def test_save_makes_folders_and_leaves_no_temporary_file(no_system_dot: None, tmp_path) -> None:
    target = tmp_path / "deep" / "er" / "graph.svg"
    written = rendering.save(SIMPLE, target)
    assert written == target
    assert target.read_bytes().lstrip().startswith(b"<?xml")
    assert sorted(path.name for path in target.parent.iterdir()) == ["graph.svg"]


def test_save_dot_writes_the_source_without_any_renderer(tmp_path, monkeypatch) -> None:
    def no_renderer(*arguments, **keywords):
        raise AssertionError("a .dot file needs no renderer")

    monkeypatch.setattr(rendering, "render", no_renderer)
    rendering.save(SIMPLE, tmp_path / "graph.dot")
    rendering.save(SIMPLE, tmp_path / "graph.gv")
    assert (tmp_path / "graph.dot").read_text(encoding="utf-8") == SIMPLE
    assert (tmp_path / "graph.gv").read_text(encoding="utf-8") == SIMPLE


def test_format_comes_from_the_extension() -> None:
    assert rendering.format_from_path("a/b/Graph.PNG") == "png"
    assert rendering.format_from_path("graph.svg") == "svg"
    with pytest.raises(ValueError, match=r"\.txt.*extension"):
        rendering.format_from_path("graph.txt")


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "graph.dot"
    target.write_text("old", encoding="utf-8")

    def broken_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(rendering.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        rendering.save(SIMPLE, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["graph.dot"]


def test_broken_dot_source_is_a_render_error(no_system_dot: None) -> None:
    with pytest.raises(rendering.RenderError, match="failed to render svg"):
        rendering.render("digraph { a -> }", "svg")


def test_no_renderer_at_all_says_what_to_install(monkeypatch, no_system_dot: None) -> None:
    monkeypatch.setattr(rendering, "_pure_renderer", lambda: None)
    with pytest.raises(rendering.RenderError, match="pip install pathgrad"):
        rendering.renderer()


@pytest.mark.skipif(os.name == "nt", reason="the fake dot is a shell script")
def test_a_failing_system_dot_falls_back_to_the_pip_renderer(tmp_path, monkeypatch, capsys) -> None:
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir()
    fake_dot = fake_bin / "dot"
    # Answers -V like Graphviz but cannot render: a broken or minimal install.
    fake_dot.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-V" ]; then echo "dot - graphviz version 9.9.9 (0)" >&2; exit 0; fi\n'
        'echo "Format: png not recognized" >&2\nexit 1\n'
    )
    fake_dot.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_bin))
    assert rendering.renderer().startswith("system dot 9.9.9")
    assert rendering.render(SIMPLE, "png").startswith(PNG_SIGNATURE)
    assert rendering.last_renderer().startswith("graphviz-pure")  # who really drew it
    from autograd.command_line.commands import main

    target = tmp_path / "g.png"
    capsys.readouterr()
    assert main(["draw", "x*y", "x=3", "y=2", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    printed = capsys.readouterr().out
    assert "(graphviz-pure" in printed and "9.9.9" not in printed  # the one that drew it
    system = rendering.find_renderer()
    with pytest.raises(rendering.RenderError, match="png not recognized"):
        rendering.render(SIMPLE, "png", using=system)


@pytest.mark.parametrize("kind", ["graphviz-pure", "system"])
def test_every_renderer_accepts_a_drawing_of_a_lone_leaf(kind, monkeypatch, tmp_path) -> None:
    """A leaf root has no op text; its card must still be valid for Graphviz 2.43."""
    from autograd import Value, draw

    if kind == "system":
        using = system_renderer()
    else:
        monkeypatch.setenv("PATH", str(tmp_path))
        using = rendering.find_renderer()
        assert using.kind == "graphviz-pure"
    svg = rendering.render(draw(Value(2.0, label="w")).source, "svg", using=using)
    assert b">w<" in svg and b">2<" in svg


# ---------------------------------------------------------------- time limits and child processes
def _sleeping_renderer(tmp_path) -> rendering.Renderer:
    """A renderer that never finishes: a stand-in for a layout taking minutes."""
    program = tmp_path / "slow-dot"
    program.write_text("#!/bin/sh\nexec sleep 300\n")
    program.chmod(0o755)
    return rendering.Renderer("system", str(program), "0", ("svg", "png"))


def _is_gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for its new parent counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as status:
            return status.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return True


def _wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _renderer_children(pid: int) -> list[int]:
    """The children of ``pid`` drawing a picture (not a quick ``-V`` version probe)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="utf-8") as listed:
            children = [int(word) for word in listed.read().split()]
    except FileNotFoundError:
        return []
    drawing = []
    for child in children:
        try:
            with open(f"/proc/{child}/cmdline", "rb") as command:
                if b"-Tsvg" in command.read().split(b"\0"):
                    drawing.append(child)
        except FileNotFoundError:
            continue
    return drawing


linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not os.path.exists("/proc/self/stat"),
    reason="looks processes up in /proc",
)


def test_the_default_time_limit_is_well_under_a_minute() -> None:
    assert 0 < rendering.RENDER_TIMEOUT_SECONDS <= 30
    assert rendering.current_time_limit() == rendering.RENDER_TIMEOUT_SECONDS


@linux_only
def test_a_renderer_past_its_time_limit_is_stopped_and_killed(tmp_path, monkeypatch) -> None:
    started: list[int] = []
    real_popen = subprocess.Popen

    def recording_popen(*arguments, **keywords):
        process = real_popen(*arguments, **keywords)
        started.append(process.pid)
        return process

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    slow = _sleeping_renderer(tmp_path)
    with pytest.raises(
        rendering.RenderTimeout, match=r"more than 0\.2 s .* allow it longer"
    ) as caught:
        rendering.render(SIMPLE, "svg", using=slow, timeout=0.2)
    assert caught.value.seconds == 0.2 and caught.value.renderer == slow
    assert "\n" not in str(caught.value)
    assert len(started) == 1 and _is_gone(started[0])


def test_time_limit_applies_to_everything_rendered_inside(tmp_path) -> None:
    slow = _sleeping_renderer(tmp_path)
    with rendering.time_limit(0.1):
        assert rendering.current_time_limit() == 0.1
        with pytest.raises(rendering.RenderTimeout) as caught:
            rendering.render(SIMPLE, "svg", using=slow)
    assert caught.value.seconds == 0.1
    assert rendering.current_time_limit() == rendering.RENDER_TIMEOUT_SECONDS
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="positive number of seconds"):
            rendering.render(SIMPLE, "svg", using=slow, timeout=bad)


def test_a_timeout_is_not_retried_with_the_next_renderer(tmp_path, monkeypatch) -> None:
    slow = _sleeping_renderer(tmp_path)
    tried: list[rendering.Renderer] = []

    def both(format):
        return [slow, slow]

    real = rendering._render_with

    def counting(chosen, *arguments):
        tried.append(chosen)
        return real(chosen, *arguments)

    monkeypatch.setattr(rendering, "renderers_for", both)
    monkeypatch.setattr(rendering, "_render_with", counting)
    with pytest.raises(rendering.RenderTimeout):
        rendering.render(SIMPLE, "svg", timeout=0.1)
    assert len(tried) == 1


@linux_only
def test_ctrl_c_while_rendering_kills_the_renderer(tmp_path, monkeypatch) -> None:
    started: list[int] = []

    def interrupted(self, *arguments, **keywords):
        started.append(self.pid)
        raise KeyboardInterrupt

    monkeypatch.setattr(subprocess.Popen, "communicate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rendering.render(SIMPLE, "svg", using=_sleeping_renderer(tmp_path), timeout=60)
    assert len(started) == 1
    assert _wait_until(lambda: _is_gone(started[0]), 10)


@linux_only
def test_kill_9_of_pathgrad_also_ends_the_renderer(tmp_path) -> None:
    """The renderer gets SIGKILL from the kernel when pathgrad dies (PR_SET_PDEATHSIG)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    # Just under draw's fast-layout threshold: seconds of layout in the pip renderer.
    slow_sum = " + ".join(["x"] * 90)
    process = subprocess.Popen(
        [sys.executable, "-m", "autograd", "draw", slow_sum, "x=1", "-o", "g.svg"]
        + ["--timeout", "600"],
        cwd=tmp_path,
        env={**os.environ, "PATH": str(empty)},  # the pip renderer, as a new user has it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    renderers: list[int] = []
    try:
        assert _wait_until(
            lambda: bool(renderers.extend(_renderer_children(process.pid)) or renderers), 60
        )
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert _wait_until(lambda: all(_is_gone(pid) for pid in renderers), 10), (
            "the renderer outlived pathgrad"
        )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for pid in renderers:
            if not _is_gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_renderers_for_says_who_can_write_a_format(no_system_dot: None, tmp_path) -> None:
    assert [found.kind for found in rendering.renderers_for("svg")] == ["graphviz-pure"]
    assert [found.kind for found in rendering.renderers_for("pdf")] == ["graphviz-pure"]
    rendering.check_can_write(tmp_path / "g.pdf")  # graphviz-pure's SVG, through svglib
    with pytest.raises(rendering.RenderError, match=r"no renderer here can write TIFF.*graphviz"):
        rendering.check_can_render("tiff")
    rendering.check_can_write(tmp_path / "g.svg")
    rendering.check_can_write(tmp_path / "g.dot")
    assert rendering.render_format("g.JPG") == "jpeg" and rendering.render_format("g.gv") is None


@pytest.mark.parametrize("kind", ["graphviz-pure", "system"])
def test_pdf_pictures_carry_no_clock_time(kind, monkeypatch, tmp_path) -> None:
    """Same graph, same bytes: cairo (system dot) and reportlab (graphviz-pure) both
    stamp the time; every date is set to 2000-01-01."""
    if kind == "system":
        using = system_renderer()
    else:
        monkeypatch.setenv("PATH", str(tmp_path))
        using = rendering.find_renderer()
    pdf = rendering.render(SIMPLE, "pdf", using=using)
    dates = re.findall(rb"/(?:Creation|Mod)Date \(D:(\d{14})", pdf)
    assert dates and set(dates) == {b"20000101000000"}
    assert rendering.render(SIMPLE, "pdf", using=using) == pdf
