"""Billing-domain vocabulary the PHI check must treat as *not* personal.

Plain data, no logic. Everything is lower case. These lists only ever stop a
word from being read as part of a person's name (or a city/state from being
read as a ZIP context); they never make text pass the other checks.
"""

from __future__ import annotations

from app.reference.states import STATE_NAMES as STATE_NAMES_BY_CODE

# Multi-word organisations and eponyms whose words are also first/last names
# ("Tommy John surgery", "Baylor Scott & White", "Henry Ford Health"). They are
# blanked out before the name rules run.
NAME_LIKE_PHRASES: tuple[str, ...] = (
    "baylor scott & white", "baylor scott and white", "scott & white", "scott and white",
    "tommy john", "johns hopkins", "henry ford", "virginia mason", "martin's point",
    "mutual of omaha", "kaiser permanente", "harvard pilgrim", "oscar health",
    "mayo clinic", "cleveland clinic", "sutter health", "rush university",
    "aurora health", "sanford health", "magnolia health", "jefferson health",
    "lincoln financial", "priority health", "peach state", "cook children's",
    "carle health", "ochsner health", "christus health", "banner health",
    "providence health", "dignity health", "presbyterian health", "lovelace health",
    "mercy health", "st. luke's", "st luke's", "st. joseph", "st joseph",
    "st. john's", "st john's", "st. mary's", "st mary's", "st. vincent", "st vincent",
    "mount sinai", "mt sinai", "cedars sinai", "cedars-sinai", "beth israel",
    "lahey clinic", "ben taub", "parkland", "tufts health", "dean health",
    "martin luther king", "mlk", "grady", "jackson health", "jackson memorial",
    "hackensack meridian", "rocky mountain", "el paso", "the hartford", "hartford", "meridian health", "anne arundel", "george washington",
    "bon secours", "lee health", "allina health", "ascension", "adventhealth",
    "ellis medicine", "morton plant", "morton's neuroma", "baker's cyst",
    "bell's palsy", "crohn's", "parkinson's", "alzheimer's", "hashimoto's",
    "graves' disease", "graves disease", "addison's", "cushing's", "raynaud's",
    "dupuytren's", "de quervain's", "osgood-schlatter", "lou gehrig", "down syndrome",
    "tourette", "guillain-barre", "guillain barre", "hodgkin", "non-hodgkin",
    "kaposi", "wilms", "ewing", "barrett's", "bartholin", "colles", "smith's fracture",
    "jones fracture", "lisfranc", "bankart", "hill-sachs", "tommy john's",
    "first coast", "national government services", "palmetto gba", "noridian",
    "aetna better health", "unitedhealthcare community plan", "blue cross",
    "blue shield", "florida blue", "capital blue", "independence blue cross",
    "premera blue cross", "anthem blue cross", "excellus", "emblemhealth",
    "health net", "wellcare", "ambetter", "amerigroup", "caresource", "molina",
    "sister mary joseph", "austin moore", "denis browne", "smith & nephew", "smith and nephew",
    "zimmer biomet", "boston scientific", "johnson & johnson", "johnson and johnson",
)

# Nouns that follow an eponym: "Denis Browne bar", "Austin Moore hemiarthroplasty". A context-free
# name match followed by one of them is a medical term, not a person.
EPONYM_NOUNS: frozenset[str] = frozenset(
    """
    syndrome syndromes disease nodule nodes node sign signs test tests maneuver manoeuvre procedure
    operation fracture fractures bar hemiarthroplasty arthroplasty prosthesis splint brace
    classification scale score criteria reflex cyst palsy tumor tumour sarcoma lymphoma ulcer
    neuroma canal duct gland ligament line triad phenomenon position technique repair block
    incision approach method stain spot spots murmur catheter tube needle forceps retractor clamp
    shunt valve stent nail plate screw frame graft flap operation's view views disease's
    anomaly deformity contracture lesion lesions body bodies cell cells membrane pouch tenotomy
    osteotomy bunionectomy fusion """.split()
)

