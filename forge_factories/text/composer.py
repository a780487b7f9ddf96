"""English sentence composers, one per kind of field (bio, review, support message, ...).

Each composer returns a list of sentences built from the phrase tables by drawing only from
the scene's ``rng``; :func:`extra_sentence` supplies more sentences of the same kind when a
``min_length`` asks for longer text. The composers live in :mod:`.compose_people` and
:mod:`.compose_things`; tight-``max_length`` forms in :mod:`.compact`.
"""

from __future__ import annotations

from collections.abc import Callable

from forge_factories.text.compact import compact
from forge_factories.text.compose_people import (
    _bio,
    _bio_extra,
    _message,
    _message_extra,
    _reply,
    _reply_extra,
    _review,
    _review_extra,
    after_greeting,
)
from forge_factories.text.compose_things import (
    _address,
    _city,
    _company_description,
    _company_extra,
    _event_description,
    _event_extra,
    _generic,
    _generic_extra,
    _headline,
    _note,
    _note_extra,
    _product_description,
    _product_extra,
    _profession,
    _reason,
    _reason_extra,
    _slogan,
    _street_only,
    _summary,
    _title,
)
from forge_factories.text.scene import Scene, article, between, cap, choose, two, uncap

__all__ = [
    "COMPOSERS", "SHORT_KINDS", "Scene", "after_greeting", "article", "between", "cap", "choose", "compact",
    "compose", "extra_sentence", "two", "uncap",
]


Composer = Callable[[Scene], list[str]]
Extra = Callable[[Scene], str]

#: kind -> (first draft, one more sentence of the same kind)
COMPOSERS: dict[str, tuple[Composer, Extra]] = {
    "bio": (_bio, _bio_extra),
    "review": (_review, _review_extra),
    "message": (_message, _message_extra),
    "reply": (_reply, _reply_extra),
    "product_description": (_product_description, _product_extra),
    "company_description": (_company_description, _company_extra),
    "event_description": (_event_description, _event_extra),
    "title": (_title, _generic_extra),
    "headline": (_headline, _generic_extra),
    "summary": (_summary, _generic_extra),
    "slogan": (_slogan, _generic_extra),
    "note": (_note, _note_extra),
    "reason": (_reason, _reason_extra),
    "address": (_address, _note_extra),
    "street": (_street_only, _note_extra),
    "city": (_city, _note_extra),
    "profession": (_profession, _generic_extra),
    "generic": (_generic, _generic_extra),
}

#: Kinds whose text is a short phrase rather than sentences.
SHORT_KINDS: frozenset[str] = frozenset(("title", "headline", "slogan", "address", "street", "city", "profession"))


def compose(s: Scene) -> list[str]:
    """The first draft for the scene's kind (a list of sentences)."""
    return COMPOSERS.get(s.profile.kind, COMPOSERS["generic"])[0](s)


def extra_sentence(s: Scene) -> str:
    """One more sentence of the scene's kind (for ``min_length``)."""
    return COMPOSERS.get(s.profile.kind, COMPOSERS["generic"])[1](s)
