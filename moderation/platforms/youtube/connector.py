"""The YouTube connector (YouTube Data API v3): the channel's videos (and later edits of their
texts) and the comment threads on them, pulled incrementally; hiding (held for review),
rejecting and answering comments.

Access is an OAuth refresh token of the channel's owner with the client id and secret of the
municipality's Google Cloud project; an access token is fetched from Google's token endpoint
(a host of its own, so a second bounded client) once per connector. Every API call costs
quota units of the project's daily quota; the connector counts them in `self.limits` and
refuses a call that would go past the quota (RateLimited until midnight Pacific time)."""

import dataclasses
import datetime
import hashlib
import json
import re
import zoneinfo

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ...workflow import ItemKind
from .. import base
from ..http import client_for, send_or_fail
from . import mapping

SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
# Quota units per call (the API's documented costs).
LIST_COST = 1
WRITE_COST = 50
# Units a pull leaves unused, so that hiding and rejecting still work when the pulls of a
# busy day have used the rest.
ACTION_RESERVE = 500
# A per-minute limit (rateLimitExceeded) is waited out this long.
RATE_LIMIT_PAUSE = datetime.timedelta(minutes=2)
# The replies of one thread read in one page at most (100 each).
MAX_REPLY_PAGES = 10
# The channel's own videos whose texts are read again after each pull of the uploads: the
# newest CHECK_NEWEST always, and a rolling slice of the rest of the TRACKED_VIDEOS newest,
# CHECK_BATCH in all (what one videos.list call takes, for one quota unit).
TRACKED_VIDEOS = 200
CHECK_BATCH = 50
CHECK_NEWEST = 25
# YouTube's longest comment.
MAX_COMMENT_CHARS = 10_000

QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})
ACCESS_ERRORS = frozenset({"invalid_grant", "invalid_client", "unauthorized_client"})
WORD = re.compile(r"^[A-Za-z_]{1,40}$")


def quota_day(now: datetime.datetime) -> datetime.date:
    """The day YouTube's quota counts: it resets at midnight Pacific time."""
    return now.astimezone(PACIFIC).date()


def next_quota_reset(now: datetime.datetime) -> datetime.datetime:
    day = quota_day(now) + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=PACIFIC).astimezone(datetime.UTC)


def _word(value) -> str:
    """A platform's error code, only if it is a plain word (never echo anything else)."""
    return value if isinstance(value, str) and WORD.match(value) else ""


class ApiError(base.PlatformError):
    """An error answer of the API that an action may turn into an outcome (404: gone)."""

    def __init__(self, message: str, *, status: int, reason: str):
        super().__init__(message)
        self.status = status
        self.reason = reason


class ScopeMissing(base.AccessExpired):
    """The access lacks the scope the call needs."""


class _Mark:
    """How far the pull of one kind has read: what changed up to `since` (and the ids at
    exactly `since`, the times having whole seconds) was handed over in an earlier pull;
    `high` is the newest time seen in the pull under way."""

    def __init__(self, state: dict):
        self.state = state
        self.since = mapping.parse_time(state.get("since"))
        self.edge = set(state.get("edge") or [])
        self.high = mapping.parse_time(state.get("high"))
        self.high_edge = set(state.get("high_edge") or [])

    def is_new(self, at: datetime.datetime | None, external_id: str) -> bool:
        if self.since is None or at is None:
            return True
        return at > self.since or (at == self.since and external_id not in self.edge)

    def see(self, at: datetime.datetime | None, external_id: str) -> None:
        if at is None:
            return
        if self.high is None or at > self.high:
            self.high, self.high_edge = at, {external_id}
        elif at == self.high:
            self.high_edge.add(external_id)

    def finish(self) -> None:
        """The kind is read to its end: the next pull reads only what is newer."""
        if self.high is not None:
            if self.since is None or self.high > self.since:
                self.since, self.edge = self.high, self.high_edge
            elif self.high == self.since:
                self.edge |= self.high_edge
        self.high, self.high_edge = None, set()

    def save(self) -> None:
        self.state["since"] = self.since.isoformat() if self.since else ""
        self.state["edge"] = sorted(self.edge)
        self.state["high"] = self.high.isoformat() if self.high else ""
        self.state["high_edge"] = sorted(self.high_edge)


