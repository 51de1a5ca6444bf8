"""Typed environment helpers (gongkai.env): "False" must be false, bad values must be refused."""

import os
import stat

import pytest

from gongkai.env import EnvError, data_dir, env_bool, env_int, env_list, env_str, secret_key


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " True "])
def test_env_bool_true(monkeypatch, raw):
    monkeypatch.setenv("GK_FLAG", raw)
    assert env_bool("GK_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_env_bool_false(monkeypatch, raw):
    monkeypatch.setenv("GK_FLAG", raw)
    assert env_bool("GK_FLAG", True) is False


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("GK_FLAG", raising=False)
    assert env_bool("GK_FLAG") is False
    assert env_bool("GK_FLAG", True) is True


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("GK_FLAG", "maybe")
    with pytest.raises(EnvError, match="GK_FLAG.*true/false"):
        env_bool("GK_FLAG")


def test_env_int(monkeypatch):
    monkeypatch.setenv("GK_N", "42")
    assert env_int("GK_N", 1) == 42
    monkeypatch.setenv("GK_N", " ")
    assert env_int("GK_N", 7) == 7
    monkeypatch.setenv("GK_N", "4x")
    with pytest.raises(EnvError, match="整数"):
        env_int("GK_N", 1)


def test_env_list(monkeypatch):
    monkeypatch.setenv("GK_HOSTS", " gov.cn, www.gov.cn ,,")
    assert env_list("GK_HOSTS", ["x"]) == ["gov.cn", "www.gov.cn"]
    monkeypatch.delenv("GK_HOSTS")
    assert env_list("GK_HOSTS", ["x"]) == ["x"]


def test_env_str(monkeypatch):
    monkeypatch.delenv("GK_S", raising=False)
    assert env_str("GK_S", "d") == "d"


def test_data_dir_is_created(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "a" / "b"))
    assert data_dir() == (tmp_path / "a" / "b").resolve()
    assert data_dir().is_dir()


def test_a_new_data_dir_is_private_to_its_owner(monkeypatch, tmp_path):
    """It holds the database (citizens' ID numbers), their uploads and the secret key."""
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "new"))
    old = os.umask(0o022)
    try:
        path = data_dir()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o700


def test_secret_key_is_generated_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("GONGKAI_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()
