"""``python -m govreport`` runs the command-line interface."""

import sys

from govreport.cli import main

sys.exit(main())
