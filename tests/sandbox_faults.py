"""A sandbox child (``python tests/sandbox_faults.py``) whose reader misbehaves on cue: on hang.xlsx
it blocks SIGALRM and sleeps (a native library hung where no signal reaches it); on crash.xlsx it
dies of SIGSEGV (a native crash). Every other file is read for real."""

import os
import signal
import time

import xl_kpi.consolidation.runner as runner
from xl_kpi.consolidation import sandbox

_real = runner.read_source


def _read(source, templates, limits, *hr):
    name = os.path.basename(source.path)
    if name == "hang.xlsx":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if name == "crash.xlsx":
        os.kill(os.getpid(), signal.SIGSEGV)
    return _real(source, templates, limits, *hr)


runner.read_source = _read
sandbox.main()
