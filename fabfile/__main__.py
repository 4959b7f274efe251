"""`python3 fabfile ARGS`: install what is missing, then run `fab ARGS` inside env/."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project root, not fabfile/, so that `fabfile` is the package

from lib import bootstrap

bootstrap.prepare()

from fabric.main import program

program.run()
