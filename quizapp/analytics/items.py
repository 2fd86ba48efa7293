"""Item analysis of a bank version's finished attempts: which questions work and which look broken.

Pure logic: no Flask, no database. The caller loads the finished attempts of one bank version
into :class:`AttemptResponses` and passes them with the version's questions.

Every statistic reads the data in a fixed number of linear passes, so a report over a million
answers costs seconds, not minutes: :func:`analyse` is O(R + A log A + Q) time and
O(A + Q × C) memory for R answers, A attempts, Q questions and C choices per question (the
A log A is the ranking for the upper–lower groups); :func:`weak_topics` is O(R × T) for T tags
per question.

Two definitions matter when attempts draw random subsets of the bank, so that no two attempts
need have the same questions or the same total:

* an item score is ``earned / possible`` for one answer (0 or 1, or between with partial
  credit), and an attempt's score is its percent of the points it drew, never raw points;
* KR-20 is taken over the attempts × items present (see :func:`analyse`).
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from quizapp.banks.format import MAX_CHOICES, Question

#: Facility at or above this: almost everyone gets it right (TOO_EASY).
TOO_EASY_FACILITY = 0.95
#: Facility at or below this: most workers get it wrong (TOO_HARD).
TOO_HARD_FACILITY = 0.30
#: A discrimination index in [0, this) barely separates strong from weak workers.
LOW_DISCRIMINATION_BELOW = 0.15
#: Below this many answers an item's statistics are unreliable (FEW_RESPONSES); from this many
#: on, a wrong choice that nobody picked is a finding rather than chance (UNUSED_DISTRACTOR).
MIN_RESPONSES = 20
#: A correlation over fewer pairs than this is noise, so it is not reported at all.
MIN_RESPONSES_FOR_DISCRIMINATION = 5
#: Kelley's 27%: the share of attempts in each of the upper and lower groups.
UPPER_LOWER_SHARE = Fraction(27, 100)
#: Each group must hold at least this many attempts that drew the item.
MIN_UPPER_LOWER_GROUP = 3

SCORE_BIN_LABELS = tuple(f"{low}–{low + 9}" for low in range(0, 90, 10)) + ("90–100",)
UNANSWERED = ""
TRUE_FALSE_LETTERS = ("T", "F")
LETTER_COLUMNS = tuple(string.ascii_uppercase[:MAX_CHOICES])
#: True/false shares get columns of their own: a column "F" would clash with choice F.
TRUE_FALSE_COLUMNS = {"true": "T", "false": "F"}
ITEM_TABLE_COLUMNS = (
    "question_id",
    "n",
    "facility",
    "discrimination",
    "upper_lower",
    "flags",
    *LETTER_COLUMNS,
    *TRUE_FALSE_COLUMNS,
)

# Sums of float item scores carry rounding noise in the last bits. A variance this small is
# zero, and a correlation or difference is rounded to this many places, so that noise never
# decides whether an item is flagged "check the key".
_ZERO_VARIANCE = 1e-12
_DECIMALS = 10
# A percent of 69.999999999999 is 70 that lost a bit in division; it belongs in the 70–79 bin.
_BIN_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class ItemResponse:
    """One drawn question in one attempt, as graded."""

    question_id: str
    #: Sorted choice letters, "T"/"F" for true/false, "" when unanswered.
    selected: str
    earned: float
    #: The question's points, at least 1.
    possible: int


@dataclass(frozen=True, slots=True)
class AttemptResponses:
    """A finished attempt: only the questions it drew, answered or not."""

    attempt_id: int
    responses: tuple[ItemResponse, ...]


class Flag(Enum):
    """Something about a question an officer should look at."""

    TOO_EASY = "too_easy"
    TOO_HARD = "too_hard"
    NEGATIVE_DISCRIMINATION = "negative_discrimination"
    LOW_DISCRIMINATION = "low_discrimination"
    UNUSED_DISTRACTOR = "unused_distractor"
    FEW_RESPONSES = "few_responses"


def N_(text: str) -> str:  # noqa: N802 — gettext's own name for it
    """Mark `text` for the translation catalogue without translating it (gettext_noop):
    this module knows no request or language; the pages translate (`pages.flag_sentence`)."""
    return text


#: Each flag's sentence, with %(name)s placeholders, and the values that fill them.
_DESCRIPTIONS: dict[Flag, tuple[str, dict[str, object]]] = {
    Flag.TOO_EASY: (
        N_(
            "Almost everyone gets this right (%(share)s or more), so it tells you little "
            "about who needs training."
        ),
        {"share": f"{TOO_EASY_FACILITY:.0%}"},
    ),
    Flag.TOO_HARD: (
        N_(
            "Most workers get this wrong (only %(share)s or fewer get it right): check the "
            "wording and the key, and whether the topic was taught."
        ),
        {"share": f"{TOO_HARD_FACILITY:.0%}"},
    ),
    Flag.NEGATIVE_DISCRIMINATION: (
        N_("Strong workers get this wrong more often than weak ones — check the key."),
        {},
    ),
    Flag.LOW_DISCRIMINATION: (
        N_("Strong and weak workers do about equally well on this, so it hardly tells them apart."),
        {},
    ),
    Flag.UNUSED_DISTRACTOR: (
        N_("A wrong choice nobody picks: replace it with a mistake workers really make."),
        {},
    ),
    Flag.FEW_RESPONSES: (
        N_("Fewer than %(count)d answers so far, so these statistics are unreliable."),
        {"count": MIN_RESPONSES},
    ),
}


def description(flag: Flag) -> tuple[str, dict[str, object]]:
    """The English sentence explaining `flag`, as a template, and the values it takes."""
    return _DESCRIPTIONS[flag]


def describe(flag: Flag) -> str:
    """The plain English sentence that explains `flag` to a safety officer."""
    template, values = description(flag)
    return template % values if values else template


@dataclass(frozen=True, slots=True)
class ItemStats:
    """How one question performed."""

    question_id: str
    #: Attempts that drew the question.
    n: int
    #: Mean share of the points earned, 0..1; None when no attempt drew it.
    facility: float | None
    #: Corrected item–rest correlation; None when undefined (see :func:`analyse`).
    discrimination_point_biserial: float | None
    #: Facility in the upper 27% minus the lower 27%; None when the groups are too small.
    discrimination_upper_lower: float | None
    #: Letter (or "T"/"F") → attempts that picked it; "" → attempts that left it unanswered.
    choice_counts: dict[str, int]
    #: The same as shares of n; empty when n == 0.
    choice_shares: dict[str, float]
    flags: tuple[Flag, ...]


@dataclass(frozen=True, slots=True)
class QuizAnalysis:
    """Item statistics and quiz-level figures for one bank version."""

    #: Attempts analysed (attempts with at least one drawn question).
    attempts: int
    mean_percent: float | None
    #: Attempts per 10-point band of percent score, labelled by SCORE_BIN_LABELS.
    score_distribution: tuple[int, ...]
    kr20: float | None
    #: True when some question was drawn by some attempts but not all (random subsets).
    random_subsets: bool
    #: One per question, in the order the questions were given.
    items: tuple[ItemStats, ...]


@dataclass(frozen=True, slots=True)
class TopicStat:
    """How a crew does on the questions carrying one tag."""

    tag: str
    #: Answers to questions with the tag.
    n: int
    #: Mean share of the points earned on those answers, 0..1.
    facility: float


@dataclass(frozen=True, slots=True)
class VersionAnalysis:
    """One bank version's item analysis, and per crew (by name, "" for none) its weakest tags."""

    analysis: QuizAnalysis
    topics: dict[str, list[TopicStat]]


