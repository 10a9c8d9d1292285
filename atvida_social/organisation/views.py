from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import UnitSearchForm


@login_required
def unit_list(request):
    search = UnitSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    units = selectors.units_for_viewer(request.user)
    if query:
        units = units.filter(name__icontains=query)
    page = Paginator(units, 50).get_page(request.GET.get("sida"))
    return render(request, "organisation/unit_list.html", {"page": page, "query": query})


@login_required
def unit_detail(request, pk: int):
    unit = selectors.unit_for_viewer(request.user, pk)
    return render(request, "organisation/unit_detail.html", {"unit": unit})


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Du är nu utloggad."))
        return response
