from django.db import migrations


def supersede_older_approved(apps, schema_editor):
    """Before one current plan per channel is enforced: of several approved revisions of a
    channel's plan, the latest stays in force and the earlier ones are superseded."""
    ActivityPlan = apps.get_model("activityplans", "ActivityPlan")
    PlanEvent = apps.get_model("activityplans", "PlanEvent")
    approved = ActivityPlan.objects.filter(status="godkand", channel__isnull=False)
    latest = {}
    for plan in approved.order_by("channel_id", "revision"):
        previous = latest.get(plan.channel_id)
        if previous is not None:
            ActivityPlan.objects.filter(pk=previous.pk).update(status="ersatt")
            PlanEvent.objects.create(
                plan_id=previous.pk,
                from_status="godkand",
                to_status="ersatt",
                actor_id=plan.prepared_by_id,
                note=f"Ersatt av revision {plan.revision} (vid uppgradering).",
            )
        latest[plan.channel_id] = plan


class Migration(migrations.Migration):
    dependencies = [("activityplans", "0005_superseded_status_and_bounded_answers")]

    operations = [migrations.RunPython(supersede_older_approved, migrations.RunPython.noop)]