class _ItemTally:
    """Running sums for one question, filled answer by answer."""

    __slots__ = (
        "counts",
        "n",
        "score_sum",
        "correct",
        "pairs",
        "mean_item",
        "mean_rest",
        "m2_item",
        "m2_rest",
        "co_moment",
        "upper_n",
        "upper_sum",
        "lower_n",
        "lower_sum",
    )

    def __init__(self, letters: Sequence[str]) -> None:
        self.counts = dict.fromkeys((*letters, UNANSWERED), 0)
        self.n = 0
        self.score_sum = 0.0
        self.correct = 0
        # Welford's updates rather than raw sums of squares: a constant column then gives a
        # variance of exactly zero, and a million answers lose no precision to cancellation.
        self.pairs = 0
        self.mean_item = 0.0
        self.mean_rest = 0.0
        self.m2_item = 0.0
        self.m2_rest = 0.0
        self.co_moment = 0.0
        self.upper_n = 0
        self.upper_sum = 0.0
        self.lower_n = 0
        self.lower_sum = 0.0

    def add(
        self, selected: str, score: float, full_marks: bool, rest: float | None, group: int
    ) -> None:
        """Count one answer: its choices, its score, its rest score and its rank group."""
        counts = self.counts
        if selected:
            for letter in selected:
                # A letter the question does not have (stale data) is no choice to report.
                if letter in counts:
                    counts[letter] += 1
        else:
            counts[UNANSWERED] += 1
        self.n += 1
        self.score_sum += score
        self.correct += full_marks
        if rest is not None:
            self.pairs += 1
            d_item = score - self.mean_item
            self.mean_item += d_item / self.pairs
            d_rest = rest - self.mean_rest
            self.mean_rest += d_rest / self.pairs
            self.m2_item += d_item * (score - self.mean_item)
            self.m2_rest += d_rest * (rest - self.mean_rest)
            self.co_moment += d_item * (rest - self.mean_rest)
        if group > 0:
            self.upper_n += 1
            self.upper_sum += score
        elif group < 0:
            self.lower_n += 1
            self.lower_sum += score