# Single words that are names in the census lists but, in denial narratives,
# almost always mean something else. A token in this set is never part of a
# person's name.
STOP_WORDS: frozenset[str] = frozenset(
    """
    aetna humana cigna medicare medicaid tricare champva noridian novitas palmetto
    gba wps cgs ngs uhc bcbs unitedhealthcare united healthcare anthem elevance
    optum evicore carelon magellan availity waystar trizetto kareo athena athenahealth
    epic cerner centene wellcare amerigroup molina ambetter caresource highmark
    maximus rawlings zelis evolent cohere multiplan cotiviti gainwell kepro livanta
    wellmark regence premera geisinger kaiser permanente humana emblem
    fidelis horizon excellus independence paramount meridian buckeye sunshine
    superior simply peach ochsner intermountain allina avera
    essentia presbyterian lovelace tufts harvard pilgrim mutual omaha
    guardian metlife principal ameritas delta aflac triwest medi-cal medical
    medicaid medi cal blue cross shield health healthcare care plan plans insurance
    insurer payer payor advantage community solutions services service group
    clinic clinics hospital hospitals center centre centers system network
    partners associates physicians physician practice office lab labs laboratory
    labcorp quest radiology imaging surgery surgical ortho orthopedic orthopedics
    spine pain therapy rehab rehabilitation pharmacy specialty dental vision
    behavioral mental urgent emergency family pediatrics pediatric cardiology
    dermatology oncology neurology podiatry chiropractic federal state national
    government county city university college memorial regional general
    baylor ascension adventhealth parkland hackensack
    patient patients pt pts member members subscriber subscribers insured
    beneficiary guarantor spouse dependent provider providers doctor dr md do np pa
    rn lpn cna crna nurse practitioner therapist surgeon resident attending
    rendering referring ordering billing biller coder coding manager rep
    representative reviewer supervisor
    claim claims denied denial denials deny appeal appeals reconsideration
    reopening redetermination resubmitted resubmit corrected rebill billed
    paid pay payment allowed adjusted adjustment recoup recoupment refund
    modifier modifiers unit units visit visits day days code codes edit edits
    auth authorization precert referral eligibility coverage benefit benefits
    deductible coinsurance copay policy lcd ncd ncci mue ptp carc rarc era eob
    abn cob icd cpt hcpcs drg ndc npi tin ein pos tob rev remit remittance
    note notes order orders signature signed office visit letter records
    documentation attestation report portal form forms fax phone email
    dos dob mrn id account acct number level first second third final
    min mins max hr hrs sec ch chapter section loop segment version
    co pr oa pi cr tha tka thr tkr er icu or
    name names sr jr ii iii iv esq phd dds dpm dc od
    january february march july september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
    spring fall winter q1 q2 q3 q4
    knee hip shoulder elbow wrist ankle foot hand spine lumbar cervical thoracic
    achilles crohn parkinson alzheimer hashimoto raynaud dupuytren quervain
    lisfranc bankart wilms hodgkin kaposi bartholin tourette
    humira prolia xgeva evenity forteo botox dysport xeomin kenalog medrol
    depo-medrol toradol solu-medrol decadron celestone marcaine synvisc euflexxa
    orthovisc monovisc durolane supartz hyalgan gelsyn zilretta eylea lucentis
    avastin vabysmo beovu keytruda opdivo herceptin rituxan neulasta udenyca
    aranesp procrit epogen retacrit venofer injectafer feraheme xolair nucala
    fasenra tezspire ocrevus tysabri leqembi spravato vivitrol sublocade invega
    abilify risperdal haldol narcan rocephin bicillin gardasil shingrix prevnar
    fluzone flucelvax afluria arexvy abrysvo beyfortus synagis nexplanon mirena
    kyleena skyla paragard liletta tamiflu paxlovid lasix norco percocet vicodin
    tramadol gabapentin neurontin cymbalta celebrex mobic zofran phenergan
    benadryl ativan xanax valium versed propofol diprivan fentanyl demerol
    dilaudid morphine ozempic mounjaro wegovy zepbound trulicity victoza lantus
    humalog jardiance januvia xarelto eliquis dupixent stelara skyrizi rinvoq
    entyvio remicade inflectra renflexis orencia actemra simponi cimzia enbrel
    lyrica reclast boniva tymlos makena
    carefirst bluecross blueshield
    zimmer biomet stryker medtronic dexcom omnipod insulet tandem depuy synthes arthrex conmed
    hologic philips siemens olympus karl storz abbott freestyle libre tremfya taltz cosentyx
    alabama alaska arizona arkansas california colorado connecticut delaware
    hawaii idaho illinois iowa kansas kentucky louisiana
    maine massachusetts michigan minnesota mississippi missouri
    nebraska hampshire jersey mexico york ohio oklahoma
    oregon pennsylvania rhode island tennessee texas utah vermont
    wisconsin wyoming columbia puerto rico guam
    north south east west new san santa saint st ste fort ft port mount mt lake
    grand los las des del el
    """.split()
)

