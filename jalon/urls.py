from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("jalon.accounts.urls")),
    path("", include("jalon.tracking.overview_urls")),
    path("", include("jalon.tracking.urls")),
    path("", include("jalon.directory.urls")),
    path("", include("jalon.results.urls")),
    path("", include("jalon.plans.urls")),
]
