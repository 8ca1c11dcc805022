"""ics settles most events by a short cut (everyone but the owner listed once, with an
address); it must agree with the careful count on every mix of attendees, the owner listed
twice, people without an address and people listed twice included."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from itertools import chain

from hypothesis import given, settings, strategies as st

from transforms import ics

OWNER = "alex.rivera@example.com"
_EMAILS = [OWNER, OWNER, "ada@corp.example", "ben@corp.example", "chidi@eze.example", None]  # mostly with one
_STATES = ["ACCEPTED", "DECLINED", "TENTATIVE", "NEEDS-ACTION"]
_ROLES = ["REQ-PARTICIPANT", "NON-PARTICIPANT"]
_CUTYPES = ["INDIVIDUAL"] * 5 + ["ROOM"]

attendee = st.builds(lambda email, partstat, role, cutype, organizer: ics._Attendee(
    email, None, partstat, role, cutype != "ROOM", organizer),
    st.sampled_from(_EMAILS), st.sampled_from(_STATES), st.sampled_from(_ROLES), st.sampled_from(_CUTYPES),
    st.booleans())


def _event(attendees: list[ics._Attendee]) -> ics._Event:
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    return ics._Event(index=0, line=1, uid="u", uid_key="u", start=start, end=None, duration=None, summary=None,
                      cancelled=False, rrules=[], rdates=[], exdates=[], recurrence_id=None, this_and_future=False,
                      sequence=0, attendees=attendees)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(range(8)), max_size=7), min_size=1, max_size=6),
       st.lists(attendee, min_size=8, max_size=8), st.booleans())
def test_the_short_cut_agrees_with_the_careful_count(picks, people, owner_known):
    owner = {OWNER} if owner_known else set()
    quick = [_event([people[i] for i in pick]) for pick in picks]  # attendee lines shared between events
    careful = [_event([people[i] for i in pick]) for pick in picks]
    ics._settle(quick, Counter(chain.from_iterable(e.attendees for e in quick)), owner, owner_known)
    for event in careful:
        event._settle_carefully(owner, owner_known)
    for a, b in zip(quick, careful):
        assert (a.counterparts, a.n_participants, a.owner_declined) == (b.counterparts, b.n_participants,
                                                                        b.owner_declined)
