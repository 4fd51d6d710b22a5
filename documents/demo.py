"""Demo governance documents: the Pan-Sussex MoU in two versions, two other schemes' MoUs, a terms
of reference and an information-sharing agreement template, plus the library page.

Files are generated here as real DOCX and PDF documents and stored through the services, so
extraction, the personal-data check and version superseding all run as they would for an
editor's upload. Safe to run twice: what exists (matched by title and version) is left alone.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction, Page, Site

from schemes.models import Organisation, OrganisationKind, Region, SchemeIndexPage, SchemePage, Workstream

from .models import DocumentKind, DocumentLibraryPage, DocumentStatus, GovernanceDocument
from .samples import make_docx, make_pdf
from .services import document_add_version, document_agree, document_create, document_extract_text

D = datetime.date
SE = Region.SOUTH_EAST

SUSSEX_SIGNATORIES = [
    "Sussex Police",
    "East Sussex County Council",
    "West Sussex County Council",
    "Brighton & Hove City Council",
    "Adur District Council",
    "Arun District Council",
    "Chichester District Council",
    "Crawley Borough Council",
    "Eastbourne Borough Council",
    "Hastings Borough Council",
    "Horsham District Council",
    "Lewes District Council",
    "Mid Sussex District Council",
    "Rother District Council",
    "Wealden District Council",
    "Worthing Borough Council",
    "Office of the Sussex Police and Crime Commissioner",
    "East Sussex Fire and Rescue Service",
    "Sussex Criminal Justice Board",
    "East Sussex Trading Standards",
    "West Sussex Trading Standards",
]

ORGANISATION_DEFAULTS = {
    "Sussex Police": (OrganisationKind.POLICE_FORCE, SE),
    "East Sussex County Council": (OrganisationKind.COUNTY_COUNCIL, SE),
    "West Sussex County Council": (OrganisationKind.COUNTY_COUNCIL, SE),
    "Brighton & Hove City Council": (OrganisationKind.UNITARY_AUTHORITY, SE),
    "Office of the Sussex Police and Crime Commissioner": (OrganisationKind.PCC_OFFICE, SE),
    "East Sussex Fire and Rescue Service": (OrganisationKind.FIRE_AND_RESCUE, SE),
    "Sussex Criminal Justice Board": (OrganisationKind.CRIMINAL_JUSTICE_BOARD, SE),
    "East Sussex Trading Standards": (OrganisationKind.TRADING_STANDARDS, SE),
    "West Sussex Trading Standards": (OrganisationKind.TRADING_STANDARDS, SE),
    "Thames Valley Police": (OrganisationKind.POLICE_FORCE, SE),
    "Oxford City Council": (OrganisationKind.DISTRICT_COUNCIL, SE),
    "Greater Manchester Police": (OrganisationKind.POLICE_FORCE, Region.NORTH_WEST),
    "Manchester City Council": (OrganisationKind.UNITARY_AUTHORITY, Region.NORTH_WEST),
    "Empowering-Communities": (OrganisationKind.SUPPLIER, Region.NATIONAL),
}

SCHEMES = {
    "pan-sussex": ("Pan-Sussex", "Sussex Police", SE),
    "thames-valley": ("Thames Valley", "Thames Valley Police", SE),
    "greater-manchester": ("Greater Manchester", "Greater Manchester Police", Region.NORTH_WEST),
}


def mou_clauses(scheme: str, *, version: int, lead: str, workstreams: str) -> list[str]:
    """The clauses of an MoU; version 2 changes, adds and removes some so comparisons show them."""
    retention = (
        "9.1 Case records are kept for six years after a case is closed, then deleted by the system administrator."
        if version == 1
        else "9.1 Case records are kept for three years after a case is closed, then deleted automatically by "
        "the system. A partner may ask for a record to be kept longer where a court order or a live "
        "investigation requires it."
    )
    review = (
        "12.1 The steering group reviews this Memorandum every year."
        if version == 1
        else "12.1 The steering group reviews this Memorandum every two years, or sooner when the law or "
        "the partnership changes."
    )
    clauses = [
        f"# Memorandum of Understanding: {scheme} community safety partnership",
        f"This Memorandum is agreed by the partners of the {scheme} scheme for sharing information on the "
        "shared case management system.",
        "# 1. Purpose",
        f"1.1 This Memorandum sets out how the partners share information about {workstreams} cases on the "
        "shared case management system, so that each case is handled once, by the right agency.",
        "1.2 It applies to every member of staff of each partner who holds an account on the system.",
        "# 2. Legal basis",
        "2.1 Partners share information under section 115 of the Crime and Disorder Act 1998, their duties "
        "under section 17 of that Act, and Article 6(1)(e) of the UK General Data Protection Regulation.",
        "2.2 Special category and criminal offence data are processed under Schedule 1 of the Data "
        "Protection Act 2018 and, for police partners, Part 3 of that Act.",
        "# 3. Roles",
        f"3.1 {lead} is the lead partner and hosts the scheme's administration.",
        "3.2 Each partner is a joint controller of the information it enters and remains responsible for "
        "its accuracy.",
        "# 4. Information shared",
        "4.1 Partners share only what is necessary and proportionate for the prevention and reduction of "
        "crime and disorder.",
        "4.2 Free-text notes must be factual and must not record opinions about a person that are not "
        "relevant to the case.",
        "# 5. Access to the system",
        "5.1 Accounts are issued only to staff whose role needs them, approved by a nominated single point "
        "of contact in each partner.",
    ]
    if version >= 2:
        clauses.append(
            "5.2 Every account must use two-step verification. Accounts not used for 90 days are suspended."
        )
    else:
        clauses.append("5.2 Accounts not used for 180 days are suspended.")
    clauses += [
        "# 6. Security",
        "6.1 Information from the system must not be copied to personal devices or personal e-mail accounts.",
    ]
    if version == 1:
        clauses.append("6.2 Printed case papers may be sent by secure fax where e-mail is not available.")
    clauses += [
        "# 7. Individuals' rights",
        "7.1 Requests from individuals to see their information are handled by the partner that receives "
        "them, which consults the other partners who entered information before replying.",
        "# 8. Breaches",
        "8.1 A partner that finds a breach tells the lead partner's data protection officer within 24 hours.",
        "# 9. Retention",
        retention,
    ]
    if version >= 2:
        clauses += [
            "# 10. Hate crime cases",
            "10.1 Hate crime cases are shared with the victim's consent where it can be obtained, and the "
            "victim's preferences about contact are recorded on the case.",
        ]
    clauses += [
        "# 11. Complaints",
        "11.1 Complaints about the use of information are handled under the receiving partner's complaints "
        "procedure.",
        "# 12. Review",
        review,
        "# Signatories",
        "Signed for each partner by an officer with authority to commit it to this Memorandum.",
    ]
    return clauses


TERMS_OF_REFERENCE = [
    "# Pan-Sussex case management steering group: terms of reference",
    "# 1. Purpose",
    "1.1 The steering group governs the Pan-Sussex use of the shared case management system and owns its "
    "Memorandum of Understanding.",
    "# 2. Membership",
    "2.1 One senior officer from Sussex Police, each county and unitary council, the district and borough "
    "councils (two seats, rotating yearly), and the Office of the Police and Crime Commissioner.",
    "# 3. Meetings",
    "3.1 The group meets every quarter. It is quorate when the lead force and three other partners are present.",
    "# 4. Responsibilities",
    "4.1 Agree the Memorandum of Understanding and review it on time.",
    "4.2 Approve new workstreams, partners and changes to the system's configuration.",
    "4.3 Receive reports from the local users' group and decide which issues go to the supplier.",
]

ISA_TEMPLATE = [
    "# Information-sharing agreement: template",
    "How to use this template: replace the text in square brackets, delete what does not apply and keep "
    "the clause numbers so that partners can compare versions.",
    "# 1. Parties",
    "1.1 This agreement is between [lead force] and the partners listed in Schedule 1.",
    "# 2. Purpose",
    "2.1 The partners share information to [describe the workstream and what it achieves].",
    "# 3. Lawful basis",
    "3.1 [State the lawful basis under Article 6 of the UK GDPR and, where relevant, the condition under "
    "Article 9 or 10.]",
    "# 4. Data minimisation",
    "4.1 Only the fields listed in Schedule 2 are shared.",
    "# 5. Retention and deletion",
    "5.1 [State how long records are kept and who deletes them.]",
    "# 6. Contacts",
    "6.1 Each partner names a single point of contact by role, never by personal name or personal "
    "telephone number.",
]


def _organisation(name: str) -> Organisation:
    kind, region = ORGANISATION_DEFAULTS.get(name, (OrganisationKind.DISTRICT_COUNCIL, SE))
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "region": region})[0]


def _scheme(slug: str, home: Page) -> SchemePage:
    scheme = SchemePage.objects.filter(slug=slug).first()
    if scheme is not None:
        return scheme
    title, lead, region = SCHEMES[slug]
    index = SchemeIndexPage.objects.child_of(home).first()
    if index is None:
        index = SchemeIndexPage(title="Schemes", slug="schemes", show_in_menus=True)
        home.add_child(instance=index)
        index.save_revision().publish()
    scheme = SchemePage(
        title=title,
        slug=slug,
        summary=f"The {title} community safety partnership.",
        lead_force=_organisation(lead),
        region=region,
    )
    index.add_child(instance=scheme)
    scheme.save_revision().publish()
    return scheme


def _members_collection() -> Collection:
    """Partnership documents are for approved members; national templates stay public."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name="Partnership documents").first()
    if collection is None:
        collection = root.add_child(name="Partnership documents")
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        # LOGIN: the viewer's rule (serving.viewer) opens it to approved members only.
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def _library(home: Page) -> DocumentLibraryPage:
    library = DocumentLibraryPage.objects.child_of(home).first()
    if library is None:
        library = DocumentLibraryPage(
            title="Document library",
            slug="library",
            show_in_menus=True,
            introduction="<p>Memoranda of understanding, information-sharing agreements and terms of "
            "reference agreed by schemes across the country. Find one close to what you need, compare its "
            "versions and reuse it.</p>",
        )
        home.add_child(instance=library)
        library.save_revision().publish()
    return library


