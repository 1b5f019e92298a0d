# ruff: noqa: E501 - prose from the source plan
"""The demo ALMO's Service Improvement Plan, adapted from Salford's plan (Best Value Review of
Housing Services, 2002): its eleven key themes, improvements, tasks, lead officers, target
dates, resources, the related performance indicators and the Priority One risk assessments.

Dates are moved on 23 years (June 2004 becomes June 2027) to fit the demo agreement; people
named in the original are replaced by their posts, and the contractor by the council's own.
"""

import datetime as dt
from decimal import Decimal as D

D_ = dt.date
PLAN = {
    "title": "Service Improvement Plan 2025 to 2028",
    "review_name": "Best Value Review of Housing Services",
    "starts_on": D_(2025, 6, 1),
    "ends_on": D_(2028, 4, 30),
    "summary": (
        "Improvements arising out of the Best Value Review of Housing Services, in three priority bands. "
        "Priority One improvements create a suitable infrastructure for building excellent housing services; "
        "improving repairs is also Priority One. They get absolute priority in resources and monitoring, and each "
        "has a risk assessment. Priority Two improvements are very important to tenants, including bringing in "
        "rental income. Priority Three quick wins are monitored on a separate checklist.\n\n"
        "Progress is monitored monthly by the Parent Board, with information to Local Boards, and reported each "
        "quarter to the council's Environmental Scrutiny Committee and Cabinet. Staffing for the plan has been "
        "agreed by the Cabinet Lead Member for Housing Services."
    ),
}

# number, priority, title, description
THEMES = [
    (
        1,
        1,
        "Improving the organisational infrastructure",
        "Management development for managers and board members, an enhanced Human Resource Team and Investors in People.",
    ),
    (
        2,
        1,
        "Performance management, procedures and access to services",
        "Revising procedures, implementing the Performance Management Strategy and ensuring equality of access.",
    ),
    (3, 1, "Improving the IT infrastructure", "Completing the integrated housing management system."),
    (
        4,
        1,
        "Improving the repair service",
        "Bonus scheme, voids, the North Kirkby pilot, schedule of rates and gas servicing.",
    ),
    (
        5,
        1,
        "Introduce a partnering approach to repairs procurement",
        "Large, long-term partnering contracts for repairs.",
    ),
    (6, 2, "Reducing voids", "Faster lettings and fewer empty homes."),
    (7, 2, "Reducing rent arrears", "Procedures, payment methods and a corporate debt strategy."),
    (
        8,
        2,
        "Ensuring quality support services",
        "Support services bought from the council: service level agreements, monitoring and market testing.",
    ),
    (9, 2, "Improving services to asylum seekers", "A firmer framework and feedback from service users."),
    (10, 2, "Developing the role of caretakers", "Minor repairs, accompanied viewings and structured training."),
    (
        11,
        2,
        "Improving estate management and tackling anti-social behaviour",
        "Estate walkabouts, community liaison and a stronger housing legal team.",
    ),
]

