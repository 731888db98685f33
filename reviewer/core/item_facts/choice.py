"""Item facts of ``choice`` items: the question, its options and key, each system's answer."""

from __future__ import annotations

from reviewer.core.choice_codec import decode_choice
from reviewer.core.choice_keys import LETTERS, is_correct, key_letters, options_of
from reviewer.core.item_facts.common import NO_PREDICTION, item_facts, plain
from reviewer.core.item_facts.types import Field, ItemData, ItemFacts, Span, SystemFacts
from reviewer.core.kinds.choice import categorise


def key_text(key: str) -> str:
    """An answer key as shown: its letters, or that no option is right."""
    return " or ".join(key_letters(key)) or "none (no correct answer)"


def describe(data: ItemData) -> ItemFacts:
    """The subject, question, options and key, then each system's letter, right or wrong."""
    meta = dict(data.item.meta)
    options = options_of(meta)
    fields: list[Field] = []
    if subject := meta.get("subject"):
        fields.append(plain("subject", subject))
    if question := meta.get("question"):
        fields.append(plain("question", question))
    fields += [plain(letter, text) for letter, text in zip(LETTERS, options, strict=False)]
    corrected = data.decision.corrected_reference
    fields.append(plain("key", key_text(data.item.reference) + (
        f"  (corrected to {key_text(corrected)})" if corrected is not None else "")))
    key = data.reference
    systems = []
    for name in data.systems:
        answer = data.predictions.get(name)
        if answer is None:
            systems.append(SystemFacts(name, (Span(NO_PREDICTION),)))
            continue
        given = decode_choice(answer)
        letter = given.label
        right = is_correct(key, letter)
        category = None if right else categorise(key.strip(), letter)
        index = LETTERS.find(letter) if len(letter) == 1 else -1
        option = f" ({options[index]})" if 0 <= index < len(options) else ""
        shown = letter or "no answer"
        probability = "" if given.probs is None else f"  p {given.prob(letter) or 0:.2f}"
        systems.append(SystemFacts(name, (
            Span(shown, category),
            Span(f"{option}  {'right' if right else 'wrong'}{probability}"))))
    return item_facts(data, fields, systems)
