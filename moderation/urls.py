from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("nytt/", views.item_create, name="item-create"),
    path("beslut/", views.bulk_decide, name="bulk-decide"),
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("<int:pk>/beslut/", views.item_decide, name="item-decide"),
    path("<int:pk>/tilldela/", views.item_assign, name="item-assign"),
    path("kanaler/<int:pk>/ordningsregler/", views.channel_house_rules, name="house-rules"),
    path("tillsyn/", views.supervision_list, name="supervision"),
    path("tillsyn/<int:pk>/granskad/", views.channel_review, name="channel-review"),
    path("franvaro/", views.absence_list, name="absence-list"),
    path("franvaro/<int:pk>/avsluta/", views.absence_end, name="absence-end"),
    path("regler/", views.rule_list, name="rule-list"),
    path("regler/ny/", views.rule_edit, name="rule-create"),
    path("regler/<int:pk>/andra/", views.rule_edit, name="rule-edit"),
]

from . import token_views  # noqa: E402 (the ways-in staff pages, kept apart from the queue's)

urlpatterns += [
    path("api-nycklar/", token_views.token_list, name="token-list"),
    path("api-nycklar/<int:pk>/aterkalla/", token_views.token_revoke, name="token-revoke"),
]

from . import statistics_views  # noqa: E402 (the statistics pages)

urlpatterns += [
    path("statistik/", statistics_views.statistics_page, name="statistics"),
    path("statistik.csv", statistics_views.statistics_csv, name="statistics-csv"),
]
