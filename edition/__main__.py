"""`python -m edition`: the command line, for a Python without the `edition` script on its
PATH (a venv not activated, an embedded interpreter)."""

import sys

from edition.cli import main

sys.exit(main())
