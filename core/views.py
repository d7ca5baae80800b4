from django.shortcuts import render

from core.selectors import portal_summary


def home(request):
    summary = portal_summary(user=request.user) if request.user.is_authenticated else None
    return render(request, "core/home.html", {"summary": summary})
