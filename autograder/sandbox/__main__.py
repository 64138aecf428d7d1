"""`python -m autograder.sandbox`: check that grading kernels can be sandboxed here."""

import sys

from autograder.sandbox.check import main

sys.exit(main())