def analyse(questions: Sequence[Question], attempts: Sequence[AttemptResponses]) -> QuizAnalysis:
    """Item statistics, flags and quiz-level figures for one bank version's finished attempts.

    Item score: ``earned / possible`` of one answer; an unanswered question scores 0 and counts
    in n (the attempt drew it). Attempt score: percent of the points that attempt drew.

    Point-biserial: the Pearson correlation, over the attempts that drew the item, between the
    item score and the *rest* of the attempt — the attempt's other answers as a share of their
    possible points. The rest leaves the item out so that it is not correlated with itself
    (which inflates short quizzes), and is a share rather than raw points because with random
    subsets attempts draw different questions with different totals. For an all-or-nothing
    item this is the classical corrected point-biserial; with partial credit it is the same
    Pearson formula. None with fewer than MIN_RESPONSES_FOR_DISCRIMINATION attempts that drew
    the item alongside others, or when the item or the rest does not vary.

    Upper–lower: all attempts are ranked by percent (ties by attempt id, so the result is
    repeatable); the top and bottom 27% (rounded half up) form the groups; the index is the
    item's facility among upper-group attempts that drew it minus the same in the lower group.
    None when every attempt has the same percent (the ranking means nothing) or either group
    holds fewer than MIN_UPPER_LOWER_GROUP attempts that drew the item.

    KR-20: items are dichotomised (full marks = 1, anything less = 0) and each counts once,
    whatever its points, as the coefficient assumes. With X an attempt's number right out of
    the k questions it drew, p_i the share right on item i among the n_i attempts that drew it
    and q_i = 1 − p_i::

        KR-20 = k / (k − 1) × (1 − (Σ_i n_i p_i q_i / A) / Var(X))

    over the A attempts, variances taken over the population (divided by A, not A − 1). The
    middle term is the expected Σ p q of an attempt's own items, so when every attempt drew
    the same questions (n_i = A) this is exactly the textbook KR-20. With random subsets it
    treats the drawn forms as parallel; forms that differ in difficulty add variance to X, so
    it then reads a little high. None with fewer than 2 attempts, when attempts drew different
    numbers of questions (k is not one number), when k < 2, or when X does not vary. It may be
    negative: the items then do not measure one thing.

    Raises ValueError for an answer to a question not in `questions` (another bank version's
    attempts are mixed in) or with ``possible`` below 1.
    """
    tallies = {q.id: _ItemTally(_choice_letters(q)) for q in questions}

    # Pass 1: every attempt's totals, needed before any answer can be set against the rest of
    # its attempt or placed in a rank group.
    scored: list[tuple[AttemptResponses, float, int]] = []
    number_right: list[int] = []
    lengths: set[int] = set()
    for attempt in attempts:
        if not attempt.responses:
            continue
        earned = 0.0
        possible = 0
        right = 0
        for response in attempt.responses:
            if response.question_id not in tallies:
                raise ValueError(
                    f"attempt {attempt.attempt_id} answers question {response.question_id!r}, "
                    "which is not in this bank version"
                )
            if response.possible < 1:
                raise ValueError(
                    f"attempt {attempt.attempt_id}, question {response.question_id!r}: "
                    f"possible points must be at least 1, not {response.possible}"
                )
            earned += float(response.earned)
            possible += response.possible
            right += response.earned >= response.possible
        scored.append((attempt, earned, possible))
        number_right.append(right)
        lengths.add(len(attempt.responses))

    groups = _rank_groups(scored)

    # Pass 2: each answer once, into its question's tally.
    for index, (attempt, earned, possible) in enumerate(scored):
        group = groups[index]
        for response in attempt.responses:
            item_earned = float(response.earned)
            rest_possible = possible - response.possible
            rest = (earned - item_earned) / rest_possible if rest_possible else None
            tallies[response.question_id].add(
                response.selected,
                item_earned / response.possible,
                response.earned >= response.possible,
                rest,
                group,
            )

    count = len(scored)
    percents = [earned * 100 / possible for _, earned, possible in scored]
    items = tuple(_item_stats(q, tallies[q.id]) for q in questions)
    return QuizAnalysis(
        attempts=count,
        mean_percent=math.fsum(percents) / count if count else None,
        score_distribution=_score_distribution(percents),
        kr20=_kr20(tallies.values(), number_right, lengths),
        random_subsets=any(0 < tally.n < count for tally in tallies.values()),
        items=items,
    )