# Each improvement: theme number, reference, title, issue, outcome, lead officer, original target,
# status, completed_on, [tasks], [(post, headcount, percent, note)], [revisions (to, reason, agreed_by, agreed_on)],
# [standard titles], progress comment
IMPROVEMENTS = [
    (
        1,
        "KT1",
        "Management development and an enhanced Human Resource Team",
        "Successful service provision depends on the commitment and skill of the workforce. All staff are dealing with "
        "change at a frantic rate, and managers face significant challenges and conflicting demands on their time.",
        "A better trained workforce and improved services; lower sickness and staff turnover; Investors in People "
        "accreditation in 2026/27; greater staff participation; speedier and more effective decision making; better "
        "management of change; an employees' handbook.",
        "Human Resource Manager",
        D_(2027, 6, 30),
        "on_track",
        None,
        [
            "Create an enhanced Human Resource Team including additional training capacity",
            "Implement a management development process for key managers: team building, action-based management, management of change",
            "Implement a management development process tailored to the Parent and Local Boards",
            "Develop a framework for all managers on decision making, joint working and change management",
            "Extend staff involvement in service monitoring and planning via monthly team meetings and focus groups",
            "Develop a Human Resource Strategy for the ALMO",
            "Implement Personal Development Records for all staff, with appraisal and a key skills checklist",
            "Implement the Attendance Management Policy, including training",
        ],
        [
            ("Human Resource Team", 8, D("25"), "Approximately 25% of the team"),
            (
                "Corporate and external management development trainers",
                None,
                D("10"),
                "Consultant identified for the IIP assessment",
            ),
        ],
        [],
        [],
        "The Human Resource Team has been agreed and recruitment is well advanced. Draft Management Development "
        "Programme produced and out for consultation.",
    ),
    (
        2,
        "KT2/1",
        "Revising procedures",
        "Existing procedures need clarification and updating, recent IT changes are not reflected, and implementation "
        "is inconsistent. Processes need re-engineering for a call centre approach to service access.",
        "Improved access to services; more consistent procedures; clearer guidance on repair priorities and fewer "
        "emergencies; a tenants' handbook with service standards.",
        "Principal Officer (Management)",
        D_(2026, 4, 30),
        "at_risk",
        None,
        [
            "Review and revise existing procedures, with monitoring arrangements and customer feedback",
            "Provide training as part of implementation, and build in equalities issues",
            "Carry out business process re-engineering",
            "Provide costed options to the Parent Board for a call centre and one-stop shop, with an implementation plan",
            "Improve guidance, scripting and training for front line staff",
            "Review housing officers' workloads following implementation of new systems",
        ],
        [
            ("Business Process Re-engineering Officer", None, D("100"), ""),
            ("Principal Officer Best Value", None, D("100"), ""),
            ("Principal Officers", 3, D("20"), ""),
            ("Training Officer", None, D("20"), ""),
            ("Group managers", 5, D("5"), ""),
        ],
        [
            (
                D_(2027, 3, 31),
                "The options for a call centre wait on the council's corporate customer contact strategy, "
                "not agreed until September.",
                "Parent Board",
                D_(2026, 3, 10),
            )
        ],
        ["Calls answered within 30 seconds"],
        "Revision of procedures for rents and lettings complete; repairs procedures in staff consultation.",
    ),
    (
        2,
        "KT2/2",
        "Improving performance management",
        "A Performance Management Strategy has been introduced to address a key weakness, but it needs effective "
        "implementation.",
        "Improved focus on service provision, customer feedback and quality monitoring; an extended role for tenants "
        "via the ALMO boards; clear monitoring arrangements between the ALMO and the council.",
        "Principal Officer (Management)",
        D_(2026, 12, 31),
        "on_track",
        None,
        [
            "Confirm adoption of the Performance Management Strategy by the Parent Board",
            "Develop documentation and provide training",
            "Implement monthly and quarterly performance monitoring, including for the Parent and Local Boards",
            "Identify individual and team targets",
            "Establish customer feedback and consultation arrangements for each major service area",
        ],
        [
            ("Principal Officer (Performance)", None, D("100"), ""),
            ("Senior Officer (Customer Care)", None, D("20"), ""),
        ],
        [],
        [],
        "Quarterly performance reports now go to the Parent Board and the council.",
    ),
    (
        2,
        "KT2/3",
        "Ensuring equality of access to services",
        "Catch-up work is needed on equality and diversity: the service meets the CRE Code of Practice for Rented "
        "Housing only partly (70%), and backlogs are building up for disabled adaptations.",
        "Improved access to services for all minorities; greater involvement of BME communities in service planning "
        "and monitoring; improved ethnic monitoring.",
        "Deputy Director of Housing",
        D_(2026, 6, 30),
        "done",
        D_(2026, 6, 24),
        [
            "Complete training for all staff and board members on equality issues",
            "Incorporate ethnic monitoring within the Performance Management Strategy",
            "Analyse census information and identify service implications",
            "Set up service user focus groups for BME communities and disabled tenants",
            "Carry out an access survey of all area offices",
            "Review budget arrangements for disabled adaptations",
        ],
        [
            ("Principal Officer Best Value", None, D("20"), ""),
            ("Senior Officer Customer Care", None, D("10"), ""),
            ("Principal Marketing Officer", None, D("10"), ""),
            ("Training Officer", None, D("50"), "Currently being recruited"),
            ("Senior Officer Tenant Participation", None, D("10"), ""),
        ],
        [],
        [],
        "Code of Practice now met in full; access survey complete and improvement plan agreed.",
    ),
    (
        3,
        "KT3",
        "Completing the integrated housing management system",
        "A new integrated housing management system is being introduced. Delayed modules, expired licences for old "
        "systems, incomplete training and incomplete data migration left parts of it non-functional.",
        "Teething problems and training addressed; a fully operational gas servicing module; a fully implemented system "
        "supporting service improvement, performance management and efficiency savings.",
        "IT Projects Manager",
        D_(2027, 4, 30),
        "at_risk",
        None,
        [
            "Establish a revised implementation plan addressing problems with implemented modules and training first",
            "Prioritise the implementation of further modules, with realistic timescales",
            "Bring additional resources to bear",
            "Develop the system further to support call centres",
        ],
        [
            ("IT Projects Team", 6, D("100"), ""),
            ("Temporary Principal Officer, trainers and data inputters", 5, D("100"), "For 12 months"),
            ("Corporate IT teams", None, D("10"), ""),
        ],
        [],
        ["System availability in working hours"],
        "Rent module stable; the repairs module's interface with the contractor's system is still failing weekly.",
    ),
    (
        4,
        "KT4/1",
        "Replacing the existing bonus scheme",
        "Existing bonus arrangements are a barrier to more flexible working and to high quality repairs with a customer "
        "focus.",
        "Improved performance on repair completions; greater customer focus; a radical re-organisation of the repairs "
        "service, including a void repair team and fewer pre-inspections.",
        "Repairs Manager (North)",
        D_(2026, 4, 1),
        "at_risk",
        None,
        [
            "Replace the current bonus system with more appropriate arrangements",
            "Implement a multi-skilling approach to repair work",
        ],
        [
            ("Best Value Implementation Officer (repairs)", None, D("50"), ""),
            ("Personnel Officer", None, D("20"), "Currently being recruited"),
            ("Trade union representatives", 2, D("10"), ""),
        ],
        [],
        ["Urgent repairs completed within time limits"],
        "Ballot on the new scheme postponed twice; the fall-back of an average bonus is being costed.",
    ),
    (
        4,
        "KT4/2",
        "Central void working arrangements",
        "Void repairs are slow and quality is inconsistent; void repair processes are overly complex.",
        "Speedier void repairs, more reliable completion dates, the void standard agreed with tenants applied "
        "consistently, and more voids repaired.",
        "Voids Manager",
        D_(2026, 4, 1),
        "at_risk",
        None,
        [
            "Create a single void repair team, in partnership with private sector providers, for all security, repair "
            "and cleaning of voids",
            "Introduce a common banded approach to repair completion",
        ],
        [
            ("Best Value Implementation Officer (repairs)", None, D("50"), ""),
            ("Repair inspectors", 2, D("100"), ""),
            ("Senior Housing Officer", None, D("10"), ""),
            ("Contracts Manager, Kirkby Building Services", None, D("10"), ""),
        ],
        [
            (
                D_(2026, 10, 1),
                "Runs in parallel with the bonus scheme, whose ballot was postponed.",
                "Parent Board",
                D_(2026, 3, 10),
            ),
            (
                D_(2027, 1, 4),
                "Kirkby Building Services could not staff the team before the winter.",
                "Parent Board and Cabinet Lead Member for Housing",
                D_(2026, 9, 15),
            ),
        ],
        [],
        "Team leader appointed; sub-contractor framework for cleaning awarded.",
    ),
    (
        4,
        "KT4/3",
        "North Kirkby pilot area",
        "The North Kirkby pilot is the test bed for detailed changes to the repair service, with a number of trials.",
        "Better feedback to tenants; fewer abortive no-access calls; improved repairs performance; a more flexible "
        "response on minor repairs.",
        "Voids Manager",
        D_(2026, 6, 30),
        "done",
        D_(2026, 6, 26),
        [
            "Introduce a just-in-time approach for ordering materials",
            "Reduce pre-inspections to 10% and increase post-inspections to at least 10%",
            "Empower operatives to carry out additional repairs and variations within set limits",
            "Introduce scripted repair reporting to improve accuracy and reduce emergencies",
            "Implement a rapid response team for minor repairs",
            "Increase the number of appointments offered on non-emergency work",
            "Use the tenant survey to test the improvements, then roll out to other areas",
        ],
        [
            ("Area Repairs Team Leaders", 2, D("100"), "In place"),
            ("Maintenance Surveyor", None, D("10"), ""),
            ("Group managers", None, D("5"), ""),
        ],
        [],
        ["Urgent repairs completed within time limits", "Emergency repairs attended within 24 hours"],
        "Evaluation reported to the Parent Board; roll-out to the other areas agreed.",
    ),
    (
        4,
        "KT4/4",
        "Revision of the schedule of rates",
        "The schedule of rates was developed for compulsory competitive tendering and is a barrier to efficient working.",
        "Greater cost effectiveness from programmed repairs; simpler ordering; less held work; fewer emergencies.",
        "Surveying Manager Maintenance",
        D_(2026, 7, 31),
        "done",
        D_(2026, 7, 28),
        [
            "Reduce the overall number of rates items",
            "Increase the proportion of repairs carried out within repair programmes",
            "Introduce a 3-day category for Right to Repair jobs to cut emergencies",
            "Introduce an upper limit for repairs ordered through the schedule of rates",
            "Notify tenants of held work",
            "Test the proposals with a tenant and staff focus group",
        ],
        [
            ("Module Leader, IT Projects Team", None, D("10"), ""),
            ("Maintenance Surveyor", None, D("15"), ""),
            ("Senior surveyors", 2, D("50"), "Available from December, after the programmed repairs review"),
        ],
        [],
        ["Average days to complete a routine repair"],
        "New schedule in use from 1 August.",
    ),
    (
        4,
        "KT4/5",
        "New arrangements for gas servicing and repairs",
        "Gas servicing is not supported by IT systems and processes that give effective monitoring and client control.",
        "Minimised risks from dangerous or faulty gas appliances; fewer services missed for no access; better contract "
        "performance and value for money.",
        "Surveying Manager Maintenance",
        D_(2026, 3, 31),
        "done",
        D_(2026, 3, 20),
        [
            "Introduce the housing system's module to order and record gas servicing and repairs",
            "Introduce more effective access arrangements for servicing",
            "Extend the appointments system to gas servicing and repairs",
            "Test the project's conclusions with a tenant and staff focus group",
        ],
        [
            ("Module Leader, IT Projects Team", None, D("100"), ""),
            ("Principal Services Surveyor", None, D("20"), ""),
            ("Legal Officer", None, D("5"), ""),
        ],
        [],
        ["Homes with a valid gas safety certificate"],
        "Module live; interim no-access recording replaced.",
    ),
    (
        5,
        "KT5",
        "Partnering procurement of repairs",
        "Repairs contracts are procured the traditional way and current services cannot demonstrate value for money or "
        "high quality.",
        "Better value for money; more capacity to spend ALMO resources; improved quality and speedier repairs; local "
        "employment and training; customer involvement in performance management.",
        "Procurement Lead (seconded Surveying Manager)",
        D_(2027, 1, 31),
        "on_track",
        None,
        [
            "Formulate a procurement strategy with a consultant and key service providers",
            "Advertise for expressions of interest and select a tender shortlist",
            "Carry out the formal tendering process with an evaluation model on price, quality and added value",
            "Identify a preferred partner or partners",
        ],
        [
            ("Procurement Lead (seconded Surveying Manager)", None, D("100"), "Post back-filled for the project"),
            ("Principal Finance Officer", None, D("10"), ""),
            ("Principal Legal Officer", None, D("10"), ""),
            ("Human Resource Manager", None, D("10"), ""),
        ],
        [],
        [],
        "Shortlist of four agreed; tenders due back in December.",
    ),
    (
        6,
        "KT6",
        "Reducing voids",
        "Procedures need updating; performance management is inconsistent; marketing is unfocused; IT is not fully "
        "functional and the property shop is not operating effectively.",
        "Greater consistency; better integration of the property shop with area offices; more effective marketing; "
        "speedier allocations and fewer voids.",
        "Principal Officer (Management)",
        D_(2027, 1, 31),
        "on_track",
        None,
        [
            "Complete the review of policies and procedures and train staff",
            "Review the property shop",
            "Develop a targeted marketing policy",
            "Review the allocation policy against the latest government guidance",
        ],
        [
            ("Principal Officer (Allocations)", None, D("100"), "Seconded for 6 months, post back-filled"),
            ("Group Manager", None, D("10"), ""),
            ("Principal Officer, IT Projects Team", None, D("20"), ""),
            ("Principal Officer Marketing", None, D("20"), ""),
        ],
        [],
        ["Applications assessed within 20 working days"],
        "Property shop review complete.",
    ),
    (
        7,
        "KT7",
        "Reducing rent arrears",
        "Arrears are high compared with other providers; housing benefit processing has been poor; there is no "
        "corporate debt strategy; IT is not fully functional.",
        "Clear, consistently applied procedures; better support for tenants struggling to pay; wider payment methods; "
        "speedier legal action; lower arrears.",
        "Principal Officer (Management)",
        D_(2028, 4, 30),
        "on_track",
        None,
        [
            "Review and revise procedures",
            "Extend the free phone facility to all offices",
            "Finalise the service level agreement on housing benefit",
            "Create a corporate debt recovery strategy",
            "Introduce direct debit payment with incentives",
            "Implement a 'hit squad' pilot",
        ],
        [
            ("Principal Officer Rents", None, D("50"), "Half-time post made full-time for the project"),
            ("Module Leader, IT Projects Team", None, D("50"), ""),
            ("Group Manager", None, D("10"), ""),
        ],
        [],
        [],
        "Direct debit incentive launched in October.",
    ),
    (
        8,
        "KT8",
        "Ensuring quality support services",
        "The housing service depends on support services, many from the council. The development and monitoring of "
        "service level agreements has historically been poor.",
        "Better quality support services and better value for money.",
        "Assistant Director of Housing (Support Services)",
        D_(2027, 4, 30),
        "on_track",
        None,
        [
            "Finalise this year's service level agreements and monitoring arrangements",
            "Agree next year's service level agreements before April",
            "Involve the Parent Board in agreeing and monitoring the agreements",
            "Review the procurement of support services: benchmarking, corporate best value review, market testing where appropriate",
        ],
        [("Principal Accountant", None, D("10"), ""), ("Principal Officer Best Value", None, D("50"), "For 6 months")],
        [],
        [],
        "Negotiations on current agreements well advanced; training provided for the Parent Board.",
    ),
    (
        9,
        "KT9",
        "Improving services to asylum seekers",
        "There has been limited feedback from service users, few formal processes, and performance needs managing.",
        "Clearer procedures; better performance management and customer feedback; smoother, faster move-on.",
        "Principal Officer (Supported Tenancies)",
        D_(2026, 12, 31),
        "on_track",
        None,
        [
            "Review the effectiveness of the current service and users' response to it",
            "Create a firmer framework for services and formalise move-on arrangements",
            "Put performance management in place, including customer feedback",
        ],
        [("Principal Officer (Supported Tenancies)", None, D("50"), "Newly established post")],
        [],
        [],
        "Service users' focus group met twice.",
    ),
    (
        10,
        "KT10",
        "Developing the role of caretakers",
        "There are unexplored opportunities to extend the role of caretakers to the advantage of tenants.",
        "Added value from the caretaking service, better information and services for tenants.",
        "Group Manager (Kirkby South)",
        D_(2028, 4, 30),
        "on_track",
        None,
        [
            "Revise the caretaker handbook: minor repairs, accompanied viewings, visits to new tenants",
            "Introduce structured training",
            "Establish performance indicators and benchmarking",
            "Review liaison with Environmental Services and area staff",
        ],
        [
            ("Group Manager", None, D("10"), ""),
            ("District Service Cleaning Managers", 3, D("20"), ""),
            ("Training Officer", None, D("20"), ""),
        ],
        [],
        ["Grass cuts completed to schedule"],
        "Work has started on the handbook.",
    ),
    (
        11,
        "KT11",
        "Estate management and anti-social behaviour",
        "Good practice in estate walkabouts and community liaison needs extending across the borough; liaison and joint "
        "working need finalising; the housing legal team lacks capacity.",
        "Improved joint working, better record keeping, improved customer feedback and a speedier legal response.",
        "Principal Officer (Management)",
        D_(2026, 9, 30),
        "at_risk",
        None,
        [
            "Review processes and procedures",
            "Establish formal liaison with Environmental Services and Community Safety",
            "Review staffing within the housing legal team",
            "Extend the community liaison scheme to two more estates, and bid for one further area",
        ],
        [
            ("Principal Officer Anti-Social Behaviour", None, D("30"), ""),
            ("Group Manager", None, D("10"), ""),
            ("Housing Legal Team Leader", None, D("20"), ""),
        ],
        [
            (
                D_(2027, 3, 31),
                "The legal team review waits on the council's legal services restructure.",
                "Parent Board",
                D_(2026, 9, 22),
            )
        ],
        [
            "Serious cases contacted within 1 working day",
            "Possession claims issued within 15 working days of instruction",
        ],
        "Liaison protocol with Community Safety signed; legal team review delayed.",
    ),
]

