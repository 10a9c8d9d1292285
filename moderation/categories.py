"""The guideline's categories of content that may not be published (Gallring av inlägg och
kommentarer; Vad får inte publiceras) and the rules' actions, as the matcher defines them."""

from .matching import Action as RuleAction
from .matching import Category

__all__ = ["Category", "RuleAction"]
