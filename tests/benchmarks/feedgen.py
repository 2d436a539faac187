"""Deterministic arXiv-style RSS 2.0 feeds for the benchmarks.

Each item has the shape of a real ``rss.arxiv.org`` item (see
``arxiv-rss2-quant-ph-2025-04-28.xml`` in the shared feed samples): a guid
``oai:arXiv.org:IDvN``, a description starting ``arXiv:IDvN Announce Type: T``,
repeated ``<category>`` (primary first), ``arxiv:announce_type``,
``dc:rights``, one comma-joined ``dc:creator`` in which a few authors carry a
parenthesised affiliation with commas inside, and now and then ``arxiv:DOI``
and ``arxiv:journal_reference``. Sizes follow real feeds: titles of 6-14
words, abstracts of 120-220 words (some with TeX math), 1-8 authors, 1-3
categories, and all four announce types in arXiv's proportions.

A library is a list of ``FeedPlan``: feed ``k`` is the announcement of one
business day (``k`` days before ``end``), so every feed has its own papers and
``feeds x items`` papers are all distinct. Ids are unique by construction:
new and cross-listed papers take ids of the day's month numbered below 50000,
replacements take ids of the same month a year earlier numbered from 50000.
The same arguments always give the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from xml.sax.saxutils import escape

CATEGORIES = (
    "cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "quant-ph", "cs.RO", "math.OC",
    "eess.SP", "cs.IR", "cond-mat.stat-mech", "physics.optics", "q-bio.NC", "hep-th",
)  # fmt: skip
# arXiv's mix, as counted in the quant-ph sample: 40 new, 10 cross, 22 replace, 9 replace-cross
ANNOUNCE_WEIGHTS = (("new", 40), ("cross", 10), ("replace", 22), ("replace-cross", 9))
REPLACE_BASE = 50_000  # replacement ids are numbered from here, new ids below it
LICENSES = (
    "http://creativecommons.org/licenses/by/4.0/",
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    "http://creativecommons.org/licenses/by-nc-sa/4.0/",
)
DEFAULT_END = date(2025, 4, 28)

_FUNCTION_WORDS = """
the a an of in on for with to and by from that this we our which is are be can as
these using based via under over between into across while both each such its their
also than more most only not well high low small many two three first second finally
""".split()
_CONTENT_WORDS = """
quantum learning neural network model models data method methods results approach
deep graph graphs training optimization algorithm algorithms performance framework
representation representations state states system systems analysis problem problems
language large transformer attention diffusion generative reinforcement policy agent
agents reward robust robustness efficient efficiency scalable inference estimation
bayesian stochastic gradient descent convergence theoretical empirical experiments
benchmark benchmarks dataset datasets accuracy task tasks tuning fine pretrained
supervised unsupervised contrastive embedding embeddings latent space spaces kernel
entanglement qubit qubits circuit circuits hamiltonian spin lattice phase transition
thermal field fields energy dynamics dynamical equation equations nonlinear linear
matrix matrices tensor operator operators spectral eigenvalue measurement noise noisy
error errors correction fidelity gate gates photonic optical laser cavity coupling
signal signals channel channels wireless estimation detection radar imaging image
images vision segmentation object detection video temporal spatial sequence sequences
speech text retrieval question answering reasoning knowledge semantic token tokens
prompt prompting alignment safety privacy federated distributed parallel memory
compute hardware sparse sparsity pruning quantization compression distillation
uncertainty calibration causal causality counterfactual fairness bias evaluation
metric metrics simulation simulations numerical analytical exact approximate bound
bounds lower upper optimal regret complexity polynomial exponential logarithmic
theorem proof prove show demonstrate propose introduce present study investigate
novel new simple general specific unified principled practical effective significant
improvement improvements outperforms state-of-the-art baseline baselines compared
existing previous recent prior work works paper framework architecture architectures
layer layers convolutional recurrent graph-based physics-informed multi-agent
multimodal cross-modal zero-shot few-shot self-supervised out-of-distribution
generalization transfer adaptation domain domains shift robust adversarial attack
attacks defense certified verification planning control controller robot robotic
manipulation navigation locomotion trajectory trajectories environment environments
protein molecular molecule drug genomic cell cells brain neurons neuronal cortical
climate weather forecasting time series anomaly clustering classification regression
ranking recommendation user users graph neural message passing node nodes edge edges
""".split()
_FIRST_NAMES = """
Wei Yuki Maria Ahmed Sofia Lukas Priya Chen Olga Diego Fatima Jonas Mei Ravi Elena
Tomasz Aisha Kenji Laura Pablo Ingrid Arjun Hana Mateo Zhang Nadia Felix Chiara
Sergei Amara Hiroshi Lena Omar Grace Ivan Lucia Minh Sara Karim Julia Tariq Anna
""".split()
_SURNAMES = """
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Smith Johnson Garcia Martinez Kim
Park Nguyen Tanaka Suzuki Sato Rossi Russo Ferrari Muller Schmidt Schneider Fischer
Kowalski Nowak Ivanov Petrov Kumar Singh Sharma Patel Haddad Khan Silva Santos
Okafor Mensah Andersson Nielsen Dubois Moreau Lefebvre Novak Horvat Yilmaz Cohen
""".split()
_ACCENTED_SURNAMES = (r"M\"uller", r"G\"unther", r"Sch\"on", r"Cram\'er", r"Jos\'e", r"Garc\'ia")
_AFFILIATIONS = (
    "Department of Physics, University of Somewhere, Somewhere City, Country",
    "Institute for Machine Learning, Example University, Example Town",
    "Centre for Quantum Technologies, National University, Singapore",
    "School of Computer Science, Tech Institute, Cambridge, MA, USA",
    "Max Planck Institute for Examples, Garching, Germany",
)
_MATH = (
    r"$\mathcal{O}(n \log n)$", r"$O(\sqrt{T})$", r"$\epsilon$-optimal", r"$L^2(\mathbb{R})$",
    r"$\alpha = 0.5$", r"$10^{-3}$", r"$\ell_1$", r"\(T_w\)", r"$d \geq 3$", r"$\tilde{O}(d^2)$",
)  # fmt: skip
# function words first: with Zipf-like weights they are the most frequent
_WORDS = _FUNCTION_WORDS + _CONTENT_WORDS
_CUMULATIVE = list(accumulate(1.0 / (rank + 8) for rank in range(len(_WORDS))))
_TYPES = tuple(name for name, _ in ANNOUNCE_WEIGHTS)
_TYPE_CUMULATIVE = list(accumulate(weight for _, weight in ANNOUNCE_WEIGHTS))


@dataclass(frozen=True, slots=True)
class FeedPlan:
    """One feed of a generated library."""

    index: int
    category: str
    day: date
    slot: int  # how many feeds of the same month come before this one

    @property
    def path(self) -> str:
        """The URL path the benchmarks serve it at."""
        return f"/rss/{self.category}/{self.day.isoformat()}"

    @property
    def month_code(self) -> str:
        return f"{self.day.year % 100:02d}{self.day.month:02d}"


def business_days(end: date, count: int) -> list[date]:
    """``count`` weekdays going back from ``end`` (included when a weekday)."""
    days: list[date] = []
    day = end
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


def library_plan(feeds: int, items: int, end: date = DEFAULT_END) -> list[FeedPlan]:
    """Feed ``k`` announces the ``k``-th business day before ``end``.

    Raises ValueError when one month's feeds would need more ids than the
    numbering leaves room for (about 23 feeds x 2170 items)."""
    plans: list[FeedPlan] = []
    per_month: dict[tuple[int, int], int] = {}
    for index, day in enumerate(business_days(end, feeds)):
        slot = per_month.get((day.year, day.month), 0)
        per_month[(day.year, day.month)] = slot + 1
        if (slot + 1) * items >= REPLACE_BASE:
            raise ValueError(f"{items} items x {slot + 1} feeds in one month exceed the id space")
        plans.append(FeedPlan(index, CATEGORIES[index % len(CATEGORIES)], day, slot))
    return plans


def _words(rng: random.Random, count: int) -> list[str]:
    return rng.choices(_WORDS, cum_weights=_CUMULATIVE, k=count)


def _title(rng: random.Random) -> str:
    words = _words(rng, rng.randint(6, 14))
    if rng.random() < 0.3:
        name = "".join(rng.choice(_CONTENT_WORDS).capitalize() for _ in range(2)).replace("-", "")
        words = [name + ":", *words[1:]]
    if rng.random() < 0.1:
        words[rng.randrange(1, len(words))] = rng.choice(_MATH)
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(word[:1].upper() + word[1:] if len(word) > 3 else word for word in words)


def _sentence_lengths(rng: random.Random, total: int) -> list[int]:
    lengths = []
    while total > 0:
        length = min(total, rng.randint(12, 30))
        if total - length < 6:
            length = total
        lengths.append(length)
        total -= length
    return lengths


def _abstract(rng: random.Random) -> str:
    """120-220 words, a TeX span counting as one word."""
    total = rng.randint(120, 220)
    code = rng.random() < 0.05
    sentences = []
    for length in _sentence_lengths(rng, total - 5 if code else total):
        words = _words(rng, length)
        if rng.random() < 0.15:
            words[rng.randrange(length)] = rng.choice(_MATH)
        if rng.random() < 0.04:
            words[-2:] = ["by", f"{rng.randint(2, 40)}%"]
        sentences.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
    if code:
        sentences.append(f"Code is available at https://github.com/example/{rng.choice(_CONTENT_WORDS)}.")
    return " ".join(sentences)


def _author(rng: random.Random) -> str:
    first = rng.choice(_FIRST_NAMES)
    if rng.random() < 0.2:
        first = f"{first[0]}."
    surname = rng.choice(_ACCENTED_SURNAMES) if rng.random() < 0.03 else rng.choice(_SURNAMES)
    name = f"{first} {surname}"
    if rng.random() < 0.08:
        name += f" ({rng.choice(_AFFILIATIONS)})"
    return name


def _categories(rng: random.Random, primary: str) -> list[str]:
    others = [category for category in CATEGORIES if category != primary]
    return [primary, *rng.sample(others, rng.randint(0, 2))]


def _announce_type(rng: random.Random) -> str:
    return rng.choices(_TYPES, cum_weights=_TYPE_CUMULATIVE)[0]


def _item(plan: FeedPlan, items: int, position: int, rng: random.Random) -> str:
    kind = _announce_type(rng)
    number = plan.slot * items + position + 1
    month = plan.month_code
    version = 1
    if kind.startswith("replace"):
        number += REPLACE_BASE
        month = f"{(plan.day.year - 1) % 100:02d}{plan.day.month:02d}"
        version = rng.randint(2, 4)
    arxiv_id = f"{month}.{number:05d}"
    categories = _categories(rng, plan.category)
    if kind.endswith("cross"):
        categories.append(categories.pop(0))  # listed here, primary elsewhere
    pub_date = f"{plan.day.strftime('%a, %d %b %Y')} 00:00:00 -0400"
    creator = ", ".join(_author(rng) for _ in range(rng.randint(1, 8)))
    extra = ""
    if kind.startswith("replace") and rng.random() < 0.3:
        extra += f"\n      <arxiv:DOI>10.1103/PhysRev{rng.choice('ABDE')}.{rng.randint(100, 130)}.{rng.randint(10000, 99999)}</arxiv:DOI>"
    if kind.startswith("replace") and rng.random() < 0.15:
        extra += f"\n      <arxiv:journal_reference>Phys. Rev. {rng.choice('ABDE')} {rng.randint(100, 130)}, {rng.randint(1000, 9999)} ({plan.day.year})</arxiv:journal_reference>"
    category_lines = "".join(f"\n      <category>{escape(category)}</category>" for category in categories)
    description = f"arXiv:{arxiv_id}v{version} Announce Type: {kind} \nAbstract: {_abstract(rng)}"
    return (
        "    <item>\n"
        f"      <title>{escape(_title(rng))}</title>\n"
        f"      <link>https://arxiv.org/abs/{arxiv_id}</link>\n"
        f"      <description>{escape(description)}</description>\n"
        f'      <guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v{version}</guid>'
        f"{category_lines}\n"
        f"      <pubDate>{pub_date}</pubDate>\n"
        f"      <arxiv:announce_type>{kind}</arxiv:announce_type>\n"
        f"      <dc:rights>{rng.choice(LICENSES)}</dc:rights>{extra}\n"
        f"      <dc:creator>{escape(creator)}</dc:creator>\n"
        "    </item>\n"
    )


def generate_feed(plan: FeedPlan, items: int, seed: int = 0) -> bytes:
    """The RSS 2.0 document of ``plan`` with ``items`` items."""
    rng = random.Random(f"{seed}:{plan.index}:{plan.category}:{plan.day.isoformat()}")
    url = f"http://rss.arxiv.org/rss/{plan.category}"
    day = plan.day.strftime("%a, %d %b %Y")
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'version="2.0">\n'
        "  <channel>\n"
        f"    <title>{plan.category} updates on arXiv.org</title>\n"
        f"    <link>{url}</link>\n"
        f"    <description>{plan.category} updates on the arXiv.org e-print archive.</description>\n"
        f'    <atom:link href="{url}" rel="self" type="application/rss+xml"/>\n'
        "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
        "    <language>en-us</language>\n"
        f"    <lastBuildDate>{day} 04:00:00 +0000</lastBuildDate>\n"
        "    <managingEditor>rss-help@arxiv.org</managingEditor>\n"
        f"    <pubDate>{day} 00:00:00 -0400</pubDate>\n"
        "    <skipDays>\n      <day>Saturday</day>\n      <day>Sunday</day>\n    </skipDays>\n"
    )
    body = "".join(_item(plan, items, position, rng) for position in range(items))
    return (head + body + "  </channel>\n</rss>\n").encode("utf-8")