# Ambiguous words: places, months and plain words that are also names. Such a
# token is part of a name only next to an unambiguous name word ("Tyrone
# Washington", "April Johnson") or after a role word / honorific, and a stop
# word in this set may still be the surname half ("Kenneth Brooks").
SURNAME_OK: frozenset[str] = frozenset(
    """
    april may june august summer autumn virginia georgia carolina dakota florida
    montana nevada maryland indiana india sanford liberty oscar magnolia
    washington jackson georgia virginia carolina dakota florida austin dallas
    houston jordan lincoln jefferson madison monroe franklin clinton hamilton
    scott white baker morton bell jones graves addison cushing ewing barrett
    harvard mason ford hopkins grady ellis banner rush mercy young long north
    south east west may june april august price bill will mark grant rose chase
    drew hope faith joy summer dean frank rich guy sterling
    """.split()
)

# Words that, right after "First Last", make it an organisation
# ("Rocky Mountain Health Plans", "Henry Ford Hospital", "El Paso Health").
ORG_WORDS: frozenset[str] = frozenset(
    """
    health healthcare care plan plans clinic clinics hospital hospitals medical
    medicine center centre centers insurance assurance group associates partners
    solutions services systems system network alliance foundation university
    college institute company co inc llc corp corporation pllc pc pa physicians
    specialists orthopedics orthopaedics pediatrics cardiology radiology imaging
    surgery surgical rehab rehabilitation therapy pharmacy labs laboratory
    laboratories dental vision behavioral mutual benefit benefits administrators
    community regional memorial county hmo ppo advantage
    """.split()
)

# Words that introduce a person by role ("pt John Smith", "member: Maria Lopez").
ROLE_TRIGGERS: frozenset[str] = frozenset(
    """
    patient patients pt pts member mbr subscriber sub insured beneficiary bene
    guarantor policyholder holder spouse husband wife son daughter mother father
    dependent name named signed by
    """.split()
)

# Words after which a lone first name is a person spoken to or about ("spoke with Ngozi",
# "rep Tasha said"). They are also role triggers; the name after them must be a listed first name.
CONTACT_TRIGGERS: frozenset[str] = frozenset(
    "with rep representative agent called asked emailed texted told per from".split()
)
# Role words strong enough that one lower-case name word after them is a name ("pt jones").
STRONG_ROLES: frozenset[str] = frozenset("pt patient member subscriber insured guarantor".split())
# Verbs and words that start a note and are also first names: "Will resubmit", "Mark Hall as...".
NOTE_VERBS: frozenset[str] = frozenset("will mark bill grant hope chase drew sue pat ray don frank guy max rich art".split())
# Hyphenated words that look like a romanised given name ("Co-pay", "Pre-op", "Self-pay").
HYPHEN_WORDS: frozenset[str] = frozenset(
    """pay op ops auth ins eval bill do up in on off care cal par term pre post re co non self follow sub
    semi multi anti de un out mid over under day time code codes ray rays type age""".split()
)
PERSON_TRIGGERS: frozenset[str] = frozenset(
    "rep representative agent asked emailed texted told spoke talked speaking met".split()
)

