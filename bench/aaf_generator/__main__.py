"""`python -m bench.aaf_generator --out DIR [size knobs]`: see `bench.aaf_generator`."""

import sys

from bench.aaf_generator.generate import main

sys.exit(main())
