"""``python -m forge_factories.cli``: the ``forge`` command."""

import sys

from forge_factories.cli import main

sys.exit(main())
