"""``python -m helpers COMMAND``: see :mod:`helpers.cli`."""

import sys

from helpers.cli import main

sys.exit(main())