def _choice_letters(question: Question) -> tuple[str, ...]:
    """The letters an answer to `question` can hold."""
    if question.type == "true_false":
        return TRUE_FALSE_LETTERS
    return tuple(letter for letter, _ in question.choices)


def _rank_groups(scored: Sequence[tuple[AttemptResponses, float, int]]) -> list[int]:
    """Per attempt: 1 in the upper 27% by percent, -1 in the lower 27%, 0 otherwise."""
    groups = [0] * len(scored)
    size = math.floor(UPPER_LOWER_SHARE * len(scored) + Fraction(1, 2))
    ratios = [earned / possible for _, earned, possible in scored]
    if size == 0 or max(ratios) - min(ratios) < _ZERO_VARIANCE:
        return groups
    order = sorted(range(len(scored)), key=lambda i: (ratios[i], scored[i][0].attempt_id))
    for i in order[:size]:
        groups[i] = -1
    for i in order[-size:]:
        groups[i] = 1
    return groups


def _item_stats(question: Question, tally: _ItemTally) -> ItemStats:
    """Turn one question's running sums into its statistics and flags."""
    n = tally.n
    facility = tally.score_sum / n if n else None

    point_biserial = None
    if (
        tally.pairs >= MIN_RESPONSES_FOR_DISCRIMINATION
        and tally.m2_item / tally.pairs > _ZERO_VARIANCE
        and tally.m2_rest / tally.pairs > _ZERO_VARIANCE
    ):
        r = tally.co_moment / math.sqrt(tally.m2_item * tally.m2_rest)
        point_biserial = _settle(r)

    upper_lower = None
    if tally.upper_n >= MIN_UPPER_LOWER_GROUP and tally.lower_n >= MIN_UPPER_LOWER_GROUP:
        upper_lower = _settle(tally.upper_sum / tally.upper_n - tally.lower_sum / tally.lower_n)

    counts = dict(tally.counts)
    shares = {letter: picked / n for letter, picked in counts.items()} if n else {}
    return ItemStats(
        question_id=question.id,
        n=n,
        facility=facility,
        discrimination_point_biserial=point_biserial,
        discrimination_upper_lower=upper_lower,
        choice_counts=counts,
        choice_shares=shares,
        flags=_flags(question, n, facility, point_biserial, upper_lower, counts),
    )


def _settle(value: float) -> float:
    """Round away float noise, and make -0.0 plain 0.0."""
    return round(value, _DECIMALS) + 0.0


def _flags(
    question: Question,
    n: int,
    facility: float | None,
    point_biserial: float | None,
    upper_lower: float | None,
    counts: Mapping[str, int],
) -> tuple[Flag, ...]:
    """The flags one question earns, in the order of the Flag enum."""
    raised = set()
    if facility is not None and facility >= TOO_EASY_FACILITY:
        raised.add(Flag.TOO_EASY)
    if facility is not None and facility <= TOO_HARD_FACILITY:
        raised.add(Flag.TOO_HARD)
    indices = [d for d in (point_biserial, upper_lower) if d is not None]
    if any(d < 0 for d in indices):
        raised.add(Flag.NEGATIVE_DISCRIMINATION)
    elif indices and indices[0] < LOW_DISCRIMINATION_BELOW:
        # The correlation when there is one; the upper–lower index only stands in for it
        # (e.g. a question everyone got right has no correlation, and an index of 0).
        raised.add(Flag.LOW_DISCRIMINATION)
    if n >= MIN_RESPONSES:
        wrong = [letter for letter in _choice_letters(question) if letter not in question.answer]
        if any(counts[letter] == 0 for letter in wrong):
            raised.add(Flag.UNUSED_DISTRACTOR)
    else:
        raised.add(Flag.FEW_RESPONSES)
    return tuple(flag for flag in Flag if flag in raised)


