"""Post a cost diff as a pull-request comment (``askc cost comment github|gitlab``).

The Markdown of ``askc cost diff --format markdown`` starts with a hidden marker line
(:func:`ask_components.cost.render.comment_marker`); a comment whose first line is the same
marker is "ours". Behaviours, as Infracost names them:

- ``update``: edit our latest comment in place (nothing is sent when its body is the same);
  post a new one when there is none;
- ``new``: always post a new comment;
- ``hide-and-new``: hide our earlier comments, then post a new one. GitHub minimizes them as
  outdated (GraphQL ``minimizeComment``, the REST API has no such call); GitLab has no hidden
  notes, so the earlier notes are edited into a collapsed ``<details>`` block whose marker says
  ``hidden`` (so ``update`` never picks them again).

REST endpoints (GitHub: https://docs.github.com/en/rest/issues/comments; GitLab:
https://docs.gitlab.com/api/notes/#merge-requests):

- GitHub: list ``GET /repos/{repo}/issues/{pr}/comments?per_page=100&page=N``, create
  ``POST /repos/{repo}/issues/{pr}/comments``, edit ``PATCH /repos/{repo}/issues/comments/{id}``;
- GitLab: list ``GET /projects/{id}/merge_requests/{iid}/notes?per_page=100&page=N``, create
  ``POST`` to the same path, edit ``PUT /projects/{id}/merge_requests/{iid}/notes/{note}``.

Tokens come from the environment (``GITHUB_TOKEN``/``GH_TOKEN``, ``GITLAB_TOKEN``) and are
never printed: error messages name the URL (which holds no token) and the platform's message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from ask_components.cost.render import MARKER_PREFIX
from ask_components.errors import InputError

Behavior = Literal["update", "new", "hide-and-new"]
BEHAVIORS: Final = ("update", "new", "hide-and-new")
HIDDEN_PREFIX: Final = "<!-- askc-cost-diff-hidden"
"""The marker of a GitLab note that ``hide-and-new`` collapsed."""
MAX_PAGES: Final = 50
"""At most 50 pages of 100 comments are read (a thread longer than 5,000 is not searched)."""
TIMEOUT_SECONDS: Final = 30
GITHUB_MAX_BODY: Final = 65_536
"""GitHub refuses comment bodies longer than 65,536 characters; refuse before sending."""
GITLAB_MAX_BODY: Final = 1_000_000
"""GitLab's limit for a note's body."""


class CommentError(InputError):
    """The platform refused a request, or could not be reached (exit code 2)."""


@dataclass(frozen=True)
class Comment:
    """A comment on the pull or merge request.

    Attributes:
        id: the platform's id (used in the URL of an edit).
        body: its Markdown.
        node_id: GitHub's GraphQL id (to minimize it); empty on GitLab.
    """

    id: int
    body: str
    node_id: str = ""


@dataclass(frozen=True)
class Outcome:
    """What ``post_comment`` did.

    Attributes:
        action: ``created``, ``updated`` or ``unchanged``.
        comment_id: the comment created or edited.
        hidden: how many earlier comments were hidden.
    """

    action: Literal["created", "updated", "unchanged"]
    comment_id: int
    hidden: int = 0


def marker_of(body: str) -> str | None:
    """The askc marker line a body starts with, or None."""
    first = body.lstrip("\ufeff").split("\n", 1)[0].strip()
    return first if first.startswith(MARKER_PREFIX) and first.endswith("-->") else None


class Client:
    """A small JSON-over-HTTPS client for one platform's API (stdlib only)."""

    def __init__(self, platform: str, api_url: str, headers: Mapping[str, str]) -> None:
        self.platform = platform
        self.api_url = api_url.rstrip("/")
        self.headers = dict(headers)

    def request(
        self, method: str, path: str, payload: Any = None, *, url: str | None = None
    ) -> tuple[Any, Mapping[str, str]]:
        """Send one request; the decoded JSON answer and the response headers."""
        target = url or f"{self.api_url}{path}"
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        headers = {**self.headers, "Accept": self.headers.get("Accept", "application/json")}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(target, data=data, method=method, headers=headers)
        shown = target.split("?", 1)[0]
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                raw = response.read()
                answer_headers = dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            raise CommentError(self._refusal(exc, method, shown)) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CommentError(f"{self.platform}: cannot reach {shown}: {reason}") from None
        try:
            return (json.loads(raw) if raw.strip() else None), answer_headers
        except json.JSONDecodeError:
            raise CommentError(
                f"{self.platform}: {method} {shown} answered something that is not JSON"
            ) from None

    def _refusal(self, exc: urllib.error.HTTPError, method: str, shown: str) -> str:
        try:
            detail = json.loads(exc.read() or b"{}")
        except (json.JSONDecodeError, OSError):
            detail = {}
        message = ""
        if isinstance(detail, dict):
            message = str(detail.get("message") or detail.get("error") or "")
        said = f": {message}" if message else ""
        hint = {
            401: " (check the token in the environment)",
            403: " (the token lacks permission to comment, or a rate limit was hit)",
            404: " (no such repository or pull request, or the token cannot see it)",
        }.get(exc.code, "")
        return f"{self.platform} refused {method} {shown}: HTTP {exc.code}{said}{hint}"


