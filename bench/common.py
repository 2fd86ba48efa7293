"""Shared helpers of the benchmarks: generated bank text, servers, figures and the machine."""

from __future__ import annotations

import math
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
#: The quizapp tree to measure: this checkout, or (BENCH_APP_ROOT) a patched copy of it.
APP_ROOT = Path(os.environ.get("BENCH_APP_ROOT") or ROOT).resolve()
if APP_ROOT != ROOT:
    sys.path.insert(0, str(APP_ROOT))
RESULTS = BENCH / "results"
VENV_BIN = Path(sys.executable).parent
PASSWORD = "anquan-bench-2026"  # noqa: S105 — the generated workers' published bench password
SECRET_KEY = "bench-secret-not-for-production"  # noqa: S105 — bench servers only
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "quizapp_bench"
PG_BENCH_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"

# --------------------------------------------------------------------------- generated text
# Bench data only: real-looking Chinese safety sentences stitched from a small vocabulary.

SUBJECTS = (
    "高处作业",
    "临时用电",
    "动火作业",
    "有限空间作业",
    "脚手架搭设",
    "起重吊装",
    "基坑开挖",
    "隧道掘进",
    "井下通风",
    "爆破作业",
    "模板支撑",
    "焊接切割",
    "消防器材",
    "安全带使用",
    "防尘口罩",
    "配电箱",
    "塔吊",
    "施工升降机",
    "危险化学品",
    "夏季防暑",
)
VERBS = ("前应当", "时必须", "过程中严禁", "结束后应", "中发现隐患时应", "开始前需要")
ACTIONS = (
    "检查安全防护设施是否完好",
    "办理作业许可并进行安全交底",
    "佩戴合格的个人防护用品",
    "设置警戒区域并安排专人监护",
    "切断电源并挂牌上锁",
    "检测氧气和有害气体浓度",
    "立即停止作业并向班组长报告",
    "清理作业现场的易燃物",
    "确认应急救援器材到位",
    "按规定系挂安全带，高挂低用",
    "保持通风良好",
    "由持证人员操作",
)
WRONG = (
    "凭经验直接作业",
    "先干活，有时间再补手续",
    "让新工人独自完成",
    "只要动作快就不用防护",
    "把防护设施临时拆除",
    "用湿手操作开关",
    "在作业区吸烟",
    "省略检测步骤",
)
STANDARDS = ("JGJ 46-2005", "JGJ 80-2016", "GB 30871-2022", "GB 6095-2021", "JGJ 130-2011")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红春玉辉林波宁鹏飞斌浩"
PLACES = "东湖西山南岭北港青龙白石红旗金沙银川长江黄河江汉华中滨海明珠新城鹿鸣"
TRADES = (
    "钢筋",
    "木工",
    "架子工",
    "电工",
    "焊工",
    "混凝土",
    "机修",
    "掘进",
    "支护",
    "通风",
    "运输",
)


def person_name(rng: random.Random) -> str:
    """A plausible Chinese name of two or three characters."""
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(SURNAMES) + given


def site_name(index: int) -> str:
    """The name of generated site `index`, unique."""
    a = PLACES[(index * 2) % len(PLACES)] + PLACES[(index * 2 + 1) % len(PLACES)]
    return f"{a}{index + 1}号项目部"


def crew_name(index: int) -> str:
    """The name of generated crew `index`, unique."""
    return f"{TRADES[index % len(TRADES)]}{index // len(TRADES) + 1}班"


