"""The platform connectors (Hur hanteras inkomna synpunkter): comments, messages and the
municipality's own posts pulled from each platform, and each decision carried out there.

One folder per platform, in the manner of Zulip's zerver/webhooks/<name>/: its `connector.py`
(the client, a `base.Connector`), `mapping.py` (the platform's payloads to `PlatformItem`s),
`simulator.py` (the part of its API the simulator serves), `fixtures/` (recorded payloads) and
`doc.md` (what to register at the platform, which permissions, what the platform does not
allow). `registry.py` says which connector serves which platform; `http.py` is the one way
out. The pull and the actions themselves are moderation/services/pulls.py and
platform_actions.py.
"""