def _score_distribution(percents: Sequence[float]) -> tuple[int, ...]:
    """Attempts per band 0–9, 10–19, …, 80–89, 90–100 (a perfect score is in the last)."""
    bins = [0] * len(SCORE_BIN_LABELS)
    last = len(bins) - 1
    for percent in percents:
        bins[min(max(math.floor(percent / 10 + _BIN_EPSILON), 0), last)] += 1
    return tuple(bins)


def _kr20(
    tallies: Iterable[_ItemTally], number_right: Sequence[int], lengths: set[int]
) -> float | None:
    """KR-20 as defined in :func:`analyse`, computed exactly from whole-number counts."""
    count = len(number_right)
    if count < 2 or len(lengths) != 1:
        return None
    (k,) = lengths
    if k < 2:
        return None
    total = sum(number_right)
    variance = Fraction(count * sum(x * x for x in number_right) - total * total, count * count)
    if variance == 0:
        return None
    item_variance = sum(
        (Fraction(t.correct * (t.n - t.correct), t.n) for t in tallies if t.n), Fraction(0)
    )
    return float(Fraction(k, k - 1) * (1 - item_variance / count / variance))


def weak_topics(
    questions: Sequence[Question], attempts_by_crew: Mapping[str, Sequence[AttemptResponses]]
) -> dict[str, list[TopicStat]]:
    """Per crew, per tag: facility over the answers to questions carrying that tag, weakest first.

    Facility here is the mean item score (``earned / possible``) over every answer the crew
    gave to a tagged question, so a question drawn more often weighs more, as it did in the
    crew's training. Tags the crew never met are left out; a crew with no attempts gets an
    empty list. Ties are ordered by tag. O(R × T) for R answers and T tags per question.

    Raises ValueError for an answer to a question not in `questions`.
    """
    # dict.fromkeys drops a tag written twice on one question, which would count it twice.
    tags_by_id = {q.id: tuple(dict.fromkeys(q.tags)) for q in questions}
    result: dict[str, list[TopicStat]] = {}
    for crew, attempts in attempts_by_crew.items():
        answers: dict[str, int] = {}
        score_sums: dict[str, float] = {}
        for attempt in attempts:
            for response in attempt.responses:
                tags = tags_by_id.get(response.question_id)
                if tags is None:
                    raise ValueError(
                        f"attempt {attempt.attempt_id} answers question "
                        f"{response.question_id!r}, which is not in this bank version"
                    )
                score = float(response.earned) / response.possible
                for tag in tags:
                    answers[tag] = answers.get(tag, 0) + 1
                    score_sums[tag] = score_sums.get(tag, 0.0) + score
        stats = [TopicStat(tag, n, score_sums[tag] / n) for tag, n in answers.items()]
        stats.sort(key=lambda stat: (stat.facility, stat.tag))
        result[crew] = stats
    return result


def item_table_rows(analysis: QuizAnalysis, questions: Sequence[Question]) -> list[dict]:
    """Rows for csv.DictWriter with ITEM_TABLE_COLUMNS, one per question in `questions` order.

    Numbers are rounded to 3 decimals; a statistic that is undefined, and a choice column the
    question does not have, is an empty cell. Flags are their values joined by ";". A choice
    column holds the share of attempts that picked the letter (for multiple-answer questions
    the shares add up to more than 1); a true/false question fills "true" and "false"
    instead of A–H.
    """
    stats_by_id = {stats.question_id: stats for stats in analysis.items}
    rows = []
    for question in questions:
        stats = stats_by_id[question.id]
        row: dict[str, object] = {
            "question_id": question.id,
            "n": stats.n,
            "facility": _cell(stats.facility),
            "discrimination": _cell(stats.discrimination_point_biserial),
            "upper_lower": _cell(stats.discrimination_upper_lower),
            "flags": ";".join(flag.value for flag in stats.flags),
        }
        true_false = question.type == "true_false"
        for column in LETTER_COLUMNS:
            row[column] = "" if true_false else _cell(stats.choice_shares.get(column))
        for column, letter in TRUE_FALSE_COLUMNS.items():
            row[column] = _cell(stats.choice_shares.get(letter)) if true_false else ""
        rows.append(row)
    return rows


def _cell(value: float | None) -> float | str:
    """A CSV cell: the value to 3 decimals, or empty when there is none."""
    return "" if value is None else round(value, 3) + 0.0
