"""``python -m autograd``: the same as the ``pathgrad`` command."""

import sys

from autograd.command_line.commands import main

sys.exit(main())