def _yaml_text(text: str) -> str:
    """A generated text as a YAML double-quoted scalar (safe whatever it holds)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bank_yaml(
    slug: str,
    questions: int,
    rng: random.Random,
    *,
    draw: int | None = 10,
    explanations: bool = True,
    time_limit: str = "20m",
    max_attempts: int | None = None,
) -> str:
    """A valid bank (per quizapp.banks.format) of `questions` generated questions.

    About 70 % single choice, 15 % multiple answer and 15 % true/false, with Chinese text of
    realistic length; `explanations=False` keeps a 5,000-question bank under 2 MiB.
    """
    subject = SUBJECTS[sum(map(ord, slug)) % len(SUBJECTS)]
    out = [
        f"id: {slug}",
        f"title: {_yaml_text(f'{subject}安全知识（{slug}）')}",
        "language: zh-CN",
        f"description: {_yaml_text(f'{subject}岗位安全培训题库，基准测试生成。')}",
        "quiz:",
        f"  time_limit: {time_limit}",
    ]
    if draw is not None and draw < questions:
        out.append(f"  questions: {draw}")
    out += ["  pass_score: 80"]
    if max_attempts is not None:
        out.append(f"  max_attempts: {max_attempts}")
    out += ["  valid_for_days: 365", "questions:"]
    for number in range(1, questions + 1):
        topic = rng.choice(SUBJECTS)
        roll = rng.random()
        out.append(f"  - id: q{number:05d}")
        if roll < 0.15:
            claim = rng.choice(ACTIONS if rng.random() < 0.5 else WRONG)
            out.append("    type: true_false")
            out.append(f"    text: {_yaml_text(f'{topic}{rng.choice(VERBS)}{claim}。')}")
            out.append(f"    answer: {'true' if claim in ACTIONS else 'false'}")
        else:
            multiple = roll < 0.30
            count = rng.choice((4, 4, 4, 5)) if multiple else rng.choice((3, 4, 4, 4))
            letters = "ABCDEFGH"[:count]
            right = (
                sorted(rng.sample(letters, rng.choice((2, 3))))
                if multiple
                else [rng.choice(letters)]
            )
            out.append(f"    type: {'multiple' if multiple else 'single'}")
            ask = "下列哪些做法是正确的？" if multiple else "下列哪项做法是正确的？"
            out.append(f"    text: {_yaml_text(f'{topic}{rng.choice(VERBS)}注意什么？{ask}')}")
            out.append("    choices:")
            for letter in letters:
                pool = ACTIONS if letter in right else WRONG
                out.append(f"      {letter}: {_yaml_text(rng.choice(pool))}")
            out.append(
                f"    answer: [{', '.join(right)}]" if multiple else f"    answer: {right[0]}"
            )
        if explanations:
            rule, do, dont = rng.choice(STANDARDS), rng.choice(ACTIONS), rng.choice(WRONG)
            why = f"依据{rule}，{topic}必须{do}，不得{dont}。"
            out.append(f"    explanation: {_yaml_text(why)}")
            out.append(f"    tags: [{topic}]")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(port: int, path: str = "/healthz", timeout: float = 60.0) -> None:
    """Wait until a server on `port` answers `path` with 200."""
    import http.client

    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server on port {port} did not answer {path} in {timeout:.0f} s")
        time.sleep(0.2)


#: glibc's malloc settings, as README.md's "Running at scale" runs gunicorn: two arenas per
#: process (the default, 8 per core, lets each request thread spread memory over its own), and
#: a fixed mmap threshold, so that large blocks (a password hash's 8 MiB) go back to the
#: system when freed instead of staying in an arena.
MALLOC_SETTINGS = {
    "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    "MALLOC_MMAP_THRESHOLD_": os.environ.get("MALLOC_MMAP_THRESHOLD_", "131072"),
}


class Gunicorn:
    """A gunicorn master serving `target` on a free port; stopped on exit from `with`."""

    def __init__(
        self,
        target: str,
        *,
        env: dict[str, str],
        workers: int,
        threads: int,
        log: Path,
        health: str = "/healthz",
        chdir: Path = APP_ROOT,
    ):
        self.target = target
        self.env = env
        self.workers = workers
        self.threads = threads
        self.log = log
        self.health = health
        self.chdir = chdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def settings(self) -> str:
        """The gunicorn settings, as printed with the results."""
        return (
            f"gthread, {self.workers} workers x {self.threads} threads, keep-alive 30 s, "
            + " ".join(f"{name}={value}" for name, value in MALLOC_SETTINGS.items())
        )

    def __enter__(self) -> Gunicorn:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(VENV_BIN / "gunicorn"),
            "--worker-class",
            "gthread",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-connections",
            "4000",
            "--backlog",
            "4096",
            "--keep-alive",
            "30",
            "--timeout",
            "120",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(self.chdir),
            self.target,
        ]
        self._log_handle = self.log.open("w")
        self.proc = subprocess.Popen(  # noqa: S603 — fixed command line
            command,
            env={**os.environ, **MALLOC_SETTINGS, **self.env},
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_http(self.port, self.health)
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"gunicorn failed to start; see {self.log}") from None
        return self

    def worker_pids(self) -> list[int]:
        """Process ids of the master's worker processes."""
        assert self.proc is not None
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.proc.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_memory_mb(self) -> dict[int, dict[str, float]]:
        """Per worker pid, in MB: peak RSS (VmHWM), RSS now (VmRSS) and PSS now (shared
        pages divided among the processes sharing them, from smaps_rollup)."""
        result = {}
        for pid in self.worker_pids():
            fields = {}
            for name in ("status", "smaps_rollup"):
                for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                    key, _, value = line.partition(":")
                    if key in ("VmHWM", "VmRSS", "Pss"):
                        fields[key] = int(value.split()[0]) / 1024
            result[pid] = fields
        return result

    def stop(self) -> None:
        """Stop the master and its workers, gracefully first."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log_handle", None):
            self._log_handle.close()

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------- databases


def reset_postgres_database() -> str:
    """Drop and recreate the bench database on the local PostgreSQL; return its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_BENCH_URL


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment a bench server or command runs with."""
    extra_path = {"PYTHONPATH": str(APP_ROOT)} if APP_ROOT != ROOT else {}
    return {
        **extra_path,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_ENABLED": "0",
        "SIGNIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "SIGNIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        **extra,
    }


def run_python(script: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a bench script with this interpreter; return its standard output, echoing it."""
    result = subprocess.run(  # noqa: S603 — fixed command line
        [sys.executable, str(BENCH / script), *args],
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        raise RuntimeError(f"{script} {' '.join(args)} failed with exit code {result.returncode}")
    return result.stdout


# --------------------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method; nan when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def figure(name: str, value: object, unit: str = "") -> str:
    """Print and return one result line, `name: value unit`."""
    if isinstance(value, float):
        if math.isnan(value):
            text = "n/a"
        elif abs(value) >= 100:
            text = f"{value:.0f}"
        elif abs(value) >= 10:
            text = f"{value:.1f}"
        else:
            text = f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"
    else:
        text = str(value)
    line = f"{name}: {text} {unit}".rstrip()
    print(line, flush=True)
    return line


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
