"""`gongkai serve` refuses to start when the personal-data keys do not open the stored data
(a database restored without its key file, a mistyped GONGKAI_DATA_KEY)."""

from __future__ import annotations

import os
import subprocess
import sys

from gongkai.personaldata import keys
from tests.installation import copy_installation


def test_serve_refuses_keys_that_do_not_open_the_data(tmp_path, demo_installation):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGKAI_"))}
    env["GONGKAI_DATA_DIR"] = str(tmp_path)

    def gongkai(*args, **extra):
        return subprocess.run(
            [sys.executable, "-m", "gongkai", *args],
            env={**env, **extra},
            capture_output=True,
            text=True,
        )

    demo_dir, loaded = demo_installation  # the session's `gongkai demo`, copied
    assert loaded.returncode == 0, loaded.stderr
    copy_installation(demo_dir, tmp_path)
    wrong = {"GONGKAI_DATA_KEY": keys.new_key_text(), "GONGKAI_LOOKUP_KEY": keys.new_key_text()}
    refused = gongkai("serve", "--port", "1", **wrong)
    assert refused.returncode == 2, refused.stderr
    assert "do not open the stored data" in refused.stderr and "Traceback" not in refused.stderr
    right = (tmp_path / keys.KEY_FILE).read_bytes()
    (tmp_path / keys.KEY_FILE).unlink()  # the database without its key file
    lost = gongkai("serve", "--port", "1")
    assert lost.returncode == 2 and "do not open the stored data" in lost.stderr
    # With the right keys this check passes and the next one speaks: the demo's password.
    (tmp_path / keys.KEY_FILE).write_bytes(right)
    demo = gongkai("serve", "--port", "1")
    assert demo.returncode == 2 and "do not open" not in demo.stderr
    assert "demo password" in demo.stderr
