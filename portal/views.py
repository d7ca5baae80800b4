from django.shortcuts import redirect, render

from compliance.views import home_for
from portal.selectors import portal_summary


def home(request):
    """Reviewers land on the dashboard, clerks on their reports; others see what the portal holds."""
    if request.user.is_authenticated:
        target = home_for(request.user)
        if target:
            return redirect(target)
    summary = portal_summary(user=request.user) if request.user.is_authenticated else None
    return render(request, "portal/home.html", {"summary": summary})
