"""The words of service level agreements, explained once; pages link each term here."""

GLOSSARY = {
    "rag": (
        "RAG (red, amber, green)",
        "The status of a quarterly result against its target: green when the target is met, amber when it is "
        "missed by no more than the standard's amber tolerance, red when it is missed by more. Trends over "
        "several quarters matter more than one quarter: a standard red two quarters running is escalated.",
    ),
    "amber-tolerance": (
        "Amber tolerance",
        "How far a result may fall short of its target and still be amber rather than red, in the standard's "
        "own unit (for example 5 percentage points, or 2 working days). Set for each standard in the schedule.",
    ),
    "hra": (
        "HRA (Housing Revenue Account)",
        "The council's ring-fenced account for its housing: rents come in, and the cost of managing and "
        "maintaining the homes goes out. Services the ALMO buys from the council are often charged to the HRA "
        "even when the department providing them sits outside housing, which is why they belong in the agreement.",
    ),
    "notice-alignment": (
        "Notice alignment",
        "The date on which notice to stop buying a service may take effect: any date, the end of a month, the "
        "end of a quarter or the end of a financial year. The earliest date notice can take effect is the day "
        "the notice period ends, moved on to the next such date.",
    ),
    "departure": (
        "Departure from standard",
        "A failure to meet a standard, which the department must report in its quarterly return with what "
        "happened, how many cases, the reason, the remedial action, who owns it and by when.",
    ),
    "variation": (
        "Variation",
        "A change to an agreement after it has been agreed: proposed by the coordinator and made only by joint "
        "agreement, when both signatories approve it. The agreement's history shows every variation.",
    ),
    "service-credit": (
        "Service credit",
        "A reduction in what the ALMO pays when a service falls short of its standard, if the agreement "
        "provides for one. Service credits are written into the legal and contract notes of a schedule; this "
        "service records them there and does not calculate them.",
    ),
}


def glossary_entries():
    return [{"slug": slug, "term": term, "definition": text} for slug, (term, text) in GLOSSARY.items()]
