"""The plan as IATI 2.03 activities, for funders."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from jalon.iati.export import IatiError, iati_document, reporting_org_from_settings

from .base import ERRORS, ApiError, attachment, plan_of, reader
from .schemas import file_response

router = Router()


IatiLevel = Literal["action", "orientation"]


@router.get(
    "/plans/{slug}/iati",
    response=ERRORS,
    tags=["exports"],
    openapi_extra=file_response(
        "The plan as IATI 2.03 activities, one per action or per orientation.", "application/xml"
    ),
    operation_id="jalon_api_exchange_iati_export",
)
def iati_export(request: HttpRequest, slug: str, level: IatiLevel = "action") -> HttpResponse:
    """Nothing half-valid is handed out: an invalid file is refused (409) with its reasons."""
    reader(request)
    plan = plan_of(slug)
    org = reporting_org_from_settings(plan)
    if not org.ref:
        raise ApiError(
            409,
            "iati_invalid",
            _("The IATI identifier of the organisation is not set (JALON_IATI_ORGANISATION_REF)."),
            ["JALON_IATI_ORGANISATION_REF"],
        )
    try:
        document = iati_document(plan, level=level, reporting_org=org)
    except IatiError as error:
        raise ApiError(
            409, "iati_invalid", _("The plan is not valid IATI yet."), str(error).split("; ")
        ) from error
    return attachment(document, "application/xml; charset=utf-8", f"{plan.slug}-iati-{level}.xml")
