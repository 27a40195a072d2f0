"""``python -m pipeline``: loading the pipeline's libraries takes seconds, and Ctrl-C
meanwhile ends it with one line too, as it does later (``pipeline.cli``)."""

import os
import sys

# pandera's first validation imports hypothesis (for data strategies a run never uses), and
# hypothesis then loads every plugin installed beside it (trio, pytest): most of a second
# in each process, the workers' included, which inherit this setting.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")

try:
    from pipeline.cli import main
except KeyboardInterrupt:
    print("interrupted while starting: nothing was changed", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