def _file(name: str, content: bytes) -> ContentFile:
    return ContentFile(content, name=name)


def _existing(title: str, version_label: str) -> GovernanceDocument | None:
    return GovernanceDocument.objects.filter(title=title, version_label=version_label).first()


def _create(stdout, *, title, version_label, filename, content, **fields) -> GovernanceDocument:
    document = _existing(title, version_label)
    if document is not None:
        return document
    document = document_create(
        title=title, version_label=version_label, file=_file(filename, content), **fields
    )
    stdout.write(f"Governance document: {title} {version_label} created.")
    return document


def _read_now(document: GovernanceDocument) -> GovernanceDocument:
    """Run extraction at once (even with a queued task backend) so the demo is complete."""
    if document.extraction_record.extracted_at is None:
        document_extract_text(document_id=document.pk)
        document.refresh_from_db()
    return document


def load_demo_documents(*, stdout) -> None:
    """Create the demo library and its documents; changes nothing when they exist already."""
    home = Site.objects.get(is_default_site=True).root_page
    with transaction.atomic():
        members = _members_collection()
        public = Collection.get_first_root_node()
        sussex = _scheme("pan-sussex", home)
        thames = _scheme("thames-valley", home)
        manchester = _scheme("greater-manchester", home)
        library = _library(home)
        ws = {w.slug: w for w in Workstream.objects.all()}

        def workstreams(*slugs):
            return [ws[slug] for slug in slugs if slug in ws]

        sussex_police = _organisation("Sussex Police")
        signatories = [_organisation(name) for name in SUSSEX_SIGNATORIES]
        sussex_workstreams = workstreams("anti-social-behaviour", "hate-crime", "street-homelessness")
        title = "Pan-Sussex Memorandum of Understanding"

        first = _existing(title, "1.0")
        if first is None:
            first = _create(
                stdout,
                title=title,
                version_label="1.0",
                filename="pan-sussex-mou-v1.docx",
                content=make_docx(
                    mou_clauses(
                        "Pan-Sussex", version=1, lead="Sussex Police", workstreams="anti-social behaviour"
                    ),
                    title=title,
                ),
                kind=DocumentKind.MOU,
                status=DocumentStatus.AGREED,
                summary="How Sussex Police, the councils and their partners share anti-social behaviour case "
                "information on the case system. Replaced by version 2.0.",
                organisation=sussex_police,
                scheme=sussex,
                workstreams=workstreams("anti-social-behaviour"),
                signatories=signatories[:16],
                effective_date=D(2019, 4, 1),
                review_date=D(2020, 4, 1),
                collection=members,
            )
        second = _existing(title, "2.0")
        if second is None:
            second = document_add_version(
                previous=first,
                version_label="2.0",
                file=_file(
                    "pan-sussex-mou-v2.pdf",
                    make_pdf(
                        mou_clauses(
                            "Pan-Sussex",
                            version=2,
                            lead="Sussex Police",
                            workstreams="anti-social behaviour, hate crime and street homelessness",
                        ),
                        title=title,
                    ),
                ),
                summary="How Sussex Police, the county, unitary, district and borough councils and their "
                "partners share anti-social behaviour, hate crime and street homelessness case information.",
                workstreams=sussex_workstreams,
                signatories=signatories,
                effective_date=D(2024, 4, 1),
                review_date=D(2026, 4, 1),
                status=DocumentStatus.DRAFT,  # agreed below (its consultation predates the forum)
            )
            stdout.write(f"Governance document: {title} 2.0 created.")
            _read_now(second)
            document_agree(document=second, effective_date=D(2024, 4, 1), confirm_personal_data=True)

        _create(
            stdout,
            title="Thames Valley Memorandum of Understanding",
            version_label="3.1",
            filename="thames-valley-mou.pdf",
            content=make_pdf(
                mou_clauses(
                    "Thames Valley",
                    version=2,
                    lead="Thames Valley Police",
                    workstreams="anti-social behaviour and restorative justice",
                ),
                title="Thames Valley Memorandum of Understanding",
            ),
            kind=DocumentKind.MOU,
            status=DocumentStatus.AGREED,
            summary="The Thames Valley partners' agreement for anti-social behaviour and restorative justice cases.",
            organisation=_organisation("Thames Valley Police"),
            scheme=thames,
            adapted_from=first,  # "Our MoU has been shared with several other forces"
            workstreams=workstreams("anti-social-behaviour", "restorative-justice"),
            signatories=[_organisation("Thames Valley Police"), _organisation("Oxford City Council")],
            effective_date=D(2022, 9, 1),
            review_date=D(2025, 3, 31),
            collection=members,
        )
        _create(
            stdout,
            title="Greater Manchester Memorandum of Understanding",
            version_label="2023",
            filename="greater-manchester-mou.docx",
            content=make_docx(
                mou_clauses(
                    "Greater Manchester",
                    version=2,
                    lead="Greater Manchester Police",
                    workstreams="anti-social behaviour, domestic abuse and youth offending deterrence",
                ),
                title="Greater Manchester Memorandum of Understanding",
            ),
            kind=DocumentKind.MOU,
            status=DocumentStatus.AGREED,
            summary="Greater Manchester Police and the ten boroughs' agreement for anti-social behaviour, "
            "domestic abuse and youth offending deterrence cases.",
            organisation=_organisation("Greater Manchester Police"),
            scheme=manchester,
            adapted_from=first,
            workstreams=workstreams("anti-social-behaviour", "domestic-abuse", "youth-offending-deterrence"),
            signatories=[
                _organisation("Greater Manchester Police"),
                _organisation("Manchester City Council"),
            ],
            effective_date=D(2023, 6, 1),
            review_date=D(2027, 6, 1),
            collection=members,
        )
        _create(
            stdout,
            title="Pan-Sussex steering group terms of reference",
            version_label="2024",
            filename="pan-sussex-steering-group-terms-of-reference.docx",
            content=make_docx(TERMS_OF_REFERENCE, title="Pan-Sussex steering group terms of reference"),
            kind=DocumentKind.TERMS_OF_REFERENCE,
            status=DocumentStatus.AGREED,
            summary="Who sits on the Pan-Sussex steering group, how often it meets and what it decides.",
            organisation=sussex_police,
            scheme=sussex,
            workstreams=sussex_workstreams,
            signatories=signatories[:4],
            effective_date=D(2024, 1, 15),
            review_date=D(2027, 1, 15),
            collection=members,
        )
        _create(
            stdout,
            title="Information-sharing agreement template",
            version_label="1.2",
            filename="information-sharing-agreement-template.docx",
            content=make_docx(ISA_TEMPLATE, title="Information-sharing agreement template"),
            kind=DocumentKind.TEMPLATE,
            status=DocumentStatus.AGREED,
            summary="A starting point for a scheme's information-sharing agreement, with guidance on each clause.",
            organisation=_organisation("Empowering-Communities"),
            region=Region.NATIONAL,
            workstreams=workstreams("anti-social-behaviour", "hate-crime", "domestic-abuse"),
            adopted_by=[thames, manchester],
            effective_date=D(2023, 2, 1),
            review_date=D(2026, 2, 1),
            collection=public,
        )
    for document in GovernanceDocument.objects.exclude(extraction__extracted_at__isnull=False):
        _read_now(document)
    stdout.write(f"Document library: {library.url_path} with {GovernanceDocument.objects.count()} documents.")


