"""Culling (gallring) of trivial items: "ringa eller av tillfällig betydelse … tidigast efter
tre månader" (Gallring av inlägg och kommentarer).

- models.py     the decision culling rests on, legal holds, proposals and the culling log
                (registered under the app label "archiving" through archiving/models.py)
- selectors.py  what makes an item cullable (`cullable_items`), who may cull (`may_cull`),
                and the culling pages' reads
- services.py   every write: decisions, holds, proposals and their review, the culling itself
- views.py      the culling pages; forms.py their forms
- checks.py     the start-up check of CULLING_AGE_MONTHS

Moderation's rows are read and deleted by moderation's own functions
(moderation/services/culling.py).
"""
