"""The ``pathgrad`` command (also ``python -m autograd``).

Each subcommand is a small function here that calls the library; the work is done
in the library modules.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import errno
import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from autograd.engine.errors import shortened

if TYPE_CHECKING:
    from autograd import Value
    from autograd.views.rendering import RenderTimeout

_Written = TypeVar("_Written")


class _OneLineErrors(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, "pathgrad: error: ...", exit code 2.

    It also remembers its options (which take a value, which do not), so that an
    expression starting with a minus can be told from an option.
    """

    def __init__(self, *arguments: Any, **options: Any) -> None:
        self.value_options: set[str] = set()
        self.flag_options: set[str] = set()
        self.expression_commands: dict[str, _OneLineErrors] = {}
        super().__init__(*arguments, **options)

    def add_argument(self, *names: Any, **options: Any) -> argparse.Action:
        action = super().add_argument(*names, **options)
        (self.flag_options if action.nargs == 0 else self.value_options).update(
            action.option_strings
        )
        return action

    def is_option(self, word: str) -> bool:
        """Whether argparse reads ``word`` as one of this parser's options (or a prefix)."""
        name = word.partition("=")[0]
        options = self.value_options | self.flag_options
        if name in options:
            return True
        if word.startswith("--"):
            return True  # an option (perhaps an abbreviation, perhaps unknown): never an expression
        return word[:2] in self.value_options  # "-og.png" is "-o g.png"

    def error(self, message: str) -> NoReturn:
        # argparse's "invalid choice: 'drwa' (choose from ...)", with the likely one named
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)$", message)
        if choice:
            offered = [name.strip("'\" ") for name in choice.group(2).split(",")]
            close = difflib.get_close_matches(choice.group(1), offered, n=1)
            if close:
                message = f"{message}; did you mean {close[0]}?"
        fail(f"{message} ({self.prog} --help for usage)")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``pathgrad: error: message`` on one line of stderr and exit with ``code``.

    A word longer than 80 characters can only be echoed input (a 5,000-character
    binding, an unknown option): it is cut to 60, as every message cuts what it
    echoes, wherever the message was written (argparse's own included).
    """
    # Control characters are shown escaped, so an echoed \x1b[31m cannot recolour the
    # terminal; and the whole line stops at 1,000 characters.
    visible = "".join(c if c.isprintable() or c.isspace() else repr(c)[1:-1] for c in message)
    words = [word if len(word) <= 80 else word[:59] + "…" for word in visible.split()]
    line = " ".join(words)
    print(f"pathgrad: error: {line if len(line) <= 1000 else line[:999] + '…'}", file=sys.stderr)
    raise SystemExit(code)


def file_error_message(error: OSError, target: str | os.PathLike[str]) -> str:
    """One line for a file that could not be written: what failed, where, what to do.

    ``target`` is the path the user gave (the error itself may name a temporary
    file beside it, or a folder on the way).
    """
    where = shortened(os.fspath(target), 80)
    folder = Path(os.path.abspath(target)).parent
    folder_text = shortened(str(folder), 80)
    code = error.errno
    if code == errno.EACCES and error.strerror == "the file is read-only":
        advice = "the file is read-only; make it writable (chmod u+w) or choose another name"
    elif code in (errno.EACCES, errno.EPERM):
        advice = (
            f"permission denied in the folder {folder_text}; save in a folder you may "
            "write to (your home folder, say) or change its permissions"
        )
    elif code == errno.EROFS:
        advice = f"{folder_text} is on a read-only file system; save somewhere else"
    elif code == errno.EISDIR:
        advice = "it is a folder, not a file; give a file name (inside it, or another name)"
    elif code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        advice = "the disk is full (or your quota used up); free some space or save on another disk"
    elif code == errno.ENAMETOOLONG:
        advice = f"a name in the path is too long{_name_limit(folder)}; use a shorter name"
    elif code in (errno.ENOTDIR, errno.EEXIST):
        blocking = _file_in_the_way(Path(target))
        advice = (
            "a part of the path" if blocking is None else shortened(str(blocking), 80)
        ) + " is a file, not a folder; choose another folder"
    elif code == errno.ENOENT:
        advice = (
            f"the folder {folder_text} does not exist and cannot be made, or takes no new "
            "files; save in an ordinary folder"
        )
    elif code == errno.ELOOP:
        advice = "the path has too many symbolic links (or a loop of them); give a plain path"
    else:
        advice = f"{error.strerror or error}; check the path, or save somewhere else"
    return f"cannot write {where}: {advice}"


def _name_limit(folder: Path) -> str:
    """ " (at most 255 bytes a name here)", or "" where the system does not say."""
    for known in (folder, *folder.parents):
        try:
            return f" (at most {os.pathconf(known, 'PC_NAME_MAX')} bytes a name here)"
        except (AttributeError, OSError, ValueError):
            continue
    return ""


def _file_in_the_way(target: Path) -> Path | None:
    """The first folder on the way to ``target`` (or it) that exists but is not a folder."""
    for part in (*reversed(target.parents), target):
        if part.exists() and not part.is_dir():
            return part
    return None


def _write_all(files: dict[Path, bytes], outputs: Sequence[str]) -> list[Path]:
    """``write_all_atomically(files)``; an OSError is one line naming the file in the
    way (a folder where a frame goes) or the output the failing file belongs to, exit 1."""
    from autograd.files import write_all_atomically

    try:
        return write_all_atomically(files)
    except OSError as error:
        failed = os.fspath(getattr(error, "filename", None) or "")
        if failed in map(os.fspath, files):
            target = failed
        else:  # a temporary file beside the target: .<name>.<hex>.pathgrad-tmp
            target = next(
                (out for out in reversed(outputs) if Path(out).name in failed), outputs[0]
            )
        fail(file_error_message(error, target), code=1)


def _writing(
    target: str | os.PathLike[str], write: Callable[..., _Written], *arguments: Any, **options: Any
) -> _Written:
    """``write(*arguments, **options)``; an OSError is one line naming ``target``, exit 1."""
    try:
        return write(*arguments, **options)
    except OSError as error:
        fail(file_error_message(error, target), code=1)


# ---------------------------------------------------------------- checked arguments
# argparse calls these on the words; an ArgumentTypeError is its one-line error, exit 2.
MIN_PRECISION, MAX_PRECISION = 1, 17  # what autograd.views.format accepts: a float has 17
DEFAULT_TIMEOUT_SECONDS = 30.0  # for --help; autograd.views.rendering.RENDER_TIMEOUT_SECONDS
MAX_TIMEOUT_SECONDS = 86_400  # autograd.views.rendering.MAX_TIMEOUT_SECONDS (not imported here)


def _number(text: str, convert: Callable[[str], Any], accept: Callable[[Any], bool], problem: str):
    """``convert(text)`` if ``accept`` takes it, else argparse's one-line error:
    the word, then ``problem`` (what it is not, and an example)."""
    try:
        number = convert(text)
    except ValueError:
        number = None
    if number is None or not accept(number):
        raise argparse.ArgumentTypeError(f"{shortened(text, 30)} {problem}")
    return number


def _precision(text: str) -> int:
    """--precision: significant digits, a whole number from 1 to 17 (draw, steps, paths)."""
    return _number(
        text,
        int,
        lambda digits: MIN_PRECISION <= digits <= MAX_PRECISION,
        f"is not a number of significant digits; give a whole number from {MIN_PRECISION} "
        f"to {MAX_PRECISION}, e.g. --precision 4",
    )


def _positive_count(text: str) -> int:
    """--limit: a whole number of at least 1."""
    return _number(
        text, int, lambda count: count >= 1, "is not a positive whole number; e.g. --limit 100"
    )


def _dpi(text: str) -> float:
    """--dpi: pixels per inch of a PNG, from 1 to 2400 (as ``draw(dpi=...)`` takes)."""
    return _number(
        text,
        float,
        lambda dpi: math.isfinite(dpi) and 1 <= dpi <= 2400,
        "is not a resolution; give pixels per inch from 1 to 2400, e.g. --dpi 300",
    )


def _shown(path: str | os.PathLike[str]) -> str:
    """A path for a "wrote" line: as it is, or quoted when it holds a control character
    (a new line in a file name would split the line in two)."""
    text = os.fspath(path)
    return repr(text) if any(not character.isprintable() for character in text) else text


def _file_name(text: str) -> str:
    """-o: a file name; one ending in a slash names a folder, and is refused."""
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(
            f"{shortened(text, 60)} ends in a slash, so it names a folder; give a file name "
            "such as graph.png"
        )
    return text


def _seed(text: str) -> int:
    """--seed: a whole number of at most 19 digits (any such number gives its own sheet)."""
    digits = text.strip().removeprefix("-")
    if not (digits.isdigit() and digits.isascii() and len(digits) <= 19):
        raise argparse.ArgumentTypeError(
            f"{shortened(text, 30)} is not a seed; give a whole number of at most 19 "
            "digits, e.g. --seed 7"
        )
    return int(text)


def _seconds(text: str) -> float:
    """--timeout: a positive number of seconds, at most a day."""
    return _number(
        text,
        float,
        lambda seconds: math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT_SECONDS,
        f"is not a positive number of seconds up to {MAX_TIMEOUT_SECONDS:,} (a day); "
        "e.g. --timeout 120",
    )


def _html_page(text: str) -> str:
    """--html: a file name ending in .html (or .htm); anything else is refused.

    ``save_steps`` would take any other name for a folder of PNGs and a GIF, which is
    what --frames is for: a missing suffix is far more often a slip than a wish.
    """
    suffix = Path(text).suffix.lower()
    if text.endswith(("/", os.sep)) or suffix not in (".html", ".htm"):
        stem = Path(text).with_suffix("").name if Path(text).name else "steps"
        raise argparse.ArgumentTypeError(
            f"the page's name {shortened(text, 60)} does not end in .html; write it as "
            f"{stem}.html (for a folder of pictures and a GIF, use --frames)"
        )
    return text


def _frames_folder(text: str) -> str:
    """--frames: a folder; a name that looks like a file (``steps.png``) is refused."""
    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError("give the folder for the frames, e.g. --frames frames/")
    if path.suffix and not path.is_dir():
        if path.suffix.lower() in (".html", ".htm"):
            advice = f"for the page, use --html {shortened(text, 60)}"
        else:
            advice = f"give a folder, e.g. --frames {path.with_suffix('').name or 'frames'}/"
        raise argparse.ArgumentTypeError(
            f"{shortened(text, 60)} looks like a file name ({path.suffix}), but --frames takes "
            f"the folder for step_01.png, ... and steps.gif; {advice}"
        )
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineErrors(
        prog="pathgrad",
        description="Scalar autodiff for teaching: build, differentiate and show graphs.",
    )
    from autograd import __version__

    parser.add_argument("--version", action="version", version=f"pathgrad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser("demo", help="the seed exercise f = x² + xy + (x+y)², end to end")
    demo.set_defaults(run=_run_demo)

    draw = commands.add_parser(
        "draw",
        help="draw an expression's graph and derivatives: pathgrad draw 'x*y' x=3 y=2 -o g.png",
    )
    _add_expression(parser, "draw", draw)
    draw.add_argument(
        "-o",
        "--output",
        type=_file_name,
        required=True,
        help="image file: .png, .svg, .pdf, .dot, ... or .tex (a TikZ picture)",
    )
    draw.add_argument("--no-grad", action="store_true", help="no backward pass, no grad row")
    draw.add_argument(
        "--theme",
        choices=("default", "print", "dark", "cs231n"),
        default="default",
        help="colours and lines: default, print (black on white), dark, cs231n",
    )
    draw.add_argument("--dpi", type=_dpi, help="PNG pixels per inch (default 144)")
    draw.add_argument("--rankdir", choices=("LR", "TB"), default="LR", help="layout direction")
    draw.add_argument(
        "--derivatives", choices=("value", "formula"), default="value", help="edge labels"
    )
    draw.add_argument(
        "--precision", type=_precision, default=4, help="significant digits, 1-17 (default 4)"
    )
    _add_timeout(draw)
    draw.set_defaults(run=_run_draw)

    steps = commands.add_parser(
        "steps",
        help="the backward pass node by node, as a table: pathgrad steps 'x*y + x' x=3 y=2",
    )
    _add_expression(parser, "steps", steps)
    steps.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    steps.add_argument("--show-constants", action="store_true", help="include the 2 in x**2")
    steps.add_argument(
        "--precision",
        type=_precision,
        help="significant digits, 1-17 (default 6 in the table, 4 on the pictures)",
    )
    steps.add_argument(
        "--frames", type=_frames_folder, metavar="DIR", help="also write one PNG per step and a GIF"
    )
    steps.add_argument(
        "--html",
        type=_html_page,
        metavar="FILE.html",
        help="also write a self-contained HTML stepper (the name must end in .html)",
    )
    _add_timeout(steps)
    steps.set_defaults(run=_run_steps)

    paths = commands.add_parser(
        "paths",
        help="every path from an input to the output, and their products: "
        "pathgrad paths 'x*y + x' --wrt x x=3 y=2",
    )
    _add_expression(parser, "paths", paths)
    paths.add_argument("--wrt", required=True, metavar="NAME", help="the input, e.g. x")
    paths.add_argument(
        "--limit", type=_positive_count, default=10_000, help="most paths to list (default 10000)"
    )
    paths.add_argument(
        "--precision", type=_precision, default=6, help="significant digits, 1-17 (default 6)"
    )
    paths.set_defaults(run=_run_paths)

    compiled = commands.add_parser(
        "compile",
        help="the backward pass as straight-line Python, beside its steps: "
        "pathgrad compile 'x*y + x' x=3 y=2",
    )
    _add_expression(parser, "compile", compiled)
    compiled.add_argument(
        "--source-only", action="store_true", help="print the source alone, not the steps beside"
    )
    compiled.set_defaults(run=_run_compile)

    sheet = commands.add_parser(
        "sheet",
        help="a problem sheet and its solutions: pathgrad sheet --kind graph --count 5 "
        "--seed 7 -o sheet.html --solutions solutions.html",
    )
    sheet.add_argument(
        "--kind",
        choices=("graph", "network", "sgd", "steps"),
        default="graph",
        help="graph: sum over paths; network: forward and backward with numbers; "
        "sgd: SGD steps by hand; steps: the backward table (default graph)",
    )
    sheet.add_argument("--count", type=int, default=5, help="how many exercises, 1-50 (default 5)")
    sheet.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="the same seed, the same sheet (default 0: give another for a new sheet)",
    )
    sheet.add_argument(
        "--difficulty", type=int, choices=(1, 2, 3), default=2, help="1, 2 or 3 (default 2)"
    )
    sheet.add_argument(
        "-o",
        "--output",
        type=_file_name,
        required=True,
        help="the problem sheet: .html, .md or .pdf",
    )
    sheet.add_argument("--solutions", metavar="FILE", help="also the solutions: .html, .md or .pdf")
    sheet.add_argument("--title", default="Backpropagation by hand", help="the sheets' heading")
    sheet.set_defaults(run=_run_sheet)
    return parser


def _add_expression(parser: _OneLineErrors, name: str, command: _OneLineErrors) -> None:
    """The EXPRESSION and NAME=VALUE arguments of a command that builds a graph from text;
    the command is registered so that an expression starting with "-" is found."""
    command.add_argument("expression", help="e.g. 'x**2 + x*y + (x+y)**2' (quote it)")
    command.add_argument("bindings", nargs="*", metavar="NAME=VALUE", help="e.g. x=3 y=2")
    parser.expression_commands[name] = command


def _add_timeout(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help=f"stop a renderer that runs longer than this (default {DEFAULT_TIMEOUT_SECONDS:g})",
    )


def _run_demo(arguments: argparse.Namespace) -> int:
    from autograd.command_line.demo import main as demo_main

    return demo_main()


def _run_draw(arguments: argparse.Namespace) -> int:
    from autograd.command_line.expression import ExpressionError
    from autograd.files import check_writable
    from autograd.views import rendering
    from autograd.views.drawing import GraphTooLargeError, draw, drawing_format

    try:
        # Before any work: the extension, a renderer for it, and a file that can be written.
        tikz = drawing_format(arguments.output) == "tex"
        if tikz:
            rendering.check_can_render("json")  # TikZ takes its positions from a layout
        else:
            rendering.check_can_write(arguments.output)
        _writing(arguments.output, check_writable, [arguments.output])
        root = _expression_root(arguments)
        if not arguments.no_grad:
            root.backward()
        drawing = draw(
            root,
            rankdir=arguments.rankdir,
            derivatives=arguments.derivatives,
            precision=arguments.precision,
            show_grad=not arguments.no_grad,
            theme=arguments.theme,
            dpi=arguments.dpi,
        )
        with _time_limit(arguments.timeout):
            written = _writing(arguments.output, drawing.save, arguments.output)
    except (ExpressionError, GraphTooLargeError, ValueError) as error:
        fail(str(error))
    except rendering.RenderTimeout as error:
        fail(_too_slow(error, "draw a smaller graph", "save as .dot (no layout needed)"), code=1)
    except rendering.ImageTooLargeError as error:  # its own advice names Python's max_pixels=
        fail(
            f"the picture would be {error.width:,} × {error.height:,} px, over the limit of "
            f"{error.limit:,} pixels; give a lower --dpi, or save as .svg or .pdf",
            code=1,
        )
    except rendering.RenderError as error:
        fail(str(error), code=1)
    if tikz:
        how = "TikZ"
    else:
        how = "DOT" if rendering.render_format(written) is None else rendering.last_renderer()
    print(f"wrote {_shown(written)} ({how})")
    return 0


def _time_limit(seconds: float | None) -> contextlib.AbstractContextManager[None]:
    """--timeout for every renderer run inside; without it, the library's default."""
    from autograd.views import rendering

    return contextlib.nullcontext() if seconds is None else rendering.time_limit(seconds)


def _too_slow(error: RenderTimeout, *smaller: str) -> str:
    """The one line for a renderer stopped at its time limit, with what to do."""
    choices = [f"allow it longer with --timeout {max(120.0, 4 * error.seconds):g}", *smaller]
    if error.renderer.kind != "system":
        choices.append("install the system Graphviz (faster)")
    return (
        f"{error.renderer.describe()} took more than {error.seconds:g} s to lay out the graph "
        f"and was stopped; {', '.join(choices[:-1])} or {choices[-1]}"
    )


def _expression_root(arguments: argparse.Namespace) -> Value:
    """The graph of the EXPRESSION argument with its NAME=VALUE bindings; the output named f."""
    from autograd.command_line.expression import parse_bindings, parse_expression

    bindings = parse_bindings(arguments.bindings)
    root = parse_expression(arguments.expression, bindings, all_used=True)
    if root.label is None and root.parents:
        # The output's name on the slide, as in f(x, y) = ..., unless a value has it.
        root.label = next((name for name in ("f", "out", "result") if name not in bindings), None)
    return root


def _run_steps(arguments: argparse.Namespace) -> int:
    from autograd.files import check_writable
    from autograd.views import rendering
    from autograd.views.drawing import GraphTooLargeError
    from autograd.views.export import remove_earlier_frames, steps_files
    from autograd.views.steps import backward_steps

    try:
        # Before any work: the renderers the pictures need (PNG frames, an SVG page),
        # and that the folder and the page can be written at all.
        if arguments.frames is not None:
            rendering.check_can_render("png")
            probe = Path(arguments.frames) / "step_01.png"
            _writing(arguments.frames, check_writable, [probe])
        if arguments.html is not None:
            rendering.check_can_render("svg")
            _writing(arguments.html, check_writable, [arguments.html])
        root = _expression_root(arguments)
        table = backward_steps(
            root,
            show_constants=arguments.show_constants,
            precision=6 if arguments.precision is None else arguments.precision,
        ).table()
        options: dict[str, Any] = {"show_constants": arguments.show_constants}
        if arguments.precision is not None:
            options["precision"] = arguments.precision
        # Every file made, then all written or none (frames and page together), and
        # the table after: a failure ends the command with its one error line only.
        outputs = [target for target in (arguments.frames, arguments.html) if target is not None]
        files: dict[Path, bytes] = {}
        reports = []
        for target in outputs:
            with _time_limit(arguments.timeout):
                made = steps_files(root, target, **options)
            files.update(made)
            names = list(made)
            last = f" ... {_shown(names[-1])}" if len(names) > 1 else ""
            reports.append(f"wrote {_shown(names[0])}{last}")
        if files:
            removed, left = remove_earlier_frames(_write_all(files, outputs))
            if removed:
                reports.append(f"removed {len(removed)} frame(s) an earlier export left there")
            if left:
                reports.append(
                    f"left {len(left)} frame(s) of an earlier export that could not be removed "
                    f"(read-only, or not yours), {_shown(left[0])} first"
                )
        print(table.to_markdown() if arguments.markdown else table.to_text())
        for report in reports:
            print(report)
    except GraphTooLargeError as error:  # its advice names Python's max_cards= / max_nodes=
        if not error.size:
            fail(str(error))
        fail(f"{error.size}, more than the limit of {error.limit}: step through a smaller graph")
    except ValueError as error:  # ExpressionError and DomainError are ValueErrors
        fail(str(error))
    except rendering.RenderTimeout as error:
        fail(_too_slow(error, "step through a smaller graph"), code=1)
    except rendering.RenderError as error:
        fail(str(error), code=1)
    return 0


def _run_paths(arguments: argparse.Namespace) -> int:
    from autograd import topological_order
    from autograd.views.paths import paths

    try:
        root = _expression_root(arguments)
        inputs = {node.label: node for node in topological_order(root) if not node.parents}
        wrt = unicodedata.normalize("NFKC", arguments.wrt)  # as the bindings' names are read
        if wrt not in inputs:
            known = ", ".join(name for name in inputs if name is not None) or "none"
            fail(
                f"--wrt {arguments.wrt}: the expression has no input of that name (inputs: {known})"
            )
        found = paths(root, inputs[wrt], limit=arguments.limit)
        if found.count > arguments.limit:  # a listing cut short would pass for the whole one
            fail(
                f"--wrt {arguments.wrt} reaches the output along {found.count:,} paths, more "
                f"than --limit {arguments.limit:,}; raise --limit to list them all, or see the "
                "gradient without listing them: pathgrad steps"
            )
        print(found.to_text(precision=arguments.precision))
    except ValueError as error:  # ExpressionError, DomainError
        fail(str(error))
    return 0


def _run_compile(arguments: argparse.Namespace) -> int:
    from autograd import compile as compile_graph
    from autograd import topological_order
    from autograd.views.compiled_steps import side_by_side

    try:
        root = _expression_root(arguments)
        inputs = [node for node in topological_order(root) if node.role == "input"]
        compiled = compile_graph(root, inputs, check=True)
        # Everything is made before anything is printed: a failure prints one line only.
        shown = "" if arguments.source_only else str(side_by_side(root, inputs, compiled=compiled))
        print(compiled.source, end="")
        if shown:
            print()
            print(shown)
    except ValueError as error:  # ExpressionError, DomainError
        fail(str(error))
    return 0


def _run_sheet(arguments: argparse.Namespace) -> int:
    from autograd.exercises import generate, problem_sheet, solution_sheet
    from autograd.exercises.sheets import sheet_format
    from autograd.files import check_writable
    from autograd.views import rendering

    if not 1 <= arguments.count <= 50:
        fail(f"--count {arguments.count}: give a whole number from 1 to 50")
    targets = [(arguments.output, problem_sheet)]
    if arguments.solutions is not None:
        if os.path.realpath(arguments.solutions) == os.path.realpath(arguments.output):
            fail("--solutions must name another file than -o (the problem sheet)")
        targets.append((arguments.solutions, solution_sheet))
    try:
        formats = [sheet_format(target) for target, _ in targets]  # before any work
        for target, _ in targets:
            _writing(target, check_writable, [target])
        exercises = generate(arguments.kind, arguments.count, arguments.seed, arguments.difficulty)
        # Every page is made in memory first: a failure writes nothing.
        made = [
            make(exercises, format, title=arguments.title)
            for (_, make), format in zip(targets, formats)
        ]
        pages = [page if isinstance(page, bytes) else page.encode("utf-8") for page in made]
    except ValueError as error:
        fail(str(error))
    except rendering.RenderError as error:
        fail(str(error), code=1)
    files = {Path(target): page for (target, _), page in zip(targets, pages)}
    written = _write_all(files, [target for target, _ in targets])  # both sheets or neither
    for path in written:
        print(f"wrote {_shown(path)}")
    return 0


def _expression_position(words: Sequence[str], parser: argparse.ArgumentParser) -> int | None:
    """Where the EXPRESSION is in ``words`` when it starts with a minus; else None.

    argparse takes any word starting with "-" for an option, so ``draw "-x**2" x=3``
    would fail with "unrecognized arguments". The expression is the first word after
    the command that is not one of its options or an option's value.
    """
    commands: dict[str, _OneLineErrors] = getattr(parser, "expression_commands", {})
    position = next((index for index, word in enumerate(words) if not word.startswith("-")), None)
    if position is None or words[position] not in commands:
        return None
    command = commands[words[position]]
    position += 1
    while position < len(words):
        word = words[position]
        if word == "--":
            return None  # the user separated the positionals already
        if not word.startswith("-"):
            return None  # the expression, and argparse reads it as such
        if not command.is_option(word):
            return position
        takes_value = word in command.value_options  # "--output=g.png" is one word
        position += 2 if takes_value else 1
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if not words:  # a bare "pathgrad": what it can do, as pip and git answer
        parser.print_help()
        return 0
    minus = _expression_position(words, parser)
    if minus is not None:
        expression = words[minus]
        words[minus] = " " + expression  # argparse takes a word starting with a space as text
    # argparse stops filling a NAME=VALUE list at the first option, so
    # "paths EXPR --wrt x x=3 y=2" leaves x=3 y=2 over: they join the bindings.
    arguments, extra = parser.parse_known_args(words)
    if minus is not None:
        arguments.expression = expression
    if extra:
        if hasattr(arguments, "bindings") and all(
            "=" in word and not word.startswith("-") for word in extra
        ):
            arguments.bindings = [*arguments.bindings, *extra]
        else:
            fail(
                f"unrecognized arguments: {' '.join(extra)} "
                f"(pathgrad {arguments.command} --help for usage)"
            )
    try:
        return arguments.run(arguments)
    except KeyboardInterrupt:
        # Ctrl-C: one line, not a traceback. A renderer running is killed on the way
        # out (autograd.views.rendering), and files are renamed into place only whole.
        print("pathgrad: stopped (Ctrl-C)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`pathgrad steps ... | head`): not an error. Point
        # stdout at /dev/null so Python's exit flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
