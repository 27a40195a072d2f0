"""The benchmark, as a script: ``python bench/run.py [--docs 1000] ...``; see pipeline/bench.py."""

import sys

from pipeline.bench import main

sys.exit(main())
