"""Domain prose by speaker: sentences, paragraphs, bodies, messages, chat lines and notes.

A :class:`Pen` holds one value's rng, domain vocabulary, topics and speaker; it never uses a
sentence template twice in one value, so a long body does not repeat itself.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from forge_factories.text.domains import Vocab
from forge_factories.text.scene import between, cap, choose
from forge_factories.text.topic import Topics, mid

GREETINGS: tuple[str, ...] = ("Hi team,", "Hello,", "Hi there,", "Good morning,")
SIGN_OFFS: tuple[str, ...] = ("Thanks,", "Best regards,", "Kind regards,", "Many thanks,", "Cheers,")
CUSTOMER_LINES: tuple[str, ...] = (
    "I have already tried twice without any luck.", "This is the second time I have had to ask.",
    "I would really appreciate a quick answer.", "I have attached a photo in case it helps.",
    "Nothing has changed since yesterday.", "I am happy to send more details if needed.",
)
AGENT_LINES: tuple[str, ...] = (
    "Thanks for bearing with us while we looked into this.", "Sorry for the trouble this has caused.",
    "You will get a confirmation email shortly.", "If anything else comes up, just reply to this message.",
    "A note is now on your account so this does not happen again.",
    "Please allow up to @n hours for the change to show.",
)
AUTHOR_LINES: tuple[str, ...] = (
    "Do not skip the @x.", "Start with the @x and build from there.",
    "Small changes to the @x add up over time.", "Most people overlook the @x at first.",
    "It pays to plan the @x early.", "A little care with the @x goes a long way.",
    "Questions about the @y are always welcome.", "We will share more details soon.",
    "Here is what changed, and why it matters.", "Getting the @y right makes the real difference.",
    "None of this needs special equipment.", "Take it one step at a time.",
)
SYSTEM_LINES: tuple[str, ...] = (
    "Status changed to @s.", "Updated automatically: @x.", "Reminder: @y due in @n days.",
    "No further action is required.", "Last synced @n minutes ago.", "This message was generated automatically.",
    "Checked and found complete: @y.", "Archived after @n days: @x.",
)
_STATUSES: tuple[str, ...] = ("open", "in progress", "resolved", "closed", "pending review", "approved")
REVIEW_LINES: dict[str, tuple[str, ...]] = {
    "positive": ("I was impressed by the @x.", "The @x exceeded my expectations.", "I would happily recommend it.",
                 "The @y was a pleasant surprise.", "I will definitely be back.", "Everything about the @x felt easy."),
    "mixed": ("The @x was good, but the @y could be better.", "I liked the @x more than I expected.",
              "It is fine for the price.", "I have mixed feelings overall.", "The @y let it down a little.",
              "I might try it again, with lower expectations."),
    "negative": ("I was disappointed by the @x.", "The @x let the whole thing down.", "I would not recommend it.",
                 "Sadly the @y was not much better.", "I expected far more for the money.",
                 "I will not be going back."),
}
FRAMES: dict[str, tuple[str, ...]] = {
    "customer": ("I'm writing about @topic.", "This is about @topic.", "I have a question about @topic.",
                 "I need help with @topic."),
    "agent": ("Thank you for getting in touch about @topic.", "Thank you for your message about @topic.",
              "Thank you for contacting us about @topic."),
    "author": ("A closer look at @topic.", "Here is what you need to know about @topic.",
               "This is an overview of @topic.", "Introducing @topic."),
    "system": ("Record updated: @topic.", "Automatic update for @topic.", "Status check completed for @topic."),
    "reviewer": ("Here is my honest take on @topic.", "I recently tried @topic.", "My verdict on @topic, after a few weeks."),
}
PLACE_FRAMES: tuple[str, ...] = ("Set in the heart of @place.", "Located in @place, close to everything.",
                                 "A great spot in @place.", "Right in the middle of @place.")
TONE_OPEN: dict[str, tuple[str, ...]] = {
    "positive": ("Really happy with this one.", "Better than I hoped.", "A great experience overall."),
    "mixed": ("Decent, with a few catches.", "Some good points, some less so.", "Not bad, not great."),
    "negative": ("Really disappointing.", "Not what I expected at all.", "I wanted to like this, but no."),
}


class Pen:
    """One value's writer: draws only from ``rng`` and never reuses a template within the value."""

    __slots__ = ("rng", "vocab", "topics", "speaker", "tone", "used", "thing", "seen", "spent")

    def __init__(self, rng: random.Random, vocab: Vocab, topics: Topics, speaker: str, tone: str) -> None:
        self.rng = rng
        self.vocab = vocab
        self.topics = topics
        self.speaker = speaker
        self.tone = tone
        self.used: set[str] = set()
        self.thing = self._topic_thing()
        self.seen: set[str] = {self.thing}
        self.spent = False

    def _topic_thing(self) -> str:
        """The domain thing the value is about: one the topic words name, else a random one."""
        things = self.vocab.things
        if not self.vocab.name and things:  # no known domain: the context's own subject
            return things[0]
        words = self.topics.words
        if words:
            hits = [t for t in things if any(w in t for w in words)]
            if hits:
                return choose(self.rng, hits)
        return choose(self.rng, things)

    def pick(self, options: Sequence[str], prefer: bool = True, strong: bool = False) -> str:
        """A template from ``options`` not used yet in this value (topic-word matches first).

        When every option is used, one is returned anyway and ``spent`` is set.
        """
        rng, used = self.rng, self.used
        if prefer and self.topics.words and (strong or rng.random() < 0.7):
            words = self.topics.words
            hits = [o for o in options if o not in used and any(w in o for w in words)]
            if hits:
                choice = choose(rng, hits)
                used.add(choice)
                return choice
        for _ in range(3):  # cheap draws first; the full scan only when they keep hitting used ones
            choice = choose(rng, options)
            if choice not in used:
                used.add(choice)
                return choice
        fresh = [o for o in options if o not in used]
        if not fresh:
            self.spent = True
            return choose(rng, options)
        choice = choose(rng, fresh)
        used.add(choice)
        return choice

    def _other(self) -> str:
        """A domain thing not named yet in this value (when there is one left)."""
        things, seen = self.vocab.things, self.seen
        for _ in range(3):
            thing = choose(self.rng, things)
            if thing not in seen:
                seen.add(thing)
                return thing
        fresh = [t for t in things if t not in seen]
        thing = choose(self.rng, fresh) if fresh else choose(self.rng, things)
        seen.add(thing)
        return thing

    def fill(self, template: str) -> str:
        """Replace the ``@`` slots of a data template (never user data: topics go in last)."""
        if "@" not in template:
            return template
        rng = self.rng
        text = template
        if "@x" in text:
            text = text.replace("@x", self._other())
        if "@y" in text:
            text = text.replace("@y", self._other())
        if "@n" in text:
            text = text.replace("@n", str(between(rng, 2, 30)))
        if "@s" in text:
            text = text.replace("@s", choose(rng, _STATUSES))
        if "@topic" in text:
            topic = self.topics.topics[0] if self.topics.topics else "the " + self.thing
            text = text.replace("@topic", mid(topic))
            return cap(text)
        text = text.replace("@T", cap(self.thing)).replace("@t", self.thing)
        return cap(text)

    # ------------------------------------------------------------------ sentences by speaker
    def frame(self) -> str | None:
        """A sentence that names the referenced topic, in the speaker's voice (``None`` without one)."""
        place = self.topics.place
        if place and self.speaker == "author" and (not self.topics.topics or self.topics.topics[0] == place):
            return choose(self.rng, PLACE_FRAMES).replace("@place", place)
        if not self.topics.topics:
            return None
        return self.fill(self.pick(FRAMES.get(self.speaker, FRAMES["author"]), prefer=False))

    def sentence(self) -> str:
        """One sentence in the speaker's voice about the domain."""
        rng, v, who = self.rng, self.vocab, self.speaker
        if who == "customer":
            roll = rng.random()
            if roll < 0.55:
                issue = self.fill(self.pick(v.issues))
                lead = choose(rng, ("", "", "Since " + choose(rng, ("Monday", "Tuesday", "last week")) + ", ",
                                    "Unfortunately, "))
                if lead:
                    issue = lead + (issue if issue.startswith(("I ", "I'")) else issue[:1].lower() + issue[1:])
                return cap(issue) + "."
            if roll < 0.8:
                return cap(self.fill(self.pick(v.asks)))
            return self.fill(self.pick(CUSTOMER_LINES))
        if who == "agent":
            if "We have " not in self.used and rng.random() < 0.6:
                fix = self.fill(self.pick(v.fixes))
                lead = "We have " if not any(u.startswith("We have") for u in self.used) else "I have also "
                self.used.add(lead)
                return lead + fix[:1].lower() + fix[1:] + "."
            return self.fill(self.pick(AGENT_LINES))
        if who == "system":
            return self.fill(self.pick(SYSTEM_LINES))
        if who == "reviewer":
            return self.fill(self.pick(REVIEW_LINES.get(self.tone, REVIEW_LINES["mixed"])))
        if rng.random() < 0.9:
            fact = self.fill(self.pick(v.facts))
            if not self.spent:
                return fact
            self.spent = False
        return self.fill(self.pick(AUTHOR_LINES))

    def sentences(self, count: int, framed: bool = False) -> list[str]:
        """``count`` sentences: the topic frame first (when there is a topic), then the speaker's."""
        out: list[str] = []
        frame = self.frame()
        if frame and (count > 1 or framed):
            out.append(frame)
            count += 1
        if self.speaker == "reviewer" and count > 2:
            out.append(choose(self.rng, TONE_OPEN.get(self.tone, TONE_OPEN["mixed"])))
        if self.speaker == "customer" and (count > 1 or framed):
            issue = self.fill(self.pick(self.vocab.issues, strong=True))
            out.append(cap(issue) + ".")
        if self.speaker == "agent" and (count > 1 or framed):
            fix = self.fill(self.pick(self.vocab.fixes, strong=True))
            out.append("We have " + fix[:1].lower() + fix[1:] + ".")
            self.used.add("We have ")
        tries = 0
        while len(out) < count and tries < 4 * count + 8:
            tries += 1
            s = self.sentence()
            if s not in out and not self.spent:
                out.append(s)
            self.spent = False
        return out

    def one(self) -> list[str]:
        """A single sentence, carrying the topic when there is one."""
        s = self.sentence()
        if self.topics.topics and mid(self.topics.topics[0]) not in s:
            topic = mid(self.topics.topics[0])
            if self.speaker == "customer":
                return ["About " + topic + ": " + (s if s.startswith("I ") else s[:1].lower() + s[1:])]
            return [cap(topic) + ": " + (s if s.startswith("I ") else s[:1].lower() + s[1:])]
        return [s]

    # ------------------------------------------------------------------ forms
    def message(self, count: int, chat: bool = False) -> list[str]:
        """A message: greeting, the topic, ``count`` sentences, a request or reassurance, a sign-off."""
        rng, who = self.rng, self.speaker
        body = self.sentences(count, framed=True)
        if who == "customer" and not any(s.endswith("?") for s in body) and not chat:
            body.append(self.fill(self.pick(self.vocab.asks, prefer=False)))
        if chat:
            return [choose(rng, ("Hi! ", "Quick one: ", "")) + body[0], *body[1:2]]
        greet = choose(rng, GREETINGS)
        if self.topics.addressee:
            greet = choose(rng, ("Hi ", "Hello ", "Dear ")) + self.topics.addressee.split(" ", 1)[0] + ","
        elif who == "agent":
            greet = "Hello,"
        body[0] = greet + " " + (body[0] if body[0].startswith(("I ", "I'")) else body[0][:1].lower() + body[0][1:])
        writer = self.topics.writer
        if who == "agent":
            sign = choose(rng, ("Best regards, ", "Kind regards, ")) + (writer or "the " + self.vocab.agent)
        elif writer:
            sign = choose(rng, SIGN_OFFS) + " " + writer.split(" ", 1)[0]
        else:
            sign = choose(rng, ("Thanks.", "Thank you.", "Thanks in advance."))
        return [*body, sign]

    def note(self, count: int) -> list[str]:
        """A note or comment: terse sentences in the writer's voice, signed when the writer is known."""
        rng = self.rng
        out: list[str] = []
        if self.speaker == "customer":
            out.append(cap(self.fill(self.pick(self.vocab.asks))))
            if count > 1:
                ask = cap(self.fill(self.pick(self.vocab.asks)))
                out.append(ask if not self.spent else cap(self.fill(self.pick(self.vocab.issues))) + ".")
        elif self.speaker == "system":
            out = self.sentences(count)
        else:
            while len(out) < count:
                fact = self.fill(self.pick(self.vocab.facts))
                if fact not in out:
                    out.append(fact)
        if self.topics.topics and not any(mid(self.topics.topics[0]) in s for s in out):
            out[0] = "Re " + mid(self.topics.topics[0]) + ": " + (out[0] if out[0].startswith("I ") else
                                                                 out[0][:1].lower() + out[0][1:])
        if self.topics.writer and self.speaker == "customer":
            out.append(choose(rng, ("Thanks, ", "Thank you, ", "Many thanks, ")) + self.topics.writer.split(" ", 1)[0])
        return out

    def body(self, paragraphs: int, per: tuple[int, int]) -> list[list[str]]:
        """``paragraphs`` paragraphs of ``per`` sentences each (no template used twice)."""
        out = [self.sentences(between(self.rng, *per))]
        for _ in range(paragraphs - 1):
            para: list[str] = []
            want = between(self.rng, *per)
            for _ in range(2 * want + 2):
                if len(para) >= want:
                    break
                s = self.sentence()
                if all(s not in p for p in out) and s not in para and not self.spent:
                    para.append(s)
                self.spent = False
            out.append(para or [self.fill(self.pick(AUTHOR_LINES))])
        return out
