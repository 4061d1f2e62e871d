"""`python -m edition.cli`, as `python -m edition`."""

import sys

from edition.cli import main

sys.exit(main())