class Platform:
    """What differs between GitHub and GitLab."""

    name: str
    client: Client
    max_body: int

    def comments(self) -> list[Comment]:
        """Every comment of the pull/merge request, oldest first."""
        raise NotImplementedError

    def create(self, body: str) -> int:
        """Post a new comment; its id."""
        raise NotImplementedError

    def update(self, comment: Comment, body: str) -> None:
        """Replace a comment's body."""
        raise NotImplementedError

    def hide(self, comment: Comment) -> None:
        """Hide an outdated comment."""
        raise NotImplementedError

    def _pages(self, path: str, extra: str = "") -> list[Any]:
        items: list[Any] = []
        for page in range(1, MAX_PAGES + 1):
            answer, _ = self.client.request("GET", f"{path}?per_page=100&page={page}{extra}")
            if not isinstance(answer, list):
                raise CommentError(f"{self.name}: listing {path} did not answer a list")
            items.extend(answer)
            if len(answer) < 100:
                break
        return items


def _comment(item: Any, platform: str) -> Comment:
    if not isinstance(item, dict) or not isinstance(item.get("id"), int):
        raise CommentError(f"{platform}: a comment without an id in the answer")
    body = item.get("body")
    return Comment(
        item["id"], body if isinstance(body, str) else "", str(item.get("node_id") or "")
    )


class GitHub(Platform):
    """GitHub (or GitHub Enterprise Server): issue comments of a pull request."""

    name = "GitHub"
    max_body = GITHUB_MAX_BODY

    def __init__(self, api_url: str, token: str, repo: str, number: int) -> None:
        self.client = Client(
            "GitHub",
            api_url,
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "askc",
            },
        )
        self.repo = repo
        self.number = number

    def comments(self) -> list[Comment]:
        items = self._pages(f"/repos/{self.repo}/issues/{self.number}/comments")
        return [_comment(item, self.name) for item in items]

    def create(self, body: str) -> int:
        answer, _ = self.client.request(
            "POST", f"/repos/{self.repo}/issues/{self.number}/comments", {"body": body}
        )
        return _comment(answer, self.name).id

    def update(self, comment: Comment, body: str) -> None:
        self.client.request(
            "PATCH", f"/repos/{self.repo}/issues/comments/{comment.id}", {"body": body}
        )

    def graphql_url(self) -> str:
        """``/graphql`` beside the REST API (``/api/graphql`` on GitHub Enterprise Server)."""
        api = self.client.api_url
        if api.endswith("/api/v3"):
            return api[: -len("/v3")] + "/graphql"
        return api + "/graphql"

    def hide(self, comment: Comment) -> None:
        query = (
            "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED})"
            " { minimizedComment { isMinimized } } }"
        )
        answer, _ = self.client.request(
            "POST",
            "",
            {"query": query, "variables": {"id": comment.node_id}},
            url=self.graphql_url(),
        )
        if isinstance(answer, dict) and answer.get("errors"):
            first = answer["errors"][0]
            message = first.get("message") if isinstance(first, dict) else first
            raise CommentError(f"GitHub refused to hide comment {comment.id}: {message}")


class GitLab(Platform):
    """GitLab: notes of a merge request."""

    name = "GitLab"
    max_body = GITLAB_MAX_BODY

    def __init__(self, api_url: str, token: str, project: str, iid: int) -> None:
        self.client = Client("GitLab", api_url, {"PRIVATE-TOKEN": token, "User-Agent": "askc"})
        self.base = f"/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{iid}/notes"

    def comments(self) -> list[Comment]:
        items = self._pages(self.base, "&sort=asc&order_by=created_at")
        return [_comment(item, self.name) for item in items]

    def create(self, body: str) -> int:
        answer, _ = self.client.request("POST", self.base, {"body": body})
        return _comment(answer, self.name).id

    def update(self, comment: Comment, body: str) -> None:
        self.client.request("PUT", f"{self.base}/{comment.id}", {"body": body})

    def hide(self, comment: Comment) -> None:
        marker = marker_of(comment.body) or ""
        rest = comment.body.split("\n", 1)[1] if "\n" in comment.body else ""
        hidden = marker.replace(MARKER_PREFIX, HIDDEN_PREFIX, 1)
        self.update(
            comment,
            f"{hidden}\n<details><summary>Outdated cost estimate (a newer one is below)"
            f"</summary>\n\n{rest.strip()}\n\n</details>\n",
        )


def post_comment(platform: Platform, body: str, behavior: Behavior) -> Outcome:
    """Post ``body`` the way ``behavior`` says (see the module docs).

    Raises:
        InputError: ``update``/``hide-and-new`` with a body that has no askc marker, or a body
            too long for a comment.
        CommentError: the platform refused a request or could not be reached.
    """
    if len(body) > platform.max_body:
        raise InputError(
            f"the comment is {len(body)} characters, more than the {platform.max_body} a "
            f"{platform.name} comment may have; post fewer stacks per comment"
        )
    if behavior == "new":
        return Outcome("created", platform.create(body))
    marker = marker_of(body)
    if marker is None:
        raise InputError(
            f"--behavior {behavior} finds the earlier comment by the marker line "
            f"({MARKER_PREFIX} … -->) that `askc cost diff --format markdown` writes first; "
            "this body has none (use --behavior new to post it as it is)"
        )
    ours = [c for c in platform.comments() if marker_of(c.body) == marker]
    if behavior == "update":
        if not ours:
            return Outcome("created", platform.create(body))
        latest = ours[-1]
        if latest.body == body:
            return Outcome("unchanged", latest.id)
        platform.update(latest, body)
        return Outcome("updated", latest.id)
    for comment in ours:
        platform.hide(comment)
    return Outcome("created", platform.create(body), hidden=len(ours))


__all__ = [
    "BEHAVIORS",
    "Behavior",
    "Comment",
    "CommentError",
    "GitHub",
    "GitLab",
    "Outcome",
    "marker_of",
    "post_comment",
]
