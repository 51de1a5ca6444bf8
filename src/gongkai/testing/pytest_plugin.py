"""Loaded by pytest (``-p gongkai.testing.pytest_plugin``) before Django reads its settings.

It points GONGKAI_DATA_DIR at a fresh temporary directory, so a test run never writes into a
developer's installation (secret key, uploaded files, generated letters).
"""

import os
import tempfile

if not os.environ.get("GONGKAI_TEST_KEEP_DATA_DIR"):
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-test-")
    # WhiteNoise warns on every request when STATIC_ROOT is missing; tests serve via the finders.
    os.mkdir(os.path.join(os.environ["GONGKAI_DATA_DIR"], "static"))

try:  # Hypothesis is a dev dependency
    from hypothesis import settings as hypothesis_settings
except ImportError:  # pragma: no cover
    pass
else:
    # No wall-clock limit on an example: a busy machine (CI, two cores shared) is slow, not wrong.
    hypothesis_settings.register_profile("gongkai", deadline=None)
    hypothesis_settings.load_profile("gongkai")


def pytest_configure(config):
    # Client.force_login gives a session that passed the second factor too
    # (gongkai.testing.second_factor explains why).
    from gongkai.testing.second_factor import install

    install()
