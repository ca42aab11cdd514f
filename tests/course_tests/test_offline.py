"""No lab, lesson or figure script of the course reaches the network; boxes have no network anyway.

The course runs on machines without internet: a hub download or a data-set fetch hangs or fails
there. The scan reads code (comments dropped), so prose may still warn about these calls.
"""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from catalog.content.yamlio import split_front_matter
from tests.course_tests.layout import COURSE, bubblewrap_or_skip

PYTHON_FENCES = {"python", "py", "python3", "pycon"}
LOCAL_PATH = ("/", "./", "../", "~", "{")  # "{" starts an f-string path computed from a variable
SKLEARN_FETCHERS = (
    "openml|20newsgroups\\w*|california_housing|covtype|kddcup99|lfw_\\w+|olivetti_faces|rcv1|"
    "species_distributions|file"
)
NETWORK_CALLS: list[tuple[str, re.Pattern[str]]] = [
    ("tiktoken downloads its encodings", re.compile(r"\btiktoken\.(get_encoding|encoding_for_model)\b")),
    ("NLTK data downloads", re.compile(r"\bnltk\.download\b")),
    ("word_tokenize needs NLTK's downloaded punkt data", re.compile(r"\bword_tokenize\b")),
    ("stopwords.words needs NLTK's downloaded corpus", re.compile(r"\bstopwords\.words\b")),
    ("WordNetLemmatizer needs NLTK's downloaded WordNet", re.compile(r"\bWordNetLemmatizer\b")),
    ("scikit-learn fetchers download data", re.compile(rf"\bfetch_({SKLEARN_FETCHERS})\b")),
    ("download=True fetches data", re.compile(r"\bdownload\s*=\s*True\b")),
    ("datasets.load_dataset downloads from the hub", re.compile(r"\bload_dataset\(")),
    ("hub downloads", re.compile(r"\b(hf_hub_download|snapshot_download)\b")),
    ("torch.hub downloads", re.compile(r"\btorch\.hub\.(load|download_url_to_file)\b")),
    ("evaluate.load downloads metrics", re.compile(r"\bevaluate\.load\(")),
    (
        "a transformers pipeline by task name downloads a model",
        re.compile(r"\bpipeline\(\s*(task\s*=\s*)?[\"']"),
    ),
    ("urlopen reaches the network", re.compile(r"\burlopen\(")),
    ("requests reaches the network", re.compile(r"\brequests\.")),
    ("urllib.request reaches the network", re.compile(r"\burllib\.request\b")),
    ("sockets reach the network", re.compile(r"\bsocket\.")),
]
HUB_ID = re.compile(r"\b(from_pretrained|SentenceTransformer)\(\s*[rRuUfF]?([\"'])(.*?)\2")


def code_only(source: str) -> str:
    """Drop comments (which may warn about these calls); keep the code and its strings."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.sub(r"(?m)#.*$", "", source)  # a fragment that does not tokenize: strip naively
    lines = source.splitlines(keepends=True)
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col] + lines[row - 1][token.end[1] :]
    return "".join(lines)


def network_uses(source: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, why) for every call that would reach the network."""
    for number, line in enumerate(code_only(source).splitlines(), start=1):
        for why, pattern in NETWORK_CALLS:
            if pattern.search(line):
                yield number, why
        for match in HUB_ID.finditer(line):
            if not match[3].startswith(LOCAL_PATH):
                yield number, f"{match[1]}({match[3]!r}) downloads from the hub: load from a local path"


