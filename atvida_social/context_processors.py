from django.conf import settings

from .organisation.roles import is_information_unit


def municipality(request):
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "accessibility_email": settings.ACCESSIBILITY_EMAIL,
        "is_information_unit": is_information_unit(request.user)
        if hasattr(request, "user")
        else False,
    }
