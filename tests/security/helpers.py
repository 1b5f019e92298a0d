"""Shared helpers for the security tests."""

from reporting import services as reporting_services
from reporting.models import QuarterlyReturn

PASSWORD = "almo-demo-2025"


def env_draft_return(demo_data) -> QuarterlyReturn:
    """Environmental Services' draft return of the main agreement, with its result rows."""
    ret = (
        QuarterlyReturn.objects.filter(
            agreement=demo_data["main"], department__name="Environmental Services", status="draft"
        )
        .order_by("-financial_year", "-quarter")
        .first()
    )
    reporting_services.return_results_ensure(quarterly_return=ret)
    return ret
