"""Placeholder views until the plan pages land."""

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Jalon")


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


def anomalies(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)
