from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from u4ssc.apps.accounts import actions, queries
from u4ssc.apps.accounts.forms import ThrottledAuthenticationForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_token = None
    form = TokenForm()
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, new_token = actions.create_api_token(
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
            )
            form = TokenForm()
    context = {
        "roles": queries.roles_of(request.user),
        "tokens": queries.tokens_of(request.user),
        "form": form,
        "new_token": new_token,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if actions.revoke_api_token(actor=request.user, token_id=token_id):  # type: ignore[arg-type]
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
