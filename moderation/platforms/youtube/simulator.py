"""The YouTube Data API v3, as far as the connector uses it, served from the simulator's
world in YouTube's JSON; and Google's token endpoint (/youtube_oauth/token).

Videos are SimObjects of kind "post" (text: title, a blank line, description; `edit_video`
changes it as YouTube Studio does, and videos.list with part=snippet reads it); comments
are of kind "comment", a top-level comment's parent its video, a reply's parent its
top-level comment and its id "<parent>.<n>" as on YouTube. A hidden comment is held for review; a
rejected one (status "rejected") is gone for good. Quota units are counted per channel and
day in `state.usage["youtube"]` ({"quota": 10000, "used": {channel: units}}); a call that
would go past the quota is answered 403 quotaExceeded.
"""

import datetime
import hashlib
import time

import httpx

from ..simulator.app import SimRequest, json_response
from ..simulator.state import SimObject, SimulatorState

PLATFORM = "youtube"
SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
# What a demo token is granted.
PERMISSIONS = frozenset({SCOPE})
DEFAULT_QUOTA = 10_000
REPLIES_IN_THREAD = 5
# (default, largest) page size per listing, as YouTube has them.
PAGE_SIZES = {"commentThreads": (20, 100), "playlistItems": (5, 50), "comments": (20, 100)}


# --- Building the world (tests, the demo) ---------------------------------------------


def demo_credentials(account_id: str, token: str) -> dict:
    """The connection's credentials for a refresh token granted in the simulator."""
    return {"refresh_token": token, "client_id": "demo-klient", "client_secret": "demo-hemlighet"}


def add_video(
    state: SimulatorState, channel: str, title: str, description: str = "", **kwargs
) -> SimObject:
    text = f"{title}\n\n{description}" if description else title
    return state.add(PLATFORM, channel, "post", text, author="Kanalen", by_account=True, **kwargs)


def edit_video(
    state: SimulatorState, video_id: str, title: str, description: str = "", **kwargs
) -> None:
    """The channel edits a video's title and description in YouTube Studio."""
    text = f"{title}\n\n{description}" if description else title
    state.edit(PLATFORM, video_id, text, **kwargs)


def add_comment(
    state: SimulatorState,
    channel: str,
    parent: str,
    text: str,
    *,
    author: str = "Anna Andersson",
    **kwargs,
) -> SimObject:
    """A comment on a video, or a reply when `parent` is a top-level comment."""
    above = state.get(PLATFORM, parent)
    if above is not None and above.kind == "comment" and "object_id" not in kwargs:
        kwargs["object_id"] = f"{parent}.{state.new_id()}"
    return state.add(PLATFORM, channel, "comment", text, author=author, parent=parent, **kwargs)


def seed_demo(state: SimulatorState, account_id: str, token: str) -> None:
    """Grant the refresh token `token` for the channel and give it two videos to comment on."""
    state.grant(PLATFORM, token, account_id, PERMISSIONS)
    state.set_profile(
        PLATFORM,
        account_id,
        name="Åtvidabergs kommun (demo)",
        description="Filmer från Åtvidabergs kommun: om service, fritid och det som händer.",
        handle="@atvidabergskommundemo",
    )
    add_video(
        state,
        account_id,
        "Så fungerar återvinningscentralen",
        "Vi visar hur du sorterar grovavfall på återvinningscentralen i Åtvidaberg.",
    )
    add_video(
        state,
        account_id,
        "Sommarlov i Åtvidaberg",
        "Aktiviteter för barn och unga under sommarlovet. Anmälan öppnar i maj.",
    )


# --- Shapes ---------------------------------------------------------------------------


