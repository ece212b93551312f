"""save_steps: frames, GIF and the self-contained HTML page."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from autograd.command_line.demo import seed_graph
from autograd.views.export import FRAME_SECONDS, LAST_FRAME_SECONDS, save_steps


@pytest.fixture(scope="module", params=["pip", "system"])
def frames_folder(request, tmp_path_factory):
    """The seed graph's frames, drawn by graphviz-pure (system dot hidden) or system dot."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "pip":
            patch.setenv("PATH", str(tmp_path_factory.mktemp("no_dot")))
        elif shutil.which("dot") is None:
            pytest.skip("no system Graphviz 'dot' on PATH")
        f, _, _ = seed_graph()
        folder = tmp_path_factory.mktemp(f"export_{request.param}") / "new" / "frames"
        yield folder, save_steps(f, folder)


def test_one_png_per_step_and_a_gif(frames_folder):
    folder, written = frames_folder
    names = [path.name for path in written]
    assert names == [f"step_0{number}.png" for number in range(1, 9)] + ["steps.gif"]
    assert all(path.parent == folder and path.stat().st_size > 1000 for path in written)


def test_pngs_have_one_size_and_the_gif_one_frame_per_step(frames_folder):
    _, written = frames_folder
    sizes = {Image.open(path).size for path in written[:-1]}
    assert len(sizes) == 1
    gif = Image.open(written[-1])
    assert gif.n_frames == 8
    assert gif.size == sizes.pop()
    durations = []
    for index in range(gif.n_frames):
        gif.seek(index)
        durations.append(gif.info["duration"])
        assert gif.convert("RGB").getpixel((2, 2)) == (255, 255, 255)  # white, not tinted
    assert durations == [FRAME_SECONDS * 1000] * 7 + [LAST_FRAME_SECONDS * 1000]


def test_frames_differ_and_output_is_deterministic(frames_folder, tmp_path):
    folder, written = frames_folder
    contents = [path.read_bytes() for path in written]
    assert len(set(contents[:-1])) == 8  # every step changes the picture
    f, _, _ = seed_graph()
    with pytest.MonkeyPatch.context() as patch:
        if "export_pip" in str(folder):  # the same renderer as the fixture
            patch.setenv("PATH", str(tmp_path))
        again = save_steps(f, tmp_path / "again")
    assert [path.read_bytes() for path in again] == contents


def test_svg_frames(tmp_path):
    f, _, _ = seed_graph()
    written = save_steps(f, tmp_path, format="svg")
    assert [path.suffix for path in written] == [".svg"] * 8 + [".gif"]
    assert written[0].read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.parametrize("format", ["png", "svg"])
def test_a_frame_failing_part_way_writes_no_file(tmp_path, monkeypatch, format):
    from autograd.views.stepper import StepFrames

    real_picture = StepFrames.picture

    def picture(self, index, picture_format="svg", *args, **kwargs):
        if index == 5 and picture_format == format:
            raise RuntimeError("the renderer died at frame 6")
        return real_picture(self, index, picture_format, *args, **kwargs)

    monkeypatch.setattr(StepFrames, "picture", picture)
    f, _, _ = seed_graph()
    (tmp_path / "frames").mkdir()
    (tmp_path / "frames" / "step_01.png").write_bytes(b"an older frame")
    with pytest.raises(RuntimeError, match="frame 6"):
        save_steps(f, tmp_path / "frames", format=format)
    assert [path.name for path in (tmp_path / "frames").iterdir()] == ["step_01.png"]
    assert (tmp_path / "frames" / "step_01.png").read_bytes() == b"an older frame"


def test_bad_targets(tmp_path):
    f, _, _ = seed_graph()
    with pytest.raises(ValueError, match="looks like a file"):
        save_steps(f, tmp_path / "steps.png")
    with pytest.raises(ValueError, match="'png' or 'svg'"):
        save_steps(f, tmp_path, format="pdf")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    f, _, _ = seed_graph()
    (path,) = save_steps(f, tmp_path_factory.mktemp("page") / "steps.html")
    return path.read_text(encoding="utf-8")


def test_page_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<link" not in page and "<script src" not in page and "@import" not in page
    assert page.count('<section class="frame"') == 8
    assert page.count("<svg") == 8
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # the SVGs' ids are scoped per frame


def test_page_holds_every_row(page):
    assert "grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10" in page
    assert "3rd of 3 contributions to x" in page
    assert 'data-node="b"' in page
    assert 'type="range" min="1" max="8"' in page


def test_page_is_deterministic(page, tmp_path):
    f, _, _ = seed_graph()
    (path,) = save_steps(f, tmp_path / "steps.html")
    assert path.read_text(encoding="utf-8") == page


