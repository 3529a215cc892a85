"""``python -m helpers demo`` = ``python -m helpers demo``."""

import sys

from helpers.demo.generate import main

sys.exit(main())
