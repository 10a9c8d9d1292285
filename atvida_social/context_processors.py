from django.conf import settings


def municipality(request):
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "accessibility_email": settings.ACCESSIBILITY_EMAIL,
    }