def load_demo_consultation_draft(*, stdout) -> GovernanceDocument | None:
    """The Pan-Sussex MoU draft 3.0, in consultation (the forum's demo calls this once its
    national group exists, so the consultation thread opens with it). Partners widen to
    registered social landlords, adult social care, mental health and environmental health."""
    title = "Pan-Sussex Memorandum of Understanding"
    third = _existing(title, "3.0")
    if third is not None:
        return third
    second = _existing(title, "2.0")
    if second is None or second.status != DocumentStatus.AGREED:
        return None
    clauses = mou_clauses(
        "Pan-Sussex",
        version=2,
        lead="Sussex Police",
        workstreams="anti-social behaviour, hate crime and street homelessness",
    )
    clauses.insert(
        clauses.index("# 4. Information shared"),
        "3.3 Registered social landlords, adult social care, mental health trusts and environmental health "
        "teams join as partners, each named in the schedule of signatories.",
    )
    with transaction.atomic():
        third = document_add_version(
            previous=second,
            version_label="3.0",
            file=_file("pan-sussex-mou-v3-draft.pdf", make_pdf(clauses, title=title)),
            summary="Draft 3.0, in consultation: adds registered social landlords, adult social care, mental "
            "health and environmental health as partners.",
            status=DocumentStatus.IN_CONSULTATION,
            effective_date=None,
        )
    stdout.write(f"Governance document: {title} 3.0 created (in consultation).")
    return _read_now(third)
