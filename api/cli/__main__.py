"""``python -m api.cli``: the ``khuyenhoc`` command line."""

import sys

from api.cli.main import main

sys.exit(main())
