from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    # Visitors choose the language of the sign-in page before they have an account.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("jalon.operations.urls")),
    path("comptes/", include("jalon.accounts.urls")),
    path("api/v1/", include("jalon.api.urls", namespace="api")),
    path("comptes/jetons/", include("jalon.api.token_urls")),
    path("", include("jalon.overview.urls")),
    path("", include("jalon.tracking.urls")),
    path("", include("jalon.exchange.urls")),
    path("", include("jalon.exchange.table_urls")),
    path("", include("jalon.directory.urls")),
    path("", include("jalon.results.urls")),
    path("", include("jalon.iati.urls")),
    path("public/", include("jalon.portal.urls")),
    path("", include("jalon.reports.urls")),
    path("", include("jalon.plans.urls")),
]
