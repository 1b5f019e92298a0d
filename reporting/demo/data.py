"""The demo council: departments, services and the terms the ALMO buys them on.

Drawn from the domain notes (Brent, Kirklees, Leeds): abandoned cars removed within
24 hours on 3 months' notice; the one-stop shop on 6 months' notice; community safety
milestones; legal, finance, payroll and personnel at about £1.7m a year; repairs
targets rising year by year.
"""

import datetime as dt
from decimal import Decimal as D

COUNCIL = {"name": "Kirkby Metropolitan Borough Council", "slug": "kirkby"}
ALMOS = [
    {"name": "Kirkby Neighbourhood Homes", "slug": "kirkby-neighbourhood-homes", "homes_managed": 27000},
    {"name": "Kirkby East Homes", "slug": "kirkby-east-homes", "homes_managed": 9400},
]

M = "measured"
MS = "milestone"

# department name, is_housing, [services]
# service: (name, kind, category, hra_funded, description, schedule terms, [standards])
# schedule terms: notice months, annual cost, cost basis, staff share, reporting frequency
# standard (measured): (M, title, unit, direction, amber tolerance, {fy_start_year: target})
# standard (milestone): (MS, title, deliverable, due date)
DEPARTMENTS = [
    (
        "Legal Services",
        False,
        [
            (
                "Legal advice and conveyancing",
                "technical",
                "strategic_support",
                True,
                "Advice on tenancy, leasehold and contract matters; right-to-buy conveyancing.",
                (6, D("360000"), "Apportioned by fee-earner hours recorded on housing matters", D("18"), "quarterly"),
                [
                    (
                        M,
                        "Written advice given within 10 working days",
                        "percent",
                        "higher",
                        D("5"),
                        {2025: D("90"), 2026: D("92")},
                    ),
                    (M, "Right-to-buy completions within statutory time", "percent", "higher", D("5"), {2025: D("95")}),
                ],
            ),
            (
                "Possession and litigation",
                "technical",
                "strategic_support",
                True,
                "Possession proceedings for rent arrears and anti-social behaviour; disrepair claims.",
                (6, D("120000"), "Fixed fee per case, estimated on last year's caseload", None, "quarterly"),
                [
                    (
                        M,
                        "Possession claims issued within 15 working days of instruction",
                        "working_days",
                        "lower",
                        D("3"),
                        {2025: D("15")},
                    )
                ],
            ),
        ],
    ),
    (
        "Finance",
        False,
        [
            (
                "Financial accounting and HRA accounts",
                "technical",
                "strategic_support",
                True,
                "Closure of the Housing Revenue Account, budget monitoring and the annual accounts.",
                (12, D("400000"), "Share of the accountancy team's time spent on the HRA", D("35"), "quarterly"),
                [
                    (
                        M,
                        "Monthly budget monitoring report issued within working days of month end",
                        "working_days",
                        "lower",
                        D("2"),
                        {2025: D("8")},
                    ),
                    (
                        MS,
                        "HRA final accounts",
                        "Draft HRA statement of accounts to the ALMO board",
                        dt.date(2026, 6, 30),
                    ),
                ],
            ),
            (
                "Treasury and insurance",
                "technical",
                "strategic_support",
                True,
                "Treasury management of HRA balances and insurance of housing stock.",
                (12, D("100000"), "Proportion of HRA balances and insured value", None, "annual"),
                [
                    (
                        M,
                        "Insurance claims acknowledged within 5 working days",
                        "percent",
                        "higher",
                        D("5"),
                        {2025: D("95")},
                    )
                ],
            ),
        ],
    ),
    (
        "Human Resources",
        False,
        [
            (
                "Payroll",
                "technical",
                "strategic_support",
                True,
                "Monthly payroll for 640 ALMO staff, pensions and statutory returns.",
                (6, D("240000"), "£375 per employee per year", None, "quarterly"),
                [
                    (M, "Staff paid correctly and on time", "percent", "higher", D("0.5"), {2025: D("99.5")}),
                    (M, "Payroll errors per month", "count", "lower", D("2"), {2025: D("3")}),
                ],
            ),
            (
                "Personnel and HR advice",
                "technical",
                "strategic_support",
                True,
                "Recruitment, employee relations, policies and occupational health.",
                (6, D("480000"), "Share of HR business partner and recruitment team time", D("22"), "quarterly"),
                [
                    (
                        M,
                        "Vacancies advertised within 5 working days of request",
                        "working_days",
                        "lower",
                        D("2"),
                        {2025: D("5")},
                    ),
                    (
                        M,
                        "Disciplinary cases concluded within 60 days",
                        "percent",
                        "higher",
                        D("10"),
                        {2025: D("80"), 2026: D("85")},
                    ),
                ],
            ),
        ],
    ),
    (
        "Internal Audit",
        False,
        [
            (
                "Internal audit",
                "technical",
                "strategic_support",
                True,
                "The annual audit plan for the ALMO and assurance to its audit committee.",
                (6, D("95000"), "20% of the audit team's time", D("20"), "quarterly"),
                [
                    (M, "Audit plan days delivered", "percent", "higher", D("10"), {2025: D("90")}),
                    (
                        MS,
                        "Annual audit opinion",
                        "Head of audit's annual opinion to the ALMO audit committee",
                        dt.date(2026, 5, 31),
                    ),
                ],
            ),
        ],
    ),
    (
        "ICT Services",
        False,
        [
            (
                "ICT support and service desk",
                "technical",
                "strategic_support",
                True,
                "Service desk, desktop support and network for ALMO offices.",
                (9, D("310000"), "Per device supported (420 devices)", None, "quarterly"),
                [
                    (M, "Priority 1 incidents resolved within 4 hours", "percent", "higher", D("5"), {2025: D("95")}),
                    (M, "Service desk calls answered within 60 seconds", "percent", "higher", D("10"), {2025: D("80")}),
                ],
            ),
            (
                "Housing management system hosting",
                "technical",
                "strategic_support",
                True,
                "Hosting, patching and back-up of the housing management system.",
                (12, D("125000"), "Share of data-centre costs by server count", None, "quarterly"),
                [(M, "System availability in working hours", "percent", "higher", D("0.5"), {2025: D("99.5")})],
            ),
        ],
    ),
    (
        "Environmental Services",
        False,
        [
            (
                "Removal of abandoned vehicles",
                "technical",
                "environmental",
                True,
                "Removing abandoned cars from estates once reported.",
                (3, D("38000"), "Per removal, estimated on last year's 190 removals", None, "quarterly"),
                [(M, "Abandoned cars removed within 24 hours of report", "hours", "lower", D("12"), {2025: D("24")})],
            ),
            (
                "Estate grounds maintenance",
                "technical",
                "environmental",
                True,
                "Grass cutting, shrub beds and litter picking on housing land.",
                (3, D("540000"), "Measured area of housing land (312 hectares)", None, "quarterly"),
                [(M, "Grass cuts completed to schedule", "percent", "higher", D("5"), {2025: D("95")})],
            ),
            (
                "Bulky waste collection",
                "technical",
                "environmental",
                True,
                "Free bulky waste collection for council tenants.",
                (3, D("72000"), "Per collection", None, "quarterly"),
                [
                    (
                        M,
                        "Collections made within 5 working days of request",
                        "working_days",
                        "lower",
                        D("2"),
                        {2025: D("5")},
                    )
                ],
            ),
        ],
    ),
    (
        "Customer Services",
        False,
        [
            (
                "One-stop shop frontline reception",
                "technical",
                "frontline",
                True,
                "Face-to-face reception for tenants at the town centre one-stop shop.",
                (6, D("210000"), "Share of visits that are housing enquiries", D("45"), "quarterly"),
                [(M, "Customers seen within 15 minutes", "percent", "higher", D("5"), {2025: D("85"), 2026: D("90")})],
            ),
            (
                "Contact centre housing line",
                "technical",
                "frontline",
                True,
                "Telephone line for repairs reporting and tenancy enquiries.",
                (6, D("260000"), "Call volumes on the housing line", None, "quarterly"),
                [
                    (M, "Calls answered within 30 seconds", "percent", "higher", D("5"), {2025: D("80")}),
                    (M, "Calls abandoned", "percent", "lower", D("2"), {2025: D("8")}),
                ],
            ),
        ],
    ),
    (
        "Community Safety",
        False,
        [
            (
                "Community safety partnership",
                "soft",
                "community",
                True,
                "Joint work on crime and disorder on estates with the police and partners.",
                (3, D("65000"), "Contribution agreed with the partnership board", None, "quarterly"),
                [
                    (
                        MS,
                        "Community safety strategy",
                        "Finalise the community safety strategy with the ALMO",
                        dt.date(2025, 9, 30),
                    ),
                    (
                        MS,
                        "Estates action plan",
                        "Agree the action plan for the five priority estates",
                        dt.date(2025, 9, 30),
                    ),
                    (
                        MS,
                        "Annual review",
                        "Review the strategy and action plan with tenants' panels",
                        dt.date(2026, 3, 31),
                    ),
                ],
            ),
            (
                "Anti-social behaviour unit",
                "technical",
                "community",
                True,
                "Investigation of reports of anti-social behaviour on estates.",
                (6, D("185000"), "Share of caseload on council estates", D("60"), "quarterly"),
                [(M, "Serious cases contacted within 1 working day", "percent", "higher", D("5"), {2025: D("95")})],
            ),
        ],
    ),
    (
        "Property Services",
        False,
        [
            (
                "Responsive repairs",
                "technical",
                "property",
                True,
                "Day-to-day repairs to council homes, reported through the contact centre.",
                (12, D("4200000"), "Schedule of rates, with an annual budget", None, "quarterly"),
                [
                    (
                        M,
                        "Urgent repairs completed within time limits",
                        "percent",
                        "higher",
                        D("5"),
                        {2025: D("85"), 2026: D("90"), 2027: D("96")},
                    ),
                    (
                        M,
                        "Emergency repairs attended within 24 hours",
                        "percent",
                        "higher",
                        D("2"),
                        {2025: D("97"), 2026: D("98")},
                    ),
                    (
                        M,
                        "Average days to complete a routine repair",
                        "working_days",
                        "lower",
                        D("3"),
                        {2025: D("20"), 2026: D("18")},
                    ),
                ],
            ),
            (
                "Gas servicing",
                "technical",
                "property",
                True,
                "Annual gas safety checks.",
                (6, D("890000"), "Per appliance serviced", None, "monthly"),
                [(M, "Homes with a valid gas safety certificate", "percent", "higher", D("0.5"), {2025: D("100")})],
            ),
        ],
    ),
    (
        "Housing Strategy and Options",
        True,
        [
            (
                "Allocations and choice-based lettings",
                "technical",
                "frontline",
                True,
                "The housing register and choice-based lettings scheme.",
                (6, D("230000"), "Share of lettings that are council homes", D("70"), "quarterly"),
                [(M, "Applications assessed within 20 working days", "percent", "higher", D("5"), {2025: D("90")})],
            ),
            (
                "Housing strategy and stock options",
                "soft",
                "strategic_support",
                True,
                "The council's housing strategy, stock condition and investment planning.",
                (12, D("90000"), "Share of the strategy team's time", D("25"), "annual"),
                [
                    (
                        MS,
                        "Stock condition survey",
                        "Commission the five-year stock condition survey",
                        dt.date(2026, 1, 31),
                    )
                ],
            ),
        ],
    ),
    (
        "Democratic Services",
        False,
        [
            (
                "Board and committee support",
                "soft",
                "strategic_support",
                False,
                "Clerking of the ALMO board and its committees.",
                (3, D("45000"), "Number of meetings clerked (24 a year)", None, "quarterly"),
                [
                    (
                        MS,
                        "Board calendar",
                        "Publish the board and committee calendar for the year",
                        dt.date(2025, 4, 30),
                    ),
                    (
                        M,
                        "Board papers published 5 working days before meetings",
                        "percent",
                        "higher",
                        D("10"),
                        {2025: D("100")},
                    ),
                ],
            ),
        ],
    ),
]

PASSWORD = "almo-demo-2025"

USERS = [
    # username, first, last, role, almo slug, department name, is_superuser
    ("admin", "Ada", "Administrator", "administrator", None, None, True),
    ("coordinator", "Chris", "Coordinator", "coordinator", "kirkby-neighbourhood-homes", None, False),
    ("east.coordinator", "Esme", "Eastwood", "coordinator", "kirkby-east-homes", None, False),
    ("board.member", "Bola", "Boardman", "board_member", "kirkby-neighbourhood-homes", None, False),
    ("environment.officer", "Eve", "Green", "department_officer", None, "Environmental Services", False),
    ("legal.officer", "Leo", "Lawson", "department_officer", None, "Legal Services", False),
    ("repairs.officer", "Ravi", "Patel", "department_officer", None, "Property Services", False),
    # The two signatories named on the agreements (they approve final versions and variations).
    ("council.signatory", "Carol", "Signer", "department_officer", None, "Housing Strategy and Options", False),
    ("almo.signatory", "Alan", "Signwell", "board_member", "kirkby-neighbourhood-homes", None, False),
]