# Honorifics: the next capitalised word is a name ("Mrs. Okafor", "Dr. Patel").
HONORIFICS: frozenset[str] = frozenset(
    "mr mrs ms miss mx dr doctor prof".split()
)

# US state names and USPS abbreviations (app/reference/states.py), for "City, ST 12345".
STATE_ABBR: tuple[str, ...] = tuple(STATE_NAMES_BY_CODE)
STATE_NAMES: dict[str, str] = {name.lower(): code for code, name in STATE_NAMES_BY_CODE.items()}

# First three ZIP digits per state (USPS), as inclusive ranges. Used to accept
# "Houston Texas 77030" / "Chicago IL 60601" without a comma while rejecting
# "97140 OR 97110" or "TX 99214" (a CPT code after a state abbreviation).
ZIP3_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "AL": ((350, 369),), "AK": ((995, 999),), "AZ": ((850, 865),),
    "AR": ((716, 729), (755, 755)), "CA": ((900, 961),), "CO": ((800, 816),),
    "CT": ((60, 69),), "DE": ((197, 199),), "DC": ((200, 205), (569, 569)),
    "FL": ((320, 349),), "GA": ((300, 319), (398, 399)), "HI": ((967, 968),),
    "ID": ((832, 838),), "IL": ((600, 629),), "IN": ((460, 479),), "IA": ((500, 528),),
    "KS": ((660, 679),), "KY": ((400, 427),), "LA": ((700, 714),), "ME": ((39, 49),),
    "MD": ((206, 219),), "MA": ((10, 27), (55, 55)), "MI": ((480, 499),),
    "MN": ((550, 567),), "MS": ((386, 397),), "MO": ((630, 658),), "MT": ((590, 599),),
    "NE": ((680, 693),), "NV": ((889, 898),), "NH": ((30, 38),), "NJ": ((70, 89),),
    "NM": ((870, 884),), "NY": ((5, 5), (63, 63), (100, 149)), "NC": ((270, 289),),
    "ND": ((580, 588),), "OH": ((430, 459),), "OK": ((730, 749),), "OR": ((970, 979),),
    "PA": ((150, 196),), "RI": ((28, 29),), "SC": ((290, 299),), "SD": ((570, 577),),
    "TN": ((370, 385),), "TX": ((733, 733), (750, 799), (885, 885)), "UT": ((840, 847),),
    "VT": ((50, 59),), "VA": ((201, 201), (220, 246)), "WA": ((980, 994),),
    "WV": ((247, 268),), "WI": ((530, 549),), "WY": ((820, 831),), "PR": ((6, 9),),
    "GU": ((969, 969),), "VI": ((8, 8),), "AS": ((967, 967),), "MP": ((969, 969),),
}

# Words that are never a street name part: "3 units in place of 2".
NOT_STREET_WORDS: frozenset[str] = frozenset(
    """
    unit units day days visit visits time times minute minutes hour hours week
    weeks month months year years dose doses vial vials mg ml cc session sessions
    muscle muscles group groups level levels claim claims code codes line lines
    modifier modifiers of in on at for with and or to from per the a an than
    denied paid billed was were is are be been x by as via per if but not no
    cpt icd dx pos rev box loop segment version edit edits mue ncci lcd page
    chapter section step tier type patient patients pt pts payer payers plan
    modifier units visit unit ndc npi hcpcs drg apc fee schedule rvu rvus
    aetna humana cigna medicare medicaid tricare uhc bcbs
    """.split()
)