class YouTubeConnector(base.Connector):
    platform = "youtube"
    label = "YouTube"
    KINDS = ("posts", "comments")
    SECRET_FIELDS = (
        ("refresh_token", "OAuth-uppdateringstoken (refresh token) för kanalens ägare"),
        ("client_id", "Klient-id för kommunens Google Cloud-projekt"),
        ("client_secret", "Klienthemlighet för kommunens Google Cloud-projekt"),
    )
    ACCOUNT_ID_LABEL = "Kanalens id (börjar med UC)"
    # A rejected comment can never be published again: the tool asks before it rejects.
    REJECT_IS_FINAL = True
    THREAD_PAGE_SIZE = 100
    VIDEO_PAGE_SIZE = 50
    REPLY_PAGE_SIZE = 100

    def __init__(
        self,
        *,
        account_id: str,
        credentials: dict,
        http: httpx.Client,
        limits: dict | None = None,
        oauth_http: httpx.Client | None = None,
    ):
        super().__init__(account_id=account_id, credentials=credentials, http=http)
        # The quota counted so far (the connection's saved limits); read at every call, so a
        # caller may also set `connector.limits` after building the connector.
        self.limits = dict(limits or {})
        self._oauth_http = oauth_http
        self._access_token = ""
        self._scopes: set[str] | None = None

    # --- Access -----------------------------------------------------------------------

    def _token(self) -> str:
        if self._access_token:
            return self._access_token
        fields = {
            name: str(self.credentials.get(name) or "") for name, _label in self.SECRET_FIELDS
        }
        if not all(fields.values()):
            raise base.AccessExpired(
                _(
                    "Uppgifterna för YouTube är ofullständiga: ange uppdateringstoken, "
                    "klient-id och klienthemlighet."
                )
            )
        if self._oauth_http is None:
            self._oauth_http = client_for("youtube_oauth")
        response = send_or_fail(
            self._oauth_http,
            "POST",
            "token",
            data={"grant_type": "refresh_token", **fields},
        )
        body = self._body_or_none(response)
        if response.status_code in (400, 401):
            error = _word((body or {}).get("error"))
            if response.status_code == 401 or error in ACCESS_ERRORS:
                raise base.AccessExpired(
                    _(
                        "Google godtog inte kanalens inloggning (%(error)s): uppdateringstoken har "
                        "gått ut eller dragits tillbaka. Logga in på nytt och ange en ny."
                    )
                    % {"error": error or response.status_code}
                )
        if response.status_code == 429:
            raise base.RateLimited(
                _("Googles inloggningstjänst ber verktyget vänta."),
                retry_at=timezone.now() + RATE_LIMIT_PAUSE,
            )
        if not response.is_success:
            raise base.PlatformError(
                _("Googles inloggningstjänst svarade med ett fel (HTTP %(status)s).")
                % {"status": response.status_code}
            )
        token = (body or {}).get("access_token")
        if not isinstance(token, str) or not token:
            raise base.PlatformError(_("Googles inloggningstjänst svarade inte som väntat."))
        scope = (body or {}).get("scope")
        self._scopes = set(scope.split()) if isinstance(scope, str) else None
        self._access_token = token
        return token

    # --- Quota ------------------------------------------------------------------------

    def _spend(self, cost: int, *, action: bool) -> None:
        """Count `cost` units of today's quota, or refuse when they would go past it (a pull
        also leaves ACTION_RESERVE for the actions)."""
        now = timezone.now()
        day = quota_day(now).isoformat()
        quota = settings.YOUTUBE_DAILY_QUOTA
        used = self.limits.get("quota_used", 0) if self.limits.get("quota_day") == day else 0
        if not isinstance(used, int):
            used = 0
        reserve = 0 if action else min(ACTION_RESERVE, quota // 10)
        if used + cost > quota - reserve:
            self._count(day, used, quota, now)
            raise base.RateLimited(
                _(
                    "YouTubes dagliga kvot räcker inte till fler anrop i dag (%(used)s av "
                    "%(quota)s enheter använda); verktyget fortsätter när kvoten nollställs."
                )
                % {"used": used, "quota": quota},
                retry_at=next_quota_reset(now),
            )
        self._count(day, used + cost, quota, now)

    def _count(self, day: str, used: int, quota: int, now: datetime.datetime) -> None:
        resets_at = next_quota_reset(now)
        self.limits = {
            **self.limits,
            "quota_day": day,
            "quota_used": used,
            "quota_limit": quota,
            "resets_at": resets_at.isoformat(),
            "summary": _(
                "%(used)s av %(quota)s kvotenheter använda i dag; kvoten nollställs %(at)s."
            )
            % {
                "used": used,
                "quota": quota,
                "at": timezone.localtime(resets_at).strftime("%H:%M"),
            },
        }

    # --- Calls ------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, *, cost: int = LIST_COST, action: bool = False, **kwargs
    ):
        token = self._token()
        self._spend(cost, action=action)
        response = send_or_fail(
            self.http, method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs
        )
        if response.is_success:
            return response
        body = self._body_or_none(response) or {}
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        errors = error.get("errors") if isinstance(error.get("errors"), list) else []
        reasons = {_word(entry.get("reason")) for entry in errors if isinstance(entry, dict)}
        for detail in error.get("details") or []:
            if isinstance(detail, dict):
                reasons.add(_word(detail.get("reason")))
        reasons.discard("")
        status = response.status_code
        if status == 401:
            raise base.AccessExpired(
                _(
                    "YouTube godtog inte åtkomsten (HTTP 401): logga in på nytt och ange en "
                    "ny uppdateringstoken."
                )
            )
        if status in (403, 429) and reasons & QUOTA_REASONS:
            now = timezone.now()
            quota = settings.YOUTUBE_DAILY_QUOTA
            self._count(quota_day(now).isoformat(), quota, quota, now)
            raise base.RateLimited(
                _("YouTubes dagliga kvot är slut; verktyget fortsätter när kvoten nollställs."),
                retry_at=next_quota_reset(now),
            )
        if status == 429 or (status == 403 and reasons & RATE_REASONS):
            raise base.RateLimited(
                _("YouTube ber verktyget göra färre anrop en stund."),
                retry_at=timezone.now() + RATE_LIMIT_PAUSE,
            )
        if status == 403 and reasons & SCOPE_REASONS:
            raise ScopeMissing(
                _(
                    "Åtkomsten saknar behörigheten youtube.force-ssl: "
                    "logga in på nytt och godkänn den."
                )
            )
        reason = sorted(reasons)[0] if reasons else ""
        raise ApiError(
            _("YouTube svarade med ett fel (HTTP %(status)s%(reason)s).")
            % {"status": status, "reason": f": {reason}" if reason else ""},
            status=status,
            reason=reason,
        )

    @staticmethod
    def _body_or_none(response: httpx.Response):
        try:
            body = response.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _json(self, response: httpx.Response) -> dict:
        body = self._body_or_none(response)
        if body is None:
            raise base.PlatformError(
                _("YouTubes svar var inte det väntade (avbrutet eller inte JSON).")
            )
        return body

    def _get(self, path: str, params: dict) -> dict:
        return self._json(self._call("GET", path, params=params))

    # --- The interface ----------------------------------------------------------------

    def test(self) -> list[str]:
        missing = []
        self._token()
        scope_label = _("Hantera kommentarer på YouTube (behörigheten youtube.force-ssl)")
        if self._scopes is not None and SCOPE not in self._scopes:
            missing.append(scope_label)
        try:
            body = self._get("channels", {"part": "id", "mine": "true"})
        except ScopeMissing:
            return missing or [scope_label]
        channels = [
            mapping._id(entry.get("id"))
            for entry in body.get("items") or []
            if isinstance(entry, dict)
        ]
        if self.account_id not in channels:
            missing.append(
                _("Ägarskap till kanalen %(channel)s: inloggningen gäller en annan kanal.")
                % {"channel": self.account_id}
            )
        return missing

    def profile(self) -> base.Profile:
        """The channel's title and description: `channels.list` with part=snippet, one quota
        unit, spent as a pull's (the reserve for the actions holds)."""
        body = self._get("channels", {"part": "snippet", "id": self.account_id})
        for entry in body.get("items") or []:
            if isinstance(entry, dict) and mapping._id(entry.get("id")) == self.account_id:
                return mapping.channel_profile(entry)
        raise base.PlatformError(
            _("YouTube hittade inte kanalen %(id)s.") % {"id": self.account_id}
        )

    def fetch(self, kind: str, cursor: str) -> base.Page:
        state = base.decode_cursor(cursor)
        if kind == "posts":
            return self._fetch_posts(state)
        if kind == "comments":
            return self._fetch_comments(state)
        raise base.PlatformError(
            _("YouTube har inget innehåll av slaget %(kind)s.") % {"kind": kind}
        )

    def _page(self, items, state: dict, mark: _Mark, *, more: bool) -> base.Page:
        mark.save()
        return base.Page(items=items, cursor=json.dumps(state, sort_keys=True), more=more)

    def _fetch_posts(self, state: dict) -> base.Page:
        """The channel's uploads, newest first: a later pull stops at the first video older
        than what an earlier one handed over. Then one more page: the texts of the videos
        kept track of, read again (`_check_video_texts`), so that a later edit of a title or
        description becomes a version.

        Besides the mark and the page token the cursor keeps "videos" (the ids of the
        newest TRACKED_VIDEOS videos seen, newest first), "texts" (per video a digest of
        the text last handed over, "" when none was), "turn" (where the rolling slice of
        the next check starts), "fresh" (the ids seen by the uploads read under way) and
        "phase" ("texts" when the check is due)."""
        now = timezone.now()
        mark = _Mark(state)
        _load_tracking(state)
        if state["phase"] == "texts":
            return self._check_video_texts(state, mark, now)
        uploads = state.get("uploads")
        if not isinstance(uploads, str) or not uploads:
            body = self._get("channels", {"part": "contentDetails", "id": self.account_id})
            entries = [entry for entry in body.get("items") or [] if isinstance(entry, dict)]
            playlists = (
                (entries[0].get("contentDetails") or {}).get("relatedPlaylists")
                if entries
                else None
            )
            uploads = (playlists or {}).get("uploads") if isinstance(playlists, dict) else None
            if not isinstance(uploads, str) or not uploads:
                raise base.PlatformError(
                    _("Kanalen %(channel)s finns inte på YouTube.") % {"channel": self.account_id}
                )
            state["uploads"] = uploads
        params = {
            "part": "snippet,contentDetails",
            "playlistId": uploads,
            "maxResults": self.VIDEO_PAGE_SIZE,
        }
        if state.get("page"):
            params["pageToken"] = state["page"]
        try:
            body = self._get("playlistItems", params)
        except ApiError as error:
            if error.status != 404:
                raise
            body = {}  # A channel that never uploaded has no uploads playlist.
        items, reached_old = [], False
        for entry in body.get("items") or []:
            item = mapping.video_item(entry, now=now)
            if item is None:
                continue
            at = mapping.video_time(entry)
            if mark.is_new(at, item.external_id):
                items.append(item)
                state["texts"][item.external_id] = _digest(item.text)
            elif at is not None:
                # Handed over before: the uploads are newest first, the rest is older.
                reached_old = True
            state["texts"].setdefault(item.external_id, "")
            if item.external_id not in state["fresh"]:
                state["fresh"].append(item.external_id)
            mark.see(at, item.external_id)
        next_token = body.get("nextPageToken")
        if isinstance(next_token, str) and next_token and not reached_old:
            state["page"] = next_token
            return self._page(items, state, mark, more=True)
        state["page"] = ""
        mark.finish()
        known = [video for video in state["videos"] if video not in state["fresh"]]
        state["videos"] = (state["fresh"] + known)[:TRACKED_VIDEOS]
        state["texts"] = {video: state["texts"].get(video, "") for video in state["videos"]}
        state["fresh"] = []
        state["phase"] = "texts" if state["videos"] else ""
        return self._page(items, state, mark, more=bool(state["videos"]))

    def _check_video_texts(self, state: dict, mark: _Mark, now) -> base.Page:
        """Read the snippets of the newest CHECK_NEWEST videos and of a rolling slice of the
        older ones kept track of, CHECK_BATCH ids in one videos.list call (1 quota unit, as
        a pull: the reserve for actions holds), and hand over those whose text differs from
        the one last handed over; the services keep the earlier text as a version. A video
        no longer answered for is left to `gone`."""
        newest = state["videos"][:CHECK_NEWEST]
        older = state["videos"][CHECK_NEWEST:]
        turn = state["turn"] % len(older) if older else 0
        rolling = (older[turn:] + older[:turn])[: CHECK_BATCH - len(newest)]
        wanted = newest + rolling
        body = self._get(
            "videos", {"part": "snippet", "id": ",".join(wanted), "maxResults": CHECK_BATCH}
        )
        items = []
        for video in body.get("items") or []:
            item = mapping.video_resource_item(video, now=now)
            if item is None or item.external_id not in state["texts"]:
                continue
            digest = _digest(item.text)
            if state["texts"][item.external_id] != digest:
                items.append(item)
                state["texts"][item.external_id] = digest
        state["turn"] = turn + len(rolling)
        state["phase"] = ""
        return self._page(items, state, mark, more=False)

    def _fetch_comments(self, state: dict) -> base.Page:
        """All comment threads on the channel's videos, published ones and then those held
        for review, page by page; only what is new or edited since the last pull is handed
        over. A thread carries a few of its replies; the rest are read when its count of
        replies changed."""
        now = timezone.now()
        mark = _Mark(state)
        status = (
            state.get("status")
            if state.get("status") in ("published", "heldForReview")
            else "published"
        )
        counts = state.get("counts") if isinstance(state.get("counts"), dict) else {}
        new_counts = state.get("new_counts") if isinstance(state.get("new_counts"), dict) else {}
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.account_id,
            "moderationStatus": status,
            "order": "time",
            "textFormat": "plainText",
            "maxResults": self.THREAD_PAGE_SIZE,
        }
        if state.get("page"):
            params["pageToken"] = state["page"]
        body = self._get("commentThreads", params)
        items = []

        def take(comment: dict, video: str) -> None:
            item = mapping.comment_item(
                comment, account_id=self.account_id, video_id=video, now=now
            )
            if item is None:
                return
            at = mapping.comment_time(comment)
            if mark.is_new(at, item.external_id):
                items.append(item)
            mark.see(at, item.external_id)

        for thread in body.get("items") or []:
            top, replies = mapping.thread_comments(thread)
            if top is None:
                continue
            video = mapping._id((thread.get("snippet") or {}).get("videoId"))
            top_id = mapping._id(top.get("id"))
            take(top, video)
            total = mapping.reply_count(thread)
            if total > len(replies) and top_id:
                new_counts[top_id] = total
                if counts.get(top_id) != total:
                    replies = self._replies(top_id)
            for reply in replies:
                take(reply, video)
        state["counts"], state["new_counts"] = counts, new_counts
        next_token = body.get("nextPageToken")
        if isinstance(next_token, str) and next_token:
            state["page"] = next_token
            return self._page(items, state, mark, more=True)
        state["page"] = ""
        if status == "published":
            state["status"] = "heldForReview"
            return self._page(items, state, mark, more=True)
        state["status"] = "published"
        state["counts"], state["new_counts"] = new_counts, {}
        mark.finish()
        return self._page(items, state, mark, more=False)

    def _replies(self, parent_id: str, *, action: bool = False) -> list[dict]:
        replies, token = [], ""
        for _page in range(MAX_REPLY_PAGES):
            params = {
                "part": "snippet",
                "parentId": parent_id,
                "textFormat": "plainText",
                "maxResults": self.REPLY_PAGE_SIZE,
            }
            if token:
                params["pageToken"] = token
            body = self._json(self._call("GET", "comments", params=params, action=action))
            replies += [entry for entry in body.get("items") or [] if isinstance(entry, dict)]
            token = body.get("nextPageToken")
            if not isinstance(token, str) or not token:
                break
        return replies

    def gone(self, external_ids: list[str]) -> set[str]:
        """Comments and videos asked for by id; what neither answers with is gone (deleted
        by its author, or rejected)."""
        ids = list(dict.fromkeys(str(external_id) for external_id in external_ids))
        if len(ids) > 50:
            raise ValueError("At most 50 ids at a time.")
        if not ids:
            return set()
        found = self._found("comments", ids)
        rest = [external_id for external_id in ids if external_id not in found]
        if rest:
            found |= self._found("videos", rest)
        return set(ids) - found

    def _found(self, path: str, ids: list[str]) -> set[str]:
        body = self._get(path, {"part": "id", "id": ",".join(ids)})
        return {
            mapping._id(entry.get("id"))
            for entry in body.get("items") or []
            if isinstance(entry, dict)
        }

    # --- Actions ----------------------------------------------------------------------

    @staticmethod
    def _is_video(target: base.ActionTarget) -> bool:
        return target.kind == ItemKind.POST and not target.parent

    def _set_status(self, comment_id: str, status: str) -> None:
        self._call(
            "POST",
            "comments/setModerationStatus",
            params={"id": comment_id, "moderationStatus": status},
            cost=WRITE_COST,
            action=True,
        )

    def _moderate(self, target: base.ActionTarget, status: str) -> bool:
        """Set the comment's moderation status; False when the comment is no longer there
        (deleted, or rejected before)."""
        try:
            self._set_status(target.external_id, status)
        except ApiError as error:
            if error.status == 404:
                return False
            if error.status in (400, 403):
                raise _NotAllowed from error
            raise
        return True

    def hide(self, target: base.ActionTarget) -> base.ActionOutcome:
        if self._is_video(target):
            return self.not_possible(
                _("En video kan inte döljas härifrån: gör den privat i YouTube Studio.")
            )
        try:
            done = self._moderate(target, "heldForReview")
        except _NotAllowed:
            return self.not_possible(_("YouTube tillåter inte att kommentaren döljs."))
        if not done:
            return base.ActionOutcome(base.ActionResult.DONE, _("Finns inte längre på YouTube"))
        return base.ActionOutcome(
            base.ActionResult.DONE, _("Dold på YouTube (väntar på granskning)")
        )

    def unhide(self, target: base.ActionTarget) -> base.ActionOutcome:
        if self._is_video(target):
            return self.not_possible(_("En video visas igen från YouTube Studio."))
        try:
            done = self._moderate(target, "published")
        except _NotAllowed:
            return self.not_possible(_("YouTube tillåter inte att kommentaren visas igen."))
        if not done:
            return self.not_possible(
                _(
                    "Kommentaren finns inte längre på YouTube (borttagen eller avvisad) "
                    "och kan inte visas igen."
                )
            )
        return base.ActionOutcome(base.ActionResult.DONE, _("Visas igen på YouTube"))

    def delete(self, target: base.ActionTarget) -> base.ActionOutcome:
        if self._is_video(target):
            return self.not_possible(_("En video tas bort i YouTube Studio, inte härifrån."))
        if target.kind == ItemKind.POST:
            # The channel's own comment: YouTube lets its author delete it.
            try:
                self._call(
                    "DELETE",
                    "comments",
                    params={"id": target.external_id},
                    cost=WRITE_COST,
                    action=True,
                )
            except ApiError as error:
                if error.status != 404:
                    raise
            return base.ActionOutcome(base.ActionResult.DONE, _("Borttagen från YouTube"))
        # YouTube cannot delete another person's comment; rejecting is the nearest thing.
        try:
            done = self._moderate(target, "rejected")
        except _NotAllowed:
            return self.not_possible(_("YouTube tillåter inte att kommentaren avvisas."))
        if not done:
            return base.ActionOutcome(base.ActionResult.DONE, _("Finns inte längre på YouTube"))
        return base.ActionOutcome(
            base.ActionResult.NEAREST,
            _("Avvisad på YouTube – en avvisad kommentar kan aldrig publiceras igen"),
        )

    def reply(self, target: base.ActionTarget, text: str) -> base.ActionOutcome:
        if len(text) > MAX_COMMENT_CHARS:
            return self.not_possible(_("YouTube tar emot högst 10 000 tecken i en kommentar."))
        if self._is_video(target):
            path, payload = (
                "commentThreads",
                {
                    "snippet": {
                        "channelId": self.account_id,
                        "videoId": target.external_id,
                        "topLevelComment": {"snippet": {"textOriginal": text}},
                    }
                },
            )
        else:
            # YouTube's threads have one level: an answer to a reply goes to its thread.
            path, payload = (
                "comments",
                {"snippet": {"parentId": target.external_id.split(".")[0], "textOriginal": text}},
            )
        try:
            response = self._call(
                "POST", path, params={"part": "snippet"}, json=payload, cost=WRITE_COST, action=True
            )
        except ApiError as error:
            if error.status == 404:
                return self.not_possible(
                    _(
                        "Det som skulle besvaras finns inte längre på YouTube; "
                        "svaret skickades inte."
                    )
                )
            if error.status in (400, 403):
                return self.not_possible(
                    _("YouTube tillåter inte svar här (kommentarerna kan vara avstängda).")
                )
            raise
        body = self._json(response)
        if self._is_video(target):
            body = (body.get("snippet") or {}).get("topLevelComment") or {}
        item = mapping.comment_item(
            body, account_id=self.account_id, video_id="", now=timezone.now()
        )
        if item is None:
            raise base.PlatformError(_("YouTube bekräftade inte svaret som väntat."))
        item = dataclasses.replace(item, kind=ItemKind.POST)
        return base.ActionOutcome(
            base.ActionResult.DONE, _("Svar publicerat på YouTube"), reply=item
        )

    def find_reply(self, target: base.ActionTarget, text: str) -> base.PlatformItem | None:
        """The channel's own answer with this text: for a video, among its newest 100 comment
        threads; for a comment, among the replies of its thread (at most MAX_REPLY_PAGES
        pages), posted no earlier than the comment answered. Quota: a unit a page."""
        if self._is_video(target):
            body = self._json(
                self._call(
                    "GET",
                    "commentThreads",
                    params={
                        "part": "snippet",
                        "videoId": target.external_id,
                        "order": "time",
                        "textFormat": "plainText",
                        "maxResults": self.THREAD_PAGE_SIZE,
                    },
                    action=True,
                )
            )
            comments = [mapping.thread_comments(thread)[0] for thread in body.get("items") or []]
        else:
            comments = self._replies(target.external_id.split(".")[0], action=True)
        now = timezone.now()
        for comment in comments:
            item = mapping.comment_item(comment, account_id=self.account_id, video_id="", now=now)
            if (
                item is not None
                and item.kind == ItemKind.POST
                and base.same_text(item.text, text)
                and base.not_before(item.received_at, target.received_at)
            ):
                return item
        return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]


def _load_tracking(state: dict) -> None:
    """The fields of the posts cursor that keep track of the videos' texts, in place;
    anything unreadable is dropped (the videos are then tracked anew)."""

    def ids(value) -> list[str]:
        if not isinstance(value, list):
            return []
        return list(dict.fromkeys(video for video in value if isinstance(video, str) and video))

    texts = state.get("texts")
    state["texts"] = (
        {
            video: digest
            for video, digest in texts.items()
            if isinstance(video, str) and isinstance(digest, str)
        }
        if isinstance(texts, dict)
        else {}
    )
    state["videos"] = [video for video in ids(state.get("videos")) if video in state["texts"]]
    state["fresh"] = ids(state.get("fresh"))
    turn = state.get("turn")
    state["turn"] = turn if isinstance(turn, int) and not isinstance(turn, bool) else 0
    state["phase"] = "texts" if state.get("phase") == "texts" and state["videos"] else ""


class _NotAllowed(Exception):
    """The platform refuses this change for good (400/403): not worth another try."""