# theme number, code, title, unit, direction, baseline (None: note), baseline note, [targets 2025..2029], {year: note}, standard
INDICATORS = [
    (
        4,
        "BVPI 72",
        "% urgent repairs completed within government time limits",
        "percent",
        "higher",
        D("74.48"),
        "",
        [D("85"), D("90"), D("95"), D("95"), D("96")],
        {},
        "Urgent repairs completed within time limits",
    ),
    (
        4,
        "BVPI 73",
        "Average time taken to complete non-urgent repairs (days)",
        "days",
        "lower",
        D("17.8"),
        "",
        [D("25"), D("24"), D("22"), D("20"), D("16")],
        {
            2025: "A planned reduction in emergency repairs as the council defines them will lead to a short-term decline "
            "in performance for non-urgent repairs."
        },
        "Average days to complete a routine repair",
    ),
    (
        4,
        "BVPI 185",
        "% responsive (not emergency) repairs for which an appointment was made and kept",
        "percent",
        "higher",
        None,
        "N/A",
        [D("60"), D("65"), D("70"), D("75"), D("80")],
        {},
        None,
    ),
    (
        6,
        "BVPI 68",
        "Average relet time for dwellings let in the financial year (days)",
        "days",
        "lower",
        D("108.92"),
        "",
        [D("90"), D("85"), D("75"), D("65"), D("50")],
        {},
        None,
    ),
    (
        6,
        "BVPI 69",
        "% rent lost through dwellings becoming vacant",
        "percent",
        "lower",
        D("4.67"),
        "",
        [D("4.25"), D("4.25"), D("4.00"), D("3.50"), D("3.00")],
        {},
        None,
    ),
    (
        6,
        "LPI",
        "Average relet time excluding long-term voids (over 6 months)",
        "days",
        "lower",
        None,
        "Information not yet available",
        [],
        {},
        None,
    ),
    (
        7,
        "BVPI 66a",
        "Proportion of rent collected",
        "percent",
        "higher",
        D("93.36"),
        "",
        [D("95"), D("95.50"), D("96.25"), D("96.50"), D("96.90")],
        {},
        None,
    ),
    (
        7,
        "BVPI 66b",
        "Rent arrears of current tenants as a proportion of the rent roll",
        "percent",
        "lower",
        D("5.39"),
        "",
        [D("4.5"), D("4.25"), D("4.00"), D("3.50"), D("3.00")],
        {},
        None,
    ),
    (
        7,
        "LPI",
        "% current tenants owing over 13 weeks' rent at 31 March (excluding those owing under £250)",
        "percent",
        "lower",
        D("9.12"),
        "",
        [D("7.50"), D("7.00"), D("6.5"), D("5.50"), D("4.50")],
        {},
        None,
    ),
]
INDICATOR_BASELINE_YEAR = 2024
INDICATOR_FIRST_TARGET_YEAR = 2025

