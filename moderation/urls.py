from django.urls import path

from .views import (
    connection_views,
    queue_views,
    rule_views,
    statistics_views,
    supervision_views,
    token_views,
)

app_name = "moderation"

urlpatterns = [
    path("", queue_views.item_list, name="item-list"),
    path("nytt/", queue_views.item_create, name="item-create"),
    path("beslut/", queue_views.bulk_decide, name="bulk-decide"),
    path("<int:pk>/", queue_views.item_detail, name="item-detail"),
    path("<int:pk>/beslut/", queue_views.item_decide, name="item-decide"),
    path("<int:pk>/tilldela/", queue_views.item_assign, name="item-assign"),
    path(
        "<int:pk>/sekretess-borttaget/",
        queue_views.item_secrecy_removed,
        name="item-secrecy-removed",
    ),
    path("kanaler/<int:pk>/ordningsregler/", queue_views.channel_house_rules, name="house-rules"),
    path("kanaler/<int:pk>/anslutning/", connection_views.connection, name="connection"),
    path(
        "kanaler/<int:pk>/anslutning/testa/",
        connection_views.connection_test,
        name="connection-test",
    ),
    path(
        "kanaler/<int:pk>/anslutning/hamta/",
        connection_views.connection_pull,
        name="connection-pull",
    ),
    path(
        "kanaler/<int:pk>/anslutning/ta-bort/",
        connection_views.connection_remove,
        name="connection-remove",
    ),
    path("anslutningar/", connection_views.connection_list, name="connection-list"),
    path(
        "plattformsatgarder/<int:pk>/forsok-igen/",
        connection_views.platform_action_retry,
        name="platform-action-retry",
    ),
    path("tillsyn/", supervision_views.supervision_list, name="supervision"),
    path("tillsyn/<int:pk>/granskad/", supervision_views.channel_review, name="channel-review"),
    path("franvaro/", supervision_views.absence_list, name="absence-list"),
    path("franvaro/<int:pk>/avsluta/", supervision_views.absence_end, name="absence-end"),
    path("regler/", rule_views.rule_list, name="rule-list"),
    path("regler/ny/", rule_views.rule_edit, name="rule-create"),
    path("regler/<int:pk>/andra/", rule_views.rule_edit, name="rule-edit"),
    path("api-nycklar/", token_views.token_list, name="token-list"),
    path("api-nycklar/<int:pk>/aterkalla/", token_views.token_revoke, name="token-revoke"),
    path("statistik/", statistics_views.statistics_page, name="statistics"),
    path("statistik.csv", statistics_views.statistics_csv, name="statistics-csv"),
]
