"""``python -m autograd``: the same as the ``pathgrad`` command."""

import sys

from autograd.cli import main

sys.exit(main())
