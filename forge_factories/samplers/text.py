"""Column samplers of Faker's lorem provider: words, sentences, paragraphs and ``text``.

They follow Faker's algorithm and distributions (a sentence has ``nb_words`` +/-40% words,
the first title-cased, a paragraph ``nb_sentences`` +/-40% sentences; ``text`` joins words,
sentences or paragraphs while they stay under ``max_nb_chars`` and drops the one that
would not fit), drawn column-wise: the structure (how many sentences, how many words) and
the word indices of the whole column come first as flat runs of numbers, lengths are summed
from them, rows are cut where Faker would cut them, and only the words that are kept are
joined into text.
"""

from __future__ import annotations

import operator
import random
from collections import deque
from collections.abc import Sequence
from itertools import accumulate, chain, repeat, starmap
from typing import Any

from forge_factories.samplers.tables import Sampler, uniform_ints
from forge_factories.samplers.templates import SamplerBase


def nb_table(number: int, minimum: int = 1) -> list[int]:
    """Faker's ``randomize_nb_elements(number, min=minimum)`` for each ``randint(60, 140)`` draw."""
    return [max(minimum, int(number * percent / 100)) for percent in range(60, 141)]


class Lorem:
    """One locale's word list, separators and the column forms built on them."""

    def __init__(self, words: Sequence[str], connector: str = " ", punctuation: str = ".") -> None:
        if not words:
            raise TypeError("no word list")
        self.words = list(words)
        self.titled = [w.title() for w in self.words]
        self.conn = connector
        self.punct = punctuation
        self.lens = [len(w) for w in self.words]

    def indices(self, n: int, rng: random.Random) -> Sequence[int]:
        """``n`` uniform word indices."""
        return uniform_ints(rng, n, len(self.words))

    def counts(self, n: int, rng: random.Random, number: int, variable: bool) -> list[int]:
        """``n`` draws of ``randomize_nb_elements(number, min=1)`` (``number`` each when not variable)."""
        if not variable:
            return [number] * n
        return list(map(nb_table(number).__getitem__, uniform_ints(rng, n, 81)))

    # -- sentences
    def sentences_at(self, idx: Sequence[int], starts: Sequence[int], ends: Sequence[int]) -> list[str]:
        """The sentences whose words are ``idx[start:end]``: first word title-cased, punctuated."""
        words = list(map(self.words.__getitem__, idx))
        firsts = map(self.titled.__getitem__, map(idx.__getitem__, starts))
        deque(map(words.__setitem__, starts, firsts), maxlen=0)
        bodies = map(self.conn.join, map(words.__getitem__, map(slice, starts, ends)))
        return list(map(operator.add, bodies, repeat(self.punct)))

    def sentences(self, n: int, rng: random.Random, nb_words: int = 6, variable: bool = True) -> list[str]:
        """``n`` values of ``sentence(nb_words, variable_nb_words)``."""
        if nb_words <= 0:
            return [""] * n
        counts = self.counts(n, rng, nb_words, variable)
        bounds = list(accumulate(counts, initial=0))
        return self.sentences_at(self.indices(bounds[-1], rng), bounds[:-1], bounds[1:])

    def paragraphs(self, n: int, rng: random.Random, nb_sentences: int = 3, variable: bool = True) -> list[str]:
        """``n`` values of ``paragraph(nb_sentences, variable_nb_sentences)``."""
        if nb_sentences <= 0:
            return [""] * n
        per = self.counts(n, rng, nb_sentences, variable)
        sentences = self.sentences(sum(per), rng)
        bounds = list(accumulate(per, initial=0))
        return list(map(self.conn.join, map(sentences.__getitem__, map(slice, bounds, bounds[1:]))))

    # -- text
    def text(self, n: int, rng: random.Random, max_nb_chars: int = 200) -> list[str]:
        """``n`` values of ``text(max_nb_chars)``."""
        if max_nb_chars < 5:
            raise ValueError("text() can only generate text of at least 5 characters")
        if max_nb_chars < 25:
            return self._short_text(n, rng, max_nb_chars)
        return self._long_text(n, rng, max_nb_chars, paragraphs=max_nb_chars >= 100)

    def _short_text(self, n: int, rng: random.Random, limit: int) -> list[str]:
        """Words joined while under ``limit``; the first capitalised, punctuation at the end."""
        out: list[str] = []
        while len(out) < n:
            idx = self.indices((n - len(out)) * (limit // 3 + 2) + 8, rng)
            lengths = list(map(self.lens.__getitem__, idx))
            cuts = pack(lengths, len(self.conn), limit, n - len(out))
            words = list(map(self.words.__getitem__, idx))
            texts = map(self.conn.join, map(words.__getitem__, map(slice, *zip(*cuts, strict=True))))
            out.extend(t[:1].upper() + t[1:] + self.punct for t in texts)
        return out

    def _join(self, pool: list[str], picks: Sequence[int], bounds: list[int], cuts: list[tuple[int, int]],
              paragraphs: bool) -> list[str]:
        """The rows' text: each kept sentence with what follows it (the connector, a line break
        after a paragraph's last sentence, nothing after the row's last), one join per row.

        ``bounds[u]`` is the first sentence of unit ``u``; a row's units ``[a, b)`` are
        contiguous, so are its sentences ``[bounds[a], bounds[b])``.
        """
        size = len(pool)
        firsts = list(map(bounds.__getitem__, map(operator.itemgetter(0), cuts)))
        stops = list(map(bounds.__getitem__, map(operator.itemgetter(1), cuts)))
        kept = list(chain.from_iterable(map(range, firsts, stops)))
        follow = [size] * len(kept)  # the connector after a sentence
        if paragraphs:  # a line break after the last sentence of each kept paragraph
            units = chain.from_iterable(starmap(range, cuts))
            lasts = accumulate(map(per_unit(bounds).__getitem__, units), initial=-1)
            next(lasts)
            deque(map(follow.__setitem__, lasts, repeat(2 * size)), maxlen=0)
        ends = list(accumulate(map(operator.sub, stops, firsts), initial=0))
        deque(map(follow.__setitem__, map((-1).__add__, ends[1:]), repeat(0)), maxlen=0)  # nothing after the last
        tokens = self._tokens(pool)
        words = list(map(tokens.__getitem__, map(operator.add, map(picks.__getitem__, kept), follow)))
        return list(map("".join, map(words.__getitem__, map(slice, ends, ends[1:]))))

    def _tokens(self, pool: list[str]) -> list[str]:
        """``pool`` as it ends a row, then followed by the connector, then by a line break."""
        return [*pool, *map(operator.add, pool, repeat(self.conn)), *map(operator.add, pool, repeat("\n"))]

    def _long_text(self, n: int, rng: random.Random, limit: int, *, paragraphs: bool) -> list[str]:
        """Sentences (``paragraphs=False``) or paragraphs joined while under ``limit``.

        Texts of 200 characters or more take their sentences from a pool drawn for the column
        (a power of two, a sixteenth to an eighth of the sentences the column needs, at most
        8,192), each picked uniformly: every sentence follows Faker's distribution, but a
        sentence recurs across rows, 8 to 16 times per column (rows hold several sentences, so
        whole texts practically never repeat). Shorter texts, where a row is often one or two sentences,
        draw every sentence afresh.
        """
        conn = len(self.conn)
        unit = (sum(self.lens) / len(self.lens) + conn) * 5.5 + len(self.punct)  # a sentence: 5.5 words
        pooled = paragraphs and limit >= 200
        if paragraphs:
            unit = unit * 2.5 + conn  # a paragraph: 2.5 sentences
        if pooled:
            needed = n * (limit / unit + 1.1) * 2.5
            pool = self.sentences(1 << max(8, min(13, int(needed / 16).bit_length())), rng)
            pool_lens = list(map((conn).__add__, map(len, pool)))  # a sentence and the connector after it
        out: list[str] = []
        rate = limit / unit + 1.1  # units per row: the kept ones, the dropped one, a little slack
        while len(out) < n:
            want = n - len(out)
            units = int(want * rate) + 16
            per = self.counts(units, rng, 3, True) if paragraphs else [1] * units
            bounds = list(accumulate(per, initial=0))
            picks: Sequence[int]
            if pooled:
                picks = uniform_ints(rng, bounds[-1], len(pool))
            else:  # every sentence afresh: the "pool" is the sentences in order
                pool = self.sentences(bounds[-1], rng)
                pool_lens = list(map((conn).__add__, map(len, pool)))
                picks = range(bounds[-1])
            sums = list(accumulate(map(pool_lens.__getitem__, picks), initial=0))
            ends = list(map(sums.__getitem__, bounds))
            lengths = list(map((-conn).__add__, map(operator.sub, ends[1:], ends)))
            cuts = pack(lengths, 1 if paragraphs else conn, limit, want)
            out.extend(self._join(pool, picks, bounds, cuts, paragraphs))
            rate = max(rate, 1.2 * units / max(len(cuts), 1))  # short limits drop many units: draw more
        return out


def pack(lengths: Sequence[int], sep: int, limit: int, rows: int) -> list[tuple[int, int]]:
    """Faker's ``text()`` cut: for each row, the units ``[a, b)`` appended while the size stayed
    under ``limit`` (the unit that reached it is dropped; a row left empty starts again).

    Consumes ``lengths`` in order and stops after ``rows`` rows or when they run out.
    """
    cuts: list[tuple[int, int]] = []
    i, total = 0, len(lengths)
    while len(cuts) < rows:
        start, size = i, 0
        while size < limit and i < total:
            size += (sep if size else 0) + lengths[i]
            i += 1
        if size < limit:  # ran out of units mid-row: the caller draws more
            break
        if i - 1 > start:
            cuts.append((start, i - 1))
    return cuts


class TextSamplers(SamplerBase):
    """The lorem providers (``sampler()`` finds the ``_s_<provider>`` builders by name)."""

    _lorem: Lorem | None = None

    def lorem(self) -> Lorem:
        """The locale's :class:`Lorem` (its word list, connector and punctuation)."""
        if self._lorem is None:
            method = self.tables.method("sentence")
            provider = getattr(method, "__self__", None)
            words = self.tables.attr("word_list")
            self._lorem = Lorem(words or (), getattr(provider, "word_connector", " "),
                                getattr(provider, "sentence_punctuation", "."))
        return self._lorem

    def _s_word(self) -> Sampler:
        lorem = self.lorem()
        return lambda n, rng: list(map(lorem.words.__getitem__, lorem.indices(n, rng)))

    def _s_words(self, nb: int = 3, unique: bool = False) -> Sampler:
        if unique:
            raise TypeError("unique words are left to Faker")
        lorem = self.lorem()

        def sample(n: int, rng: random.Random) -> list[Any]:
            words = list(map(lorem.words.__getitem__, lorem.indices(n * nb, rng)))
            return list(map(words.__getitem__, map(slice, range(0, n * nb, nb), range(nb, n * nb + nb, nb))))

        return sample

    def _s_sentence(self, nb_words: int = 6, variable_nb_words: bool = True) -> Sampler:
        lorem = self.lorem()
        return lambda n, rng: lorem.sentences(n, rng, nb_words, variable_nb_words)

    def _s_sentences(self, nb: int = 3) -> Sampler:
        lorem = self.lorem()

        def sample(n: int, rng: random.Random) -> list[Any]:
            flat = lorem.sentences(n * nb, rng)
            return list(map(flat.__getitem__, map(slice, range(0, n * nb, nb), range(nb, n * nb + nb, nb))))

        return sample

    def _s_paragraph(self, nb_sentences: int = 3, variable_nb_sentences: bool = True) -> Sampler:
        lorem = self.lorem()
        return lambda n, rng: lorem.paragraphs(n, rng, nb_sentences, variable_nb_sentences)

    def _s_paragraphs(self, nb: int = 3) -> Sampler:
        lorem = self.lorem()

        def sample(n: int, rng: random.Random) -> list[Any]:
            flat = lorem.paragraphs(n * nb, rng)
            return list(map(flat.__getitem__, map(slice, range(0, n * nb, nb), range(nb, n * nb + nb, nb))))

        return sample

    def _s_text(self, max_nb_chars: int = 200) -> Sampler:
        lorem = self.lorem()
        if max_nb_chars < 5:
            raise TypeError("max_nb_chars below 5: left to Faker, which names the problem")
        return lambda n, rng: lorem.text(n, rng, max_nb_chars)


def per_unit(bounds: list[int]) -> list[int]:
    """How many sentences each unit holds, from the running bounds."""
    return list(map(operator.sub, bounds[1:], bounds))