# theme number, area, H/L, consequences, reducing risks
RISKS = [
    (
        1,
        "Unable to recruit a suitable HR team",
        "H",
        "Poor HR strategy and implementation. Poor training affecting quality of service.",
        "Employ council or external resources.",
    ),
    (
        1,
        "Fail to meet Investors in People standards",
        "L",
        "De-motivated workforce.",
        "Ensure all elements are in place before the final assessment. Involve staff in preparations. Learn from successful applicants.",
    ),
    (
        1,
        "Fail to reach consensus on frameworks for change management and decision making",
        "H",
        "Change processes slow down.",
        "Employ effective trainers for management development. Communicate objectives to all managers.",
    ),
    (
        1,
        "Management development for board members fails: members have differing backgrounds and opinions",
        "H",
        "Ineffective decision making; lack of consensus on the boards.",
        "Employ effective trainers. Communicate objectives to all board members.",
    ),
    (
        1,
        "The process of change disrupts services",
        "H",
        "Short-term performance failures that would stop the organisation attaining its goals.",
        "Develop a management of change framework; keep staff informed and involved; train and resource the change process.",
    ),
    (
        1,
        "Attendance management strategy not implemented effectively",
        "L",
        "High sickness levels; lower productivity and service quality.",
        "Good quality training for all managers. Monitor effectively.",
    ),
    (
        2,
        "Performance management is ineffective",
        "H",
        "Performance deteriorates; staff motivation drops; targets missed; improved Best Value rating and ALMO funding not achieved.",
        "Effective strategy, clear guidance and training; staff involved at all levels; boards adopt an action-based response; annual review.",
    ),
    (
        2,
        "Procedures are ineffective and unfit for purpose",
        "H",
        "Service to tenants suffers; objectives not achieved.",
        "Consult staff and customers; review procedures annually; a lead officer for updating procedures.",
    ),
    (
        2,
        "Procedures are not implemented consistently",
        "H",
        "Poor quality of service and unclear service standards.",
        "Train all staff; integrate monitoring within performance management.",
    ),
    (
        2,
        "Fail to meet the equality objectives",
        "H",
        "No higher Best Value rating; poor services to ethnic minorities; new housing markets missed.",
        "Implement and monitor the action plan fully; involve BME tenants in service improvements.",
    ),
    (
        3,
        "Fail to correct initial flaws in the system",
        "H",
        "Benefits of IT not realised; service quality suffers; barrier to performance management; staff lose confidence.",
        "Bring additional resources to remedial work; re-prioritise the implementation programme; monitor targets.",
    ),
    (
        3,
        "Staff are not well trained on the new systems",
        "H",
        "As above.",
        "Employ additional trainers with a new training programme; monitor its effectiveness.",
    ),
    (
        3,
        "New modules are not implemented (gas servicing: high impact)",
        "L",
        "Added value not realised; health and safety implications for the gas servicing module.",
        "Prioritise modules; increase resources; monitor the project.",
    ),
    (
        4,
        "Unable to agree an acceptable alternative to the bonus scheme",
        "H",
        "Major barrier to other repair improvements; objectives and ALMO funding at risk.",
        "Joint approach with staff from the outset; a consultant and other providers' examples; fall back on an average bonus.",
    ),
    (
        4,
        "Failure to create a central void repair team",
        "H",
        "Void repairs stay slow and inconsistent; void levels stay high.",
        "Use external contractors as a fall-back.",
    ),
    (
        4,
        "Failure to agree a revised schedule of rates",
        "L",
        "Confusing rates remain; emergencies and low programmed repairs continue.",
        "Introduce revised arrangements within partnership procurement.",
    ),
    (
        4,
        "Unable to retain and recruit tradespeople because of uncertainty about procurement",
        "H",
        "Services deteriorate and targets are missed.",
        "Clear information to staff on the procurement; involve staff; use sub-contractors to fill gaps.",
    ),
    (
        5,
        "Failure to attract interest from partners",
        "L",
        "Strategy rethought; alternative contractors may lack capacity or value for money.",
        "Continue with smaller contracts to attract local providers, keeping partnering principles.",
    ),
    (
        5,
        "Potential partners unable or unwilling to carry out the full range of repairs",
        "L",
        "Procurement and improvements slow down.",
        "As above.",
    ),
    (
        5,
        "Partners fail to deliver good quality or value for money",
        "H",
        "Targets, Best Value assessments and ALMO resources suffer.",
        "Clear targets and penalties in contracts; effective monitoring with tenant feedback; bring in other contractors if necessary.",
    ),
]
# Scored (likelihood × impact) overrides for a few Priority One risks, where the ALMO's matrix has been applied.
SCORED = {
    "Unable to agree an acceptable alternative to the bonus scheme": (4, 5),
    "Failure to create a central void repair team": (4, 4),
    "Fail to correct initial flaws in the system": (3, 4),
    "Failure to agree a revised schedule of rates": (2, 2),
}