def test_png_frames_are_real_pngs(frames_folder):
    _, written = frames_folder
    image = Image.open(io.BytesIO(written[0].read_bytes()))
    assert image.format == "PNG" and image.width > image.height > 200


def test_cli_frames_and_html(tmp_path, capsys):
    from autograd.command_line.commands import main

    frames, page = tmp_path / "frames", tmp_path / "site" / "steps.html"
    assert (
        main(["steps", "x*y + x", "x=3", "y=2", "--frames", str(frames), "--html", str(page)]) == 0
    )
    assert sorted(path.name for path in frames.iterdir()) == [
        "step_01.png",
        "step_02.png",
        "step_03.png",
        "step_04.png",
        "steps.gif",
    ]
    assert page.read_text(encoding="utf-8").count('<section class="frame"') == 4
    assert "wrote" in capsys.readouterr().out


FRAMES_OF_X_TIMES_Y = ["step_01.png", "step_02.png", "step_03.png"]


def frame_names(folder):
    return sorted(
        path.name for path in folder.iterdir() if re.fullmatch(r"step_[0-9]{2,}\.png", path.name)
    )


def test_an_export_into_a_folder_of_an_earlier_one_leaves_only_its_own_frames(tmp_path, capsys):
    from autograd.command_line.commands import main

    f, _, _ = seed_graph()
    save_steps(f, tmp_path, format="svg")  # 8 SVG frames
    mine = ["step_1.png", "step_\u0663\u0664.png", "step_1.png.bak", "step_notes.txt", "title.png"]
    for name in mine:  # names save_steps never writes (one digit; Arabic-Indic digits)
        (tmp_path / name).write_text("mine")
    x, y = seed_graph()[1:]
    written = save_steps(x * y, tmp_path)  # 3 PNG frames
    assert [path.name for path in written] == [*FRAMES_OF_X_TIMES_Y, "steps.gif"]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [*FRAMES_OF_X_TIMES_Y, "steps.gif", *mine]
    )
    assert main(["steps", "x*y + x", "x=3", "y=2", "--frames", str(tmp_path)]) == 0
    assert "removed 0" not in capsys.readouterr().out
    assert main(["steps", "x*y", "x=3", "y=2", "--frames", str(tmp_path)]) == 0
    assert "removed 1 frame(s) an earlier export left there" in capsys.readouterr().out
    assert frame_names(tmp_path) == FRAMES_OF_X_TIMES_Y


def test_an_earlier_frame_that_is_read_only_or_cannot_be_removed_stays_with_a_warning(
    tmp_path, monkeypatch, capsys
):
    import autograd.views.export as export
    from autograd.command_line.commands import main

    f, x, y = seed_graph()
    save_steps(f, tmp_path)  # 8 frames
    protected, stuck = tmp_path / "step_05.png", tmp_path / "step_06.png"
    real_access, real_unlink = os.access, Path.unlink
    # As root every file is writable, so read-only and a failing unlink are simulated.
    monkeypatch.setattr(export.os, "access", lambda path, mode: Path(path) != protected)

    def unlink(path, missing_ok=False):
        if path == stuck:
            raise PermissionError(1, "Operation not permitted", str(path))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.warns(UserWarning, match=r"2 frame\(s\) of an earlier export could not be removed"):
        written = save_steps(x * y, tmp_path)
    assert [path.name for path in written] == [*FRAMES_OF_X_TIMES_Y, "steps.gif"]
    left = frame_names(tmp_path)
    assert left == [*FRAMES_OF_X_TIMES_Y, "step_05.png", "step_06.png"]  # 04, 07, 08 removed
    assert main(["steps", "x*y", "x=3", "y=2", "--frames", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "left 2 frame(s) of an earlier export that could not be removed" in out
    assert out.startswith("Backward pass of f = 6")  # the step table is still printed
    monkeypatch.setattr(export.os, "access", real_access)


def test_gif_frames_fit_a_screen_in_both_directions():
    from autograd.views.export import GIF_MAX_HEIGHT, GIF_MAX_WIDTH, _gif_sized

    for size in ((1000, 9000), (9000, 1000), (4000, 4000), (1921, 2161), (800, 600)):
        sized = _gif_sized(Image.new("RGB", size, "white"))
        assert sized.width <= GIF_MAX_WIDTH and sized.height <= GIF_MAX_HEIGHT, size
        assert abs(sized.width / sized.height - size[0] / size[1]) < 0.01 * size[0] / size[1]
        assert max(sized.width / GIF_MAX_WIDTH, sized.height / GIF_MAX_HEIGHT) > 0.99 or (
            sized.size == size
        )
