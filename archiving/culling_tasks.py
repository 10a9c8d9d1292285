"""Celery entry points of culling (the lead folds these into archiving/tasks.py): ids in,
one service call."""

from celery import shared_task


@shared_task(acks_late=True)
def cull_trivial_items() -> None:
    """Nightly: purge removed texts, then propose a culling or (review off) cull."""
    from . import culling

    culling.run_culling_job()


@shared_task(acks_late=True)
def cull_approved_proposal(proposal_id: int) -> int:
    """Cull the items of an approved proposal; a proposal already carried out is left."""
    from . import culling
    from .models import CullingProposal, ProposalStatus

    proposal = CullingProposal.objects.get(pk=proposal_id)
    if proposal.status != ProposalStatus.APPROVED:
        return 0
    return culling.cull(proposal, by=proposal.approved_by).items
