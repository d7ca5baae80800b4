from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.forms import PreferenceForm
from notifications.selectors import email_wanted, notifications_for
from notifications.services import notification_preference_set, notifications_mark_read

PAGE_SIZE = 50


@login_required
def notification_list(request):
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def notification_read(request):
    """Mark one notification read (and follow its link), or all of them."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    notifications_mark_read(user=request.user, ids=ids)
    if ids:
        target = notifications_for(user=request.user).filter(pk=ids[0]).values_list("url", flat=True).first()
        if target and target.startswith("/") and not target.startswith("//"):
            return redirect(target)
    else:
        messages.success(request, _("Every notification was marked as read."))
    return redirect("notifications:list")


@login_required
def notification_preferences(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            notification_preference_set(user=request.user, email=form.cleaned_data["email"])
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(initial={"email": email_wanted(user=request.user) or not request.user.email})
    return render(request, "notifications/preferences.html", {"form": form})