def code_sources() -> Iterator[tuple[str, int, str]]:
    """Yield (where, first line, code) for every Python file, lesson python block and code question."""
    for path in sorted(COURSE.rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield str(path.relative_to(COURSE)), 1, path.read_text(encoding="utf-8")
    for path in sorted(COURSE.glob("modules/*/lessons/*.md")):
        text = path.read_text(encoding="utf-8")
        body = split_front_matter(text)[1]
        offset = text[: len(text) - len(body)].count("\n")  # lines of front matter before the body
        for token in MarkdownIt("commonmark").parse(body):
            if token.type == "fence" and token.info.strip().split(" ")[0].lower() in PYTHON_FENCES:
                first = offset + (token.map[0] + 2 if token.map else 1)
                yield str(path.relative_to(COURSE)), first, token.content

    for path in sorted(COURSE.glob("modules/*/quiz.yaml")):
        quiz = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for number, question in enumerate(quiz.get("questions") or [], start=1):
            for key in ("starter", "checks"):
                if question.get("type") == "code" and question.get(key):
                    yield f"{path.relative_to(COURSE)} question {number} {key}", 1, question[key]


def test_scanner_catches_the_traps() -> None:
    trap = 'tok = AutoTokenizer.from_pretrained("bert-base-uncased")  # fine\nnltk.download("punkt")\n'
    assert [n for n, _ in network_uses(trap)] == [1, 2]
    assert not list(network_uses('AutoModel.from_pretrained("/opt/model")\n# requests.get(url)\n'))
    assert not list(network_uses("model = AutoModel.from_pretrained(path)\n"))


def test_no_course_code_reaches_the_network() -> None:
    found = [
        f"{where}:{first + number - 1}: {why}"
        for where, first, code in code_sources()
        for number, why in network_uses(code)
    ]
    assert not found, (
        "course code that needs the network (the course must run offline; use bundled data, a "
        "local model folder, or fence an online-only illustration as ```text):\n" + "\n".join(found)
    )


NETWORK_LAB = {
    "lab.yaml": textwrap.dedent(
        """\
        uuid: 0b7f6c3e-2d7e-4d0b-9a61-3f0c2f1c9a10
        title: Try to reach the network
        queue: cpu
        limits:
          wall_seconds: 60
          cpu_seconds: 30
          memory_mb: 512
        data: []
        """
    ),
    "solution.py": textwrap.dedent(
        """\
        import socket

        from masterclass import log, report


        def connects(host="1.1.1.1", port=443):
            try:
                with socket.create_connection((host, port), timeout=5):
                    return 1.0
            except OSError as exc:
                log(f"connect to {host}:{port} failed: {exc!r}")
                return 0.0


        def resolves(name="pypi.org"):
            try:
                socket.getaddrinfo(name, 443)
            except OSError as exc:
                log(f"resolving {name} failed: {exc!r}")
                return 0.0
            return 1.0


        if __name__ == "__main__":
            report(step=0, connected=connects(), resolved=resolves())
        """
    ),
    "checks.py": textwrap.dedent(
        '''\
        def check_ran(run):
            """The program ran to its end"""
            assert run.exit_code == 0, f"exit code {run.exit_code}"


        def check_no_connection(run):
            """A socket to an outside address cannot be opened"""
            assert run.require("connected") == 0.0, "the box opened a connection to 1.1.1.1:443"


        def check_no_dns(run):
            """A DNS name cannot be resolved"""
            assert run.require("resolved") == 0.0, "the box resolved pypi.org"
        '''
    ),
}


@pytest.mark.slow
def test_a_lab_in_the_sandbox_cannot_reach_the_network(tmp_path: Path) -> None:
    bubblewrap_or_skip()
    from sandbox.labrun import run_lab_in_sandbox

    # Shaped like a course lab; the course folder has no data/, so the box gets none.
    lab = tmp_path / "course" / "modules" / "00-network" / "labs" / "reach-out"
    lab.mkdir(parents=True)
    for name, text in {**NETWORK_LAB, "starter.py": NETWORK_LAB["solution.py"]}.items():
        (lab / name).write_text(text)
    result = run_lab_in_sandbox(lab, solution=True, mode="smoke", backend="bubblewrap")
    checks = {c["name"]: c for c in result.get("checks", [])}
    assert set(checks) == {"check_ran", "check_no_connection", "check_no_dns"}, result
    failed = {name: c["message"] for name, c in checks.items() if not c["passed"]}
    assert not failed, f"{failed}\n{result.get('output_tail')}"
