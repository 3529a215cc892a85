"""``python -m helpers reports`` = ``python -m helpers reports`` (kept for existing commands and scripts)."""

import sys

from helpers.publishing.render import main

if __name__ == "__main__":
    sys.exit(main())
