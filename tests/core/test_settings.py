import os
import subprocess
import sys

import pytest


def _zhicheng(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhicheng", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHICHENG_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    env.update(
        ZHICHENG_PRODUCTION="1",
        ZHICHENG_SECRET_KEY="k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
        ZHICHENG_ALLOWED_HOSTS="zhicheng.example.gov.cn",
        ZHICHENG_SITE_URL="https://zhicheng.example.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    return env


def test_production_settings_pass_the_deploy_check():
    result = _zhicheng("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["ZHICHENG_SECRET_KEY"]
    result = _zhicheng("check", env=env)
    assert result.returncode != 0
    assert "ZHICHENG_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("key", ["change-me", "x" * 60, "change-me-" + "a1b2c3d4e5" * 5,
                                 "Ab1-" * 10])
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    env = _production_env()
    env["ZHICHENG_SECRET_KEY"] = key
    result = _zhicheng("check", env=env)
    assert result.returncode != 0
    assert "ZHICHENG_SECRET_KEY is too weak" in result.stderr


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_languages_are_configured(settings, language):
    assert language in dict(settings.LANGUAGES)
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
