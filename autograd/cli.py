"""The ``pathgrad`` command (also ``python -m autograd``).

Each subcommand is a small function here that calls the library; the work is done
in the library modules.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn


class _OneLineErrors(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, "pathgrad: error: ...", exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message} ({self.prog} --help for usage)")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``pathgrad: error: message`` on one line of stderr and exit with ``code``."""
    print(f"pathgrad: error: {' '.join(message.split())}", file=sys.stderr)
    raise SystemExit(code)


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineErrors(
        prog="pathgrad",
        description="Scalar autodiff for teaching: build, differentiate and show graphs.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser("demo", help="the seed exercise f = x² + xy + (x+y)², end to end")
    demo.set_defaults(run=_run_demo)

    draw = commands.add_parser(
        "draw",
        help="draw an expression's graph and derivatives: pathgrad draw 'x*y' x=3 y=2 -o g.png",
    )
    draw.add_argument("expression", help="e.g. 'x**2 + x*y + (x+y)**2' (quote it)")
    draw.add_argument("bindings", nargs="*", metavar="NAME=VALUE", help="e.g. x=3 y=2")
    draw.add_argument("-o", "--output", required=True, help="image file: .png, .svg, .dot, ...")
    draw.add_argument("--no-grad", action="store_true", help="no backward pass, no grad row")
    draw.add_argument("--rankdir", choices=("LR", "TB"), default="LR", help="layout direction")
    draw.add_argument(
        "--derivatives", choices=("value", "formula"), default="value", help="edge labels"
    )
    draw.add_argument("--precision", type=int, default=4, help="significant digits (default 4)")
    draw.set_defaults(run=_run_draw)
    return parser


def _run_demo(arguments: argparse.Namespace) -> int:
    from autograd.demo import main as demo_main

    return demo_main()


def _run_draw(arguments: argparse.Namespace) -> int:
    from autograd.draw import GraphTooLargeError, draw
    from autograd.expression import ExpressionError, parse_bindings, parse_expression
    from autograd.render import RenderError, format_from_path, renderer

    try:
        format_from_path(arguments.output)  # a bad extension fails before any work
        root = parse_expression(arguments.expression, parse_bindings(arguments.bindings))
        if root.label is None and root.parents:
            root.label = "f"  # the output's name on the slide, as in f(x, y) = ...
        if not arguments.no_grad:
            root.backward()
        drawing = draw(
            root,
            rankdir=arguments.rankdir,
            derivatives=arguments.derivatives,
            precision=arguments.precision,
            show_grad=not arguments.no_grad,
        )
        written = drawing.save(arguments.output)
    except (ExpressionError, GraphTooLargeError, ValueError) as error:
        fail(str(error))
    except RenderError as error:
        fail(str(error), code=1)
    print(f"wrote {written} ({renderer() if not written.endswith(('.dot', '.gv')) else 'DOT'})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