def _time(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _etag(obj: SimObject) -> str:
    return hashlib.sha256(f"{obj.id}:{obj.seq}".encode()).hexdigest()[:27]


def _uploads(channel: str) -> str:
    return "UU" + (channel[2:] if channel.startswith("UC") else channel)


def _video_of(state: SimulatorState, obj: SimObject) -> str:
    return obj.post or obj.parent or ""


def _comment(state: SimulatorState, obj: SimObject) -> dict:
    author_channel = obj.account if obj.by_account else f"UC{obj.author_id}"
    snippet = {
        "channelId": obj.account,
        "videoId": _video_of(state, obj),
        "textDisplay": obj.text,
        "textOriginal": obj.text,
        "authorDisplayName": obj.author or ("Kanalen" if obj.by_account else ""),
        "authorProfileImageUrl": "https://yt3.ggpht.example/avatar.jpg",
        "authorChannelUrl": f"http://www.youtube.com/channel/{author_channel}",
        "authorChannelId": {"value": author_channel},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": 0,
        "moderationStatus": "heldForReview" if obj.hidden else "published",
        "publishedAt": _time(obj.created),
        "updatedAt": _time(obj.updated),
    }
    above_is_comment = obj.parent is not None and obj.parent != snippet["videoId"]
    if above_is_comment:
        snippet["parentId"] = obj.parent
    return {"kind": "youtube#comment", "etag": _etag(obj), "id": obj.id, "snippet": snippet}


def _published_replies(state: SimulatorState, top: SimObject) -> list[SimObject]:
    replies = state.listing(PLATFORM, top.account, "comment", parent=top.id)
    replies = [reply for reply in replies if not reply.hidden and reply.status != "rejected"]
    return sorted(replies, key=lambda reply: (reply.created, reply.seq))


def _thread(state: SimulatorState, top: SimObject) -> dict:
    replies = _published_replies(state, top)
    thread = {
        "kind": "youtube#commentThread",
        "etag": _etag(top),
        "id": top.id,
        "snippet": {
            "channelId": top.account,
            "videoId": top.parent,
            "topLevelComment": _comment(state, top),
            "canReply": True,
            "totalReplyCount": len(replies),
            "isPublic": True,
        },
    }
    if replies:
        thread["replies"] = {
            "comments": [_comment(state, reply) for reply in replies[:REPLIES_IN_THREAD]]
        }
    return thread


def _playlist_item(obj: SimObject, position: int) -> dict:
    title, _blank, description = obj.text.partition("\n\n")
    return {
        "kind": "youtube#playlistItem",
        "etag": _etag(obj),
        "id": hashlib.sha256(obj.id.encode()).hexdigest()[:32],
        "snippet": {
            "publishedAt": _time(obj.created),
            "channelId": obj.account,
            "title": title,
            "description": description,
            "channelTitle": obj.author,
            "playlistId": _uploads(obj.account),
            "position": position,
            "resourceId": {"kind": "youtube#video", "videoId": obj.id},
            "videoOwnerChannelTitle": obj.author,
            "videoOwnerChannelId": obj.account,
        },
        "contentDetails": {"videoId": obj.id, "videoPublishedAt": _time(obj.created)},
    }


def error_response(
    status: int, reason: str, message: str, *, domain: str = "youtube.api", extra=None
) -> httpx.Response:
    error = {
        "code": status,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
        **(extra or {}),
    }
    return json_response(status, {"error": error})


def fault_response(kind: str) -> httpx.Response:
    if kind == "rate_limit":
        return error_response(
            403,
            "rateLimitExceeded",
            "The request cannot be completed because you have exceeded your quota.",
            domain="youtube.quota",
        )
    if kind == "expired":
        return _unauthorized()
    return error_response(503, "backendError", "Backend Error", domain="global")


def _unauthorized() -> httpx.Response:
    return error_response(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential.",
        domain="global",
        extra={"status": "UNAUTHENTICATED"},
    )


def _not_found(what: str = "commentNotFound") -> httpx.Response:
    return error_response(404, what, "The specified resource could not be found.")


def _forbidden() -> httpx.Response:
    return error_response(403, "forbidden", "The request is not properly authorized.")


def _bad(reason: str) -> httpx.Response:
    return error_response(400, reason, "The request is invalid.")


def _list(kind: str, entries: list, request: SimRequest, endpoint: str) -> httpx.Response:
    default, largest = PAGE_SIZES[endpoint]
    try:
        size = int(request.params.get("maxResults", default))
    except ValueError:
        return _bad("invalidParameter")
    size = max(1, min(size, largest))
    token = request.params.get("pageToken", "")
    if token:
        if not token.startswith("CA") or not token[2:].isdigit():
            return _bad("invalidPageToken")
        offset = int(token[2:])
    else:
        offset = 0
    page = entries[offset : offset + size]
    payload = {
        "kind": kind,
        "etag": hashlib.sha256(f"{offset}:{len(entries)}".encode()).hexdigest()[:27],
        "pageInfo": {"totalResults": len(entries), "resultsPerPage": size},
        "items": page,
    }
    if offset + size < len(entries):
        payload["nextPageToken"] = f"CA{offset + size}"
    return json_response(200, payload)


# --- The endpoints --------------------------------------------------------------------

COSTS = {
    ("POST", "/comments/setModerationStatus"): 50,
    ("POST", "/comments"): 50,
    ("POST", "/commentThreads"): 50,
    ("DELETE", "/comments"): 50,
}


def _token_endpoint(state: SimulatorState, request: SimRequest) -> httpx.Response:
    form = request.body if isinstance(request.body, dict) else {}
    if form.get("grant_type") != "refresh_token":
        return json_response(400, {"error": "unsupported_grant_type"})
    if not form.get("client_id") or not form.get("client_secret"):
        return json_response(401, {"error": "invalid_client", "error_description": "Unauthorized"})
    granted = state.token(PLATFORM, form.get("refresh_token", ""))
    if granted is None or granted.expired:
        return json_response(
            400,
            {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
        )
    access = "ya29.sim-" + hashlib.sha256(form["refresh_token"].encode()).hexdigest()[:40]
    state.grant(PLATFORM, access, granted.account, granted.permissions)
    return json_response(
        200,
        {
            "access_token": access,
            "expires_in": 3599,
            "scope": " ".join(sorted(granted.permissions)),
            "token_type": "Bearer",
        },
    )


def _spend(state: SimulatorState, channel: str, cost: int) -> bool:
    with state.lock:
        usage = state.usage.setdefault(PLATFORM, {"quota": DEFAULT_QUOTA, "used": {}})
        used = usage.setdefault("used", {})
        if used.get(channel, 0) + cost > usage.get("quota", DEFAULT_QUOTA):
            return False
        used[channel] = used.get(channel, 0) + cost
        return True


def handle(state: SimulatorState, request: SimRequest) -> httpx.Response:
    if request.path == "/token":
        return _token_endpoint(state, request)
    granted = state.token(PLATFORM, request.bearer)
    if granted is None or granted.expired:
        return _unauthorized()
    channel = granted.account
    if request.path != "/channels" and SCOPE not in granted.permissions:
        return error_response(
            403,
            "insufficientPermissions",
            "Request had insufficient authentication scopes.",
            domain="global",
            extra={"status": "PERMISSION_DENIED"},
        )
    if not _spend(state, channel, COSTS.get((request.method, request.path), 1)):
        return error_response(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
            domain="youtube.quota",
        )
    route = ROUTES.get((request.method, request.path))
    if route is None:
        return _not_found("notFound")
    return route(state, request, channel)


def _channels(state, request, channel):
    wanted = request.params.get("id", "")
    if request.params.get("mine") != "true" and channel not in wanted.split(","):
        return json_response(200, {"kind": "youtube#channelListResponse", "items": []})
    entry = {"kind": "youtube#channel", "etag": "sim", "id": channel}
    if "contentDetails" in request.params.get("part", ""):
        entry["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": _uploads(channel)}}
    if "snippet" in request.params.get("part", ""):
        profile = state.profile(PLATFORM, channel)
        entry["snippet"] = {
            "title": profile.get("name", "Kanalen"),
            "description": profile.get("description", ""),
            "publishedAt": "2019-03-01T08:00:00Z",
        }
        if profile.get("handle"):
            entry["snippet"]["customUrl"] = profile["handle"]
    return json_response(
        200,
        {
            "kind": "youtube#channelListResponse",
            "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
            "items": [entry],
        },
    )


def _videos(state, channel):
    videos = state.listing(PLATFORM, channel, "post")
    return sorted(videos, key=lambda video: (video.created, video.seq), reverse=True)


def _playlist_items(state, request, channel):
    if request.params.get("playlistId") != _uploads(channel):
        return _not_found("playlistNotFound")
    entries = [
        _playlist_item(video, position) for position, video in enumerate(_videos(state, channel))
    ]
    return _list("youtube#playlistItemListResponse", entries, request, "playlistItems")


def _comment_threads(state, request, channel):
    videos = {video.id for video in state.listing(PLATFORM, channel, "post")}
    if request.params.get("videoId"):
        # One video's threads (newest first, as order=time gives them).
        if request.params["videoId"] not in videos:
            return _not_found("videoNotFound")
        videos = {request.params["videoId"]}
    elif request.params.get("allThreadsRelatedToChannelId") != channel:
        return _forbidden()
    status = request.params.get("moderationStatus", "published")
    tops = [
        obj
        for obj in state.listing(PLATFORM, channel, "comment")
        if obj.parent in videos
        and obj.status != "rejected"
        and obj.hidden == (status == "heldForReview")
    ]
    tops.sort(key=lambda obj: (obj.created, obj.seq), reverse=True)
    entries = [_thread(state, top) for top in tops]
    return _list("youtube#commentThreadListResponse", entries, request, "commentThreads")


def _comments(state, request, channel):
    if request.params.get("parentId"):
        top = state.get(PLATFORM, request.params["parentId"])
        if top is None or top.account != channel or not top.visible or top.status == "rejected":
            return _not_found()
        entries = [_comment(state, reply) for reply in _published_replies(state, top)]
        return _list("youtube#commentListResponse", entries, request, "comments")
    found = []
    for comment_id in request.params.get("id", "").split(",")[:50]:
        obj = state.get(PLATFORM, comment_id)
        if (
            obj is not None
            and obj.kind == "comment"
            and obj.account == channel
            and obj.visible
            and obj.status != "rejected"
        ):
            found.append(_comment(state, obj))
    return json_response(200, {"kind": "youtube#commentListResponse", "items": found})


def _video(obj: SimObject, parts: set[str]) -> dict:
    video = {"kind": "youtube#video", "etag": _etag(obj), "id": obj.id}
    if "snippet" in parts:
        title, _blank, description = obj.text.partition("\n\n")
        video["snippet"] = {
            "publishedAt": _time(obj.created),
            "channelId": obj.account,
            "title": title,
            "description": description,
            "thumbnails": {
                "default": {
                    "url": f"https://i.ytimg.com/vi/{obj.id}/default.jpg",
                    "width": 120,
                    "height": 90,
                }
            },
            "channelTitle": obj.author,
            "categoryId": "25",
            "liveBroadcastContent": "none",
            "localized": {"title": title, "description": description},
        }
    return video


def _videos_by_id(state, request, channel):
    parts = set(request.params.get("part", "").split(","))
    if not parts & {"id", "snippet"}:
        return _bad("invalidPart")
    found = []
    for video_id in request.params.get("id", "").split(",")[:50]:
        obj = state.get(PLATFORM, video_id)
        if obj is not None and obj.kind == "post" and obj.visible:
            found.append(_video(obj, parts))
    return json_response(
        200,
        {
            "kind": "youtube#videoListResponse",
            "pageInfo": {"totalResults": len(found), "resultsPerPage": len(found)},
            "items": found,
        },
    )


def _set_moderation_status(state, request, channel):
    status = request.params.get("moderationStatus")
    if status not in ("heldForReview", "published", "rejected"):
        return _bad("invalidModerationStatus")
    with state.lock:
        obj = state.get(PLATFORM, request.params.get("id", ""))
        if obj is None or obj.kind != "comment" or not obj.visible or obj.status == "rejected":
            return _not_found()
        if obj.account != channel:
            return _forbidden()
        if status == "rejected":
            obj.status = "rejected"
            obj.removed = True
        else:
            obj.hidden = status == "heldForReview"
        obj.updated = time.time()
    return httpx.Response(204)


def _delete_comment(state, request, channel):
    with state.lock:
        obj = state.get(PLATFORM, request.params.get("id", ""))
        if obj is None or obj.kind != "comment" or not obj.visible or obj.status == "rejected":
            return _not_found()
        if not obj.by_account or obj.account != channel:
            return _forbidden()
        obj.removed = True
        obj.updated = time.time()
    return httpx.Response(204)


def _insert_comment(state, request, channel):
    snippet = (request.body or {}).get("snippet") if isinstance(request.body, dict) else None
    if (
        not isinstance(snippet, dict)
        or not snippet.get("textOriginal")
        or not snippet.get("parentId")
    ):
        return _bad("invalidCommentMetadata")
    with state.lock:
        top = state.get(PLATFORM, str(snippet["parentId"]))
        if top is None or top.kind != "comment" or not top.visible or top.status == "rejected":
            return error_response(
                404, "parentCommentNotFound", "The parent comment could not be found."
            )
        if (
            top.account != channel
            or top.parent is None
            or state.get(PLATFORM, top.parent).kind != "post"
        ):
            return _bad("operationNotSupported")
        reply = state.add(
            PLATFORM,
            channel,
            "comment",
            str(snippet["textOriginal"]),
            author="Kanalen",
            parent=top.id,
            object_id=f"{top.id}.{state.new_id()}",
            by_account=True,
        )
    return json_response(200, _comment(state, reply))


def _insert_thread(state, request, channel):
    snippet = (request.body or {}).get("snippet") if isinstance(request.body, dict) else None
    top = (snippet or {}).get("topLevelComment") if isinstance(snippet, dict) else None
    text = ((top or {}).get("snippet") or {}).get("textOriginal") if isinstance(top, dict) else None
    if not text or not isinstance(snippet.get("videoId"), str):
        return _bad("invalidCommentMetadata")
    with state.lock:
        video = state.get(PLATFORM, snippet["videoId"])
        if video is None or video.kind != "post" or not video.visible:
            return _not_found("videoNotFound")
        comment = state.add(
            PLATFORM,
            channel,
            "comment",
            str(text),
            author="Kanalen",
            parent=video.id,
            by_account=True,
        )
    return json_response(200, _thread(state, comment))


ROUTES = {
    ("GET", "/channels"): _channels,
    ("GET", "/playlistItems"): _playlist_items,
    ("GET", "/commentThreads"): _comment_threads,
    ("GET", "/comments"): _comments,
    ("GET", "/videos"): _videos_by_id,
    ("POST", "/comments/setModerationStatus"): _set_moderation_status,
    ("DELETE", "/comments"): _delete_comment,
    ("POST", "/comments"): _insert_comment,
    ("POST", "/commentThreads"): _insert_thread,
}
