"""The `eligibility` command line."""

import io
import json
import subprocess
import sys

from tests.policy.helpers import BASE_FILE, ROOT, base
from zhicheng.policy.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_prints_decision_json_and_exits_zero(tmp_path):
    code, out, _ = run(str(BASE_FILE))
    assert code == 0
    decision = json.loads(out)
    assert decision["verdict"] == "eligible"
    assert "二（二）" in out  # Chinese is not escaped
    bad = base()
    bad["employment"]["status"] = "retired"
    path = tmp_path / "retired.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 0 and json.loads(out)["verdict"] == "ineligible"


def test_text_mode():
    code, out, _ = run("--text", str(BASE_FILE))
    assert code == 0
    assert out.startswith("职称申报资格审核意见")
    assert "结论：符合申报条件。" in out


def test_invalid_input_names_every_bad_field(tmp_path):
    data = base()
    data["request"]["level"] = "senior"
    data["education"][0]["date"] = "2015/06/30"
    data["titles"][0]["series"] = "rocketry"
    del data["employment"]["city"]
    data["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(str(path))
    assert code == 2 and out == ""
    assert "$.request.level" in err and "取值无效" in err
    assert "$.education[0].date" in err and "YYYY-MM-DD" in err
    assert "$.titles[0].series" in err and "rocketry" in err
    assert "$.employment.city" in err and "缺少必填字段" in err
    assert "$.colour" in err
    assert "5处" in err


def test_not_json_and_missing_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = run(str(path))
    assert code == 2 and "JSON" in err
    code, _, err = run(str(tmp_path / "absent.json"))
    assert code == 2 and "无法读取" in err
    assert run()[0] == 2


def test_batch_streams_one_decision_per_line(tmp_path):
    good = json.dumps(base(), ensure_ascii=False)
    late = base()
    late["request"]["application_date"] = "2024-01-05"
    source = tmp_path / "in.jsonl"
    source.write_text(good + "\n\n" + json.dumps(late, ensure_ascii=False) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    code, out, err = run("--batch", str(source), "-o", str(target))
    assert code == 0, err
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["verdict"] for x in lines] == ["eligible", "ineligible"]
    code, out, _ = run("--batch", str(source))
    assert code == 0 and len(out.splitlines()) == 2


def test_batch_reports_line_numbers_of_bad_lines(tmp_path):
    bad = base()
    bad["request"]["application_date"] = "soon"
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join([json.dumps(base()), json.dumps(bad), "[]", json.dumps(base())]) + "\n",
        encoding="utf-8",
    )
    code, out, err = run("--batch", str(source))
    assert code == 2
    assert len(out.splitlines()) == 3 - 1  # the two good lines are still decided
    assert "line 2: $.request.application_date" in err
    assert "第3行" in err


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "zhicheng.policy.cli", "--text", str(BASE_FILE)],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0
    assert "结论：" in result.stdout.decode("utf-8")


def test_batch_workers_give_the_same_output_in_the_same_order(tmp_path, monkeypatch):
    from zhicheng.policy import cli

    monkeypatch.setattr(cli, "CHUNK_LINES", 3)  # several chunks in flight
    lines = []
    for day in range(1, 12):
        data = base()
        data["applicant_id"] = f"w{day}"
        data["request"]["application_date"] = f"2024-0{day % 9 + 1}-{day:02d}"
        lines.append(json.dumps(data, ensure_ascii=False))
    bad = base()
    bad["request"]["application_date"] = "soon"
    lines[4:4] = [json.dumps(bad), "", "[]"]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = run("--batch", str(source))
    two = run("--batch", str(source), "--workers", "2")
    assert one == two
    assert one[0] == 2 and len(one[1].splitlines()) == 11
    assert run("--batch", str(source), "--workers", "0")[0] == 2


def _zhicheng(cwd, *argv: str) -> subprocess.CompletedProcess[bytes]:
    """The `zhicheng` command in `cwd`, with the default (embedded SQLite) settings."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("ZHICHENG_VAR_DIR", "DATABASE_URL")}
    env["PYTHONPATH"] = str(ROOT / "src")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "zhicheng", *argv],
        capture_output=True,
        timeout=180,
        cwd=cwd,
        env=env,
    )


def test_commands_that_need_no_database_leave_no_var_directory(tmp_path):
    for argv in (["--help"], ["eligibility", str(BASE_FILE)], ["eligibility", "--help"]):
        result = _zhicheng(tmp_path, *argv)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        assert list(tmp_path.iterdir()) == [], argv


def test_the_embedded_database_directory_is_made_on_first_connection(tmp_path):
    script = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection(); print(connection.vendor)"
    )
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("ZHICHENG_VAR_DIR", "DATABASE_URL")}
    env.update(PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="zhicheng.settings")
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=180, cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stdout.decode().strip() == "sqlite"
    assert (tmp_path / "var" / "zhicheng.sqlite3").exists()