STEERING_GROUPS = [
    (
        "Repairs procurement steering group",
        [5],
        "Leads the partnering procurement; includes Parent Board members and tenant and staff representatives.",
        [
            ("Councillor M. Ahmed", "other", "Parent Board member"),
            ("Joan Whitfield", "tenant", "Kirkby Federation of Tenants"),
            ("Derek Hollins", "tenant", "North Kirkby tenants' panel"),
            ("Sam Okafor", "staff", "Unison branch secretary"),
            ("Procurement Lead", "staff", "Kirkby Neighbourhood Homes"),
            ("Principal Legal Officer", "other", "Council Legal Services"),
        ],
    ),
    (
        "North Kirkby repairs pilot steering group",
        [4],
        "Tests and evaluates the repairs trials before roll-out.",
        [
            ("Maureen Platt", "tenant", "North Kirkby tenants' panel"),
            ("Voids Manager", "staff", "Kirkby Neighbourhood Homes"),
            ("Contracts Manager", "other", "Kirkby Building Services"),
        ],
    ),
    (
        "Management development steering group",
        [1],
        "A cross-section of staff shaping management development and the HR strategy.",
        [
            ("Human Resource Manager", "staff", "Kirkby Neighbourhood Homes"),
            ("Priya Shah", "staff", "Housing officer, Kirkby South"),
            ("Alan Signwell", "other", "Parent Board"),
        ],
    ),
]

QUICK_WINS = [
    (
        "Publish repair priorities and timescales on the tenants' web pages",
        "Principal Marketing Officer",
        D_(2025, 9, 30),
        D_(2025, 9, 12),
    ),
    ("Customer care cards in every repairs van", "Repairs Manager (North)", D_(2025, 12, 31), D_(2025, 11, 28)),
    (
        "Display office opening hours and the out-of-hours number at every area office",
        "Group managers",
        D_(2026, 3, 31),
        None,
    ),
    ("Text message reminders the day before a repair appointment", "IT Projects Manager", D_(2027, 3, 31), None),
]
