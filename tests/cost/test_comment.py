"""``askc cost comment github|gitlab`` against fake GitHub and GitLab APIs on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.cost.conftest import JsonHandler, start_server
from tests.cost.test_cli import askc

TOKEN = "tok-s3cr3t-never-printed"
MARKER = "<!-- askc-cost-diff project=shop stack=prod -->"


@dataclass
class FakeApi:
    """GitHub's issue comments + GraphQL, or GitLab's MR notes, held in memory."""

    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    fail: int | None = None
    next_id: int = 100

    def add(self, body: str) -> dict[str, Any]:
        self.next_id += 1
        item = {"id": self.next_id, "node_id": f"IC_{self.next_id}", "body": body}
        self.comments.append(item)
        return item


def serve(api: FakeApi) -> tuple[ThreadingHTTPServer, str]:
    class Handler(JsonHandler):
        def _handle(self) -> None:
            raw = self.body()
            payload = json.loads(raw) if raw else None
            api.requests.append((self.command, self.path, dict(self.headers.items()), payload))
            if api.fail is not None:
                self.answer(api.fail, {"message": "Bad credentials"})
                return
            path, _, query = self.path.partition("?")
            parts = path.strip("/").split("/")
            if self.command == "GET" and parts[-1] in ("comments", "notes"):
                page = int(dict(p.split("=") for p in query.split("&"))["page"])
                self.answer(200, api.comments[(page - 1) * 100 : page * 100])
            elif self.command == "POST" and parts[-1] in ("comments", "notes"):
                self.answer(201, api.add(payload["body"]))
            elif self.command in ("PATCH", "PUT"):
                item = next(c for c in api.comments if str(c["id"]) == parts[-1])
                item["body"] = payload["body"]
                self.answer(200, item)
            elif parts[-1] == "graphql":
                item = next(c for c in api.comments if c["node_id"] == payload["variables"]["id"])
                item["minimized"] = True
                self.answer(
                    200, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}}
                )
            else:
                self.answer(404, {"message": "Not Found"})

        do_GET = do_POST = do_PATCH = do_PUT = _handle

    return start_server(Handler)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeApi, str]]:
    api = FakeApi()
    server, url = serve(api)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    for name in (
        "GITHUB_REPOSITORY",
        "PR_NUMBER",
        "CI_PROJECT_ID",
        "CI_MERGE_REQUEST_IID",
        "GH_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    yield api, url
    server.shutdown()
    server.server_close()


def body(tmp_path: Path, text: str) -> str:
    path = tmp_path / "cost.md"
    path.write_text(text)
    return str(path)


def github(url: str, path: str, *extra: str) -> tuple[int, str, str]:
    return askc(
        "comment",
        "github",
        "--path",
        path,
        "--repo",
        "acme/shop",
        "--pull-request",
        "7",
        "--api-url",
        url,
        *extra,
    )


def test_update_posts_then_edits_the_same_comment(
    fake: tuple[FakeApi, str], tmp_path: Path
) -> None:
    api, url = fake
    api.add("an unrelated review comment")
    first = body(tmp_path, f"{MARKER}\n📈 +10.00 CNY\n")
    assert github(url, first) == (0, "GitHub: created comment 102\n", "")
    second = body(tmp_path, f"{MARKER}\n📈 +12.00 CNY\n")
    assert github(url, second) == (0, "GitHub: updated comment 102\n", "")
    assert github(url, second) == (0, "GitHub: unchanged comment 102\n", "")
    assert [c["body"] for c in api.comments] == [
        "an unrelated review comment",
        f"{MARKER}\n📈 +12.00 CNY\n",
    ]
    methods = [(m, p.split("?")[0]) for m, p, _, _ in api.requests]
    assert methods == [
        ("GET", "/repos/acme/shop/issues/7/comments"),
        ("POST", "/repos/acme/shop/issues/7/comments"),
        ("GET", "/repos/acme/shop/issues/7/comments"),
        ("PATCH", "/repos/acme/shop/issues/comments/102"),
        ("GET", "/repos/acme/shop/issues/7/comments"),
    ]
    headers = {k.lower(): v for k, v in api.requests[1][2].items()}
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["x-github-api-version"] == "2022-11-28"


def test_another_stack_s_comment_is_not_ours(fake: tuple[FakeApi, str], tmp_path: Path) -> None:
    api, url = fake
    api.add("<!-- askc-cost-diff project=shop stack=dev -->\nold dev")
    assert github(url, body(tmp_path, f"{MARKER}\nprod\n"))[1] == "GitHub: created comment 102\n"
    assert api.comments[0]["body"].endswith("old dev")


def test_new_always_posts(fake: tuple[FakeApi, str], tmp_path: Path) -> None:
    api, url = fake
    path = body(tmp_path, "no marker needed\n")
    assert github(url, path, "--behavior", "new")[1] == "GitHub: created comment 101\n"
    assert github(url, path, "--behavior", "new")[1] == "GitHub: created comment 102\n"
    assert [m for m, *_ in api.requests] == ["POST", "POST"]


def test_hide_and_new_minimizes_earlier_comments_on_github(
    fake: tuple[FakeApi, str], tmp_path: Path
) -> None:
    api, url = fake
    api.add(f"{MARKER}\nold 1")
    api.add(f"{MARKER}\nold 2")
    code, out, _ = github(url, body(tmp_path, f"{MARKER}\nnew\n"), "--behavior", "hide-and-new")
    assert (code, out) == (0, "GitHub: created comment 103, 2 earlier comment(s) hidden\n")
    assert [c.get("minimized", False) for c in api.comments] == [True, True, False]
    mutation = [r for r in api.requests if r[1] == "/graphql"]
    assert len(mutation) == 2
    assert mutation[0][3]["variables"] == {"id": "IC_101"}
    assert "classifier: OUTDATED" in mutation[0][3]["query"]


def test_gitlab_update_and_hide_and_new(fake: tuple[FakeApi, str], tmp_path: Path) -> None:
    api, url = fake

    def gitlab(path: str, *extra: str) -> tuple[int, str, str]:
        return askc(
            "comment",
            "gitlab",
            "--path",
            path,
            "--repo",
            "group/shop",
            "--merge-request",
            "3",
            "--api-url",
            url,
            *extra,
        )

    assert gitlab(body(tmp_path, f"{MARKER}\nv1\n"))[1] == "GitLab: created comment 101\n"
    assert gitlab(body(tmp_path, f"{MARKER}\nv2\n"))[1] == "GitLab: updated comment 101\n"
    assert (
        api.requests[0][1]
        == "/projects/group%2Fshop/merge_requests/3/notes?per_page=100&page=1&sort=asc&order_by=created_at"
    )
    assert {k.lower(): v for k, v in api.requests[0][2].items()}["private-token"] == TOKEN
    assert api.requests[-1][0] == "PUT"
    code, out, _ = gitlab(body(tmp_path, f"{MARKER}\nv3\n"), "--behavior", "hide-and-new")
    assert (code, out) == (0, "GitLab: created comment 102, 1 earlier comment(s) hidden\n")
    hidden = api.comments[0]["body"]
    assert hidden.splitlines()[:2] == [
        "<!-- askc-cost-diff-hidden project=shop stack=prod -->",
        "<details><summary>Outdated cost estimate (a newer one is below)</summary>",
    ]
    assert "v2" in hidden
    # The hidden note is no longer ours: update edits the new one.
    assert gitlab(body(tmp_path, f"{MARKER}\nv4\n"))[1] == "GitLab: updated comment 102\n"


def test_pages_are_followed(fake: tuple[FakeApi, str], tmp_path: Path) -> None:
    api, url = fake
    for n in range(150):
        api.add(f"chatter {n}")
    api.add(f"{MARKER}\nold")
    assert github(url, body(tmp_path, f"{MARKER}\nnew\n"))[1] == "GitHub: updated comment 251\n"
    assert [p.split("?")[1] for m, p, *_ in api.requests if m == "GET"] == [
        "per_page=100&page=1",
        "per_page=100&page=2",
    ]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            401,
            "GitHub refused GET {url}/repos/acme/shop/issues/7/comments: HTTP 401: Bad credentials (check the token in the environment)",
        ),
        (
            404,
            "GitHub refused GET {url}/repos/acme/shop/issues/7/comments: HTTP 404: Bad credentials (no such repository or pull request, or the token cannot see it)",
        ),
    ],
)
def test_refusals_exit_2_without_the_token(
    fake: tuple[FakeApi, str], tmp_path: Path, status: int, message: str
) -> None:
    api, url = fake
    api.fail = status
    code, out, err = github(url, body(tmp_path, f"{MARKER}\nx\n"))
    assert (code, out) == (2, "")
    assert err == f"Error: {message.format(url=url)}\n"
    assert TOKEN not in err


def test_unreachable_api_exits_2(fake: tuple[FakeApi, str], tmp_path: Path) -> None:
    code, _, err = github("http://127.0.0.1:9", body(tmp_path, f"{MARKER}\nx\n"))
    assert code == 2
    assert err.startswith(
        "Error: GitHub: cannot reach http://127.0.0.1:9/repos/acme/shop/issues/7/comments: "
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--behavior", "sometimes"],
            {},
            "--behavior: 'sometimes' is not allowed; use update, new, hide-and-new",
        ),
        (
            [],
            {"GITHUB_TOKEN": ""},
            "GitHub: no token: set GITHUB_TOKEN or GH_TOKEN in the environment",
        ),
    ],
)
def test_option_mistakes(
    fake: tuple[FakeApi, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    _, url = fake
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = github(url, body(tmp_path, f"{MARKER}\nx\n"), *args)
    assert (code, err) == (2, f"Error: {message}\n")


def test_update_needs_the_marker(fake: tuple[FakeApi, str], tmp_path: Path) -> None:
    api, url = fake
    code, _, err = github(url, body(tmp_path, "# a hand-written comment\n"))
    assert code == 2
    assert "this body has none (use --behavior new to post it as it is)" in err
    assert api.requests == []


def test_repo_and_number_from_the_environment(
    fake: tuple[FakeApi, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api, url = fake
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/web")
    monkeypatch.setenv("PR_NUMBER", "12")
    code, _, _ = askc(
        "comment", "github", "--path", body(tmp_path, f"{MARKER}\nx\n"), "--api-url", url
    )
    assert code == 0
    assert api.requests[0][1].startswith("/repos/acme/web/issues/12/comments")
    monkeypatch.setenv("PR_NUMBER", "abc")
    code, _, err = askc(
        "comment", "github", "--path", body(tmp_path, f"{MARKER}\nx\n"), "--api-url", url
    )
    assert (code, err) == (
        2,
        "Error: --pull-request: expected a positive number (or $PR_NUMBER), got 'abc'\n",
    )
