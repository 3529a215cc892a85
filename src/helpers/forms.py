"""``python -m helpers forms`` = ``python -m helpers forms`` (kept for existing commands and scripts)."""

import sys

from helpers.publishing.forms import main

if __name__ == "__main__":
    sys.exit(main())
