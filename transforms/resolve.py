"""Who is who: group source records into people, in named steps.

1. **Rules**: the user's 'same' pairs are joined first; 'different' pairs are never put in
   one person, even through a chain.
2. **Deterministic links**: records sharing a LinkedIn profile are one person; so are
   records sharing a normalized email address (``email_match_key``: Gmail dots and
   ``+tags`` ignored) unless their names are clearly different (``info@``, a family
   address), and records sharing an E.164 phone number when their surnames agree (an
   office switchboard is on many people's cards).
3. **Candidate pairs** by blocking (``transforms.match_blocking``): surname + first
   initial (one key per nickname variant), Soundex of the surname + initial, and the sorted
   name words; never all pairs, and oversized blocks are split or skipped. Blocking runs
   over distinct names, and two names that could never be linked or reviewed (a different
   surname, a clearly different first name) are not compared at all. A pair sharing a key
   that a guard refused is compared too, so it can still reach the review queue.
4. **Scoring** (``transforms.match_comparisons``; the weights are in
   ``transforms.match_weights`` and ``transforms.match_measured``): Fellegi–Sunter match
   weights (log2 m/u) summed over first name (exact, nickname, typo, initial, different;
   term-frequency adjusted), surname, company (over the deterministic component's employers
   and work-mail domains), email local part and domain, handle (email or slug spelling the
   other's name) and phone. Pairs at or above ``LINK_THRESHOLD`` are linked, those above
   ``REVIEW_THRESHOLD`` kept for review. A record matching two LinkedIn profiles links only
   to a clear winner (``AMBIGUITY_MARGIN``).
5. **Clusters** (here, not in a ``transforms.match_*`` stage module): connected
   components over the links in descending confidence, with guards: a union is refused
   when the two components have different LinkedIn profiles, clearly different names
   anywhere between them (unless one record's own address or profile spells the other's
   first name), or a user's 'different' rule; and a record that matches two people who
   were compared and found unlike links only to a clear winner, else to neither
   (``_torn``), so it cannot chain them.

Merging wrongly is worse than missing a merge: every guard errs towards keeping apart.
``match_pairs`` keeps each scored pair once (above ``STORE_FLOOR``) and deterministic links
refused by a guard; deterministic links that were made are not stored as pairs (the
mapping's ``link_reason`` says why), since at a million records they would be millions.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from transforms.match import (
    AMBIGUITY_MARGIN, LINK_THRESHOLD, REVIEW_THRESHOLD, SCORED, candidate_pairs, clearly_different, features,
    MeasuredWeights, NameCounts, first_names_compatible, measure_weights, score_pairs, surnames_compatible,
)
from transforms.match_blocking import _unique_pairs
from transforms.records import Owner, gc_paused
from transforms.rules import Rules
from transforms.normalize import free_mail_expr, name_key

RESOLVE_INPUT = {"record_id": pl.Int64, "linkedin_slug": pl.String, "emails": pl.List(pl.String),
                 "phones": pl.List(pl.String), "name_key": pl.String, "full_name": pl.String,
                 "first_name": pl.String, "last_name": pl.String, "company": pl.String, "title": pl.String,
                 "file_id": pl.Int64}
RESOLVE_OUTPUT = {"record_id": pl.Int64, "person_id": pl.Int64, "link_reason": pl.String, "is_owner": pl.Boolean}

REASON_SLUG = "same LinkedIn profile"
REASON_EMAIL = "same email address"
REASON_PHONE = "same phone number, and the names agree"
REASON_ALONE = "only record of this person"
REASON_RULE = "you said they are the same person"

PAIRS_OUTPUT = {"record_id_a": pl.Int64, "record_id_b": pl.Int64, "score": pl.Float64, "decision": pl.String,
                "reason": pl.String}

# Refusals, as added to a pair's reason.
APART_RULE = "you said they are different people"
APART_SLUG = "their records have different LinkedIn profiles"
APART_NAMES = "their records have clearly different names"
APART_AMBIGUOUS = "the name also matches another LinkedIn profile"
APART_TORN = "it also matches another person, who has nothing in common with this one"
APART_MAIL = "their records have different addresses at the same company"


@dataclass
class Resolution:
    mapping: pl.DataFrame  # RESOLVE_OUTPUT: one row per record
    pairs: pl.DataFrame  # PAIRS_OUTPUT: each compared pair once, with its score and decision
    weights: MeasuredWeights | None = None  # the measured weights it used


Name = tuple


class _UnionFind:
    """Components of records, refusing any union that would put two records the user
    called different, two LinkedIn profiles, or two clearly different names into one person."""

    def __init__(self, different: list[tuple[int, int]] | None = None,
                 names: dict[int, Name] | None = None, slugs: dict[int, str] | None = None) -> None:
        self.parent: dict[int, int] = {}
        self.apart: dict[int, set[int]] = {}  # root -> records that must never join its component
        for a, b in different or []:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)
        # root -> its distinct names: a record alone keeps its one name in ``_name`` and gets
        # a set only when it first takes in another component (most records never do)
        self._name: dict[int, Name] = names or {}
        self.names: dict[int, set[Name]] = {}
        self.slug: dict[int, str] = dict(slugs or {})  # root -> its LinkedIn slug
        # root -> its work addresses, for the mail-clash guard: loaded (``load_work``) only
        # when links by evidence begin, for the people they can touch, then kept by unions
        self.work: dict[int, set[str]] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while True:
            p = parent.get(root, root)
            if p == root:
                break
            root = p
        while x != root:
            nxt = parent[x]
            parent[x] = root
            x = nxt
        return root

    def roots_of(self, ids: list[int]) -> list[int]:
        """``find`` of each of ``ids``, in order: most records are roots or one step below
        theirs, which two look-ups settle without a call."""
        get, find = self.parent.get, self.find
        return [x if (p := get(x)) is None else p if get(p) is None else find(x) for x in ids]

    def _names_of(self, root: int) -> set[Name] | None:
        names = self.names.get(root)
        if names is None and root in self._name:
            names = {self._name[root]}
        return names

    def refusal(self, ra: int, rb: int, check_names: bool = True, users_word: bool = False,
                check_mail: bool = False) -> str | None:
        """Why components ``ra`` and ``rb`` (roots) must not be joined, or None. The user's
        own 'same' (``users_word``) only yields to their own 'different'."""
        # (called for every link tried, hundreds of thousands of times: the common case, two
        # records alone, takes no set)
        if self.apart:
            apart_a, apart_b = self.apart.get(ra, ()), self.apart.get(rb, ())
            if any(self.find(x) == rb for x in apart_a) or any(self.find(x) == ra for x in apart_b):
                return APART_RULE
        if users_word:
            return None
        slug = self.slug
        if ra in slug and rb in slug and slug[ra] != slug[rb]:  # (no slug is None: see _resolve)
            return APART_SLUG
        if check_names:
            names = self.names
            if ra not in names and rb not in names:  # two records alone: one name each
                x, y = self._name.get(ra), self._name.get(rb)
                if x and y and x != y and clearly_different(x[0], x[1], y[0], y[1]):
                    return APART_NAMES
            else:
                na, nb = self._names_of(ra), self._names_of(rb)
                if na and nb and na is not nb and _names_clash(na, nb):
                    return APART_NAMES
        if check_mail:
            work = self.work
            wa, wb = work.get(ra), work.get(rb)
            if wa and wb and _work_clash(wa, wb):
                return APART_MAIL
        return None

    def union(self, a: int, b: int, check_names: bool = True, users_word: bool = False,
              check_mail: bool = False) -> str | None:
        """Join a's and b's components; returns None on success, else why they stay apart.
        ``check_names=False`` for a shared LinkedIn profile, which is one person whatever
        the names say; ``users_word`` for the user's 'same' rules, which beat every guard
        but their own 'different' rules; ``check_mail`` for links by evidence (a shared key
        says more than two addresses at one company)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        why = self.refusal(ra, rb, check_names, users_word, check_mail)
        if why is not None:
            return why
        self._merge(ra, rb)
        return None

    def _merge(self, ra: int, rb: int) -> None:
        """Join two roots' components, unguarded."""
        root, child = (ra, rb) if ra < rb else (rb, ra)  # the smallest record id is the root
        self.parent[child] = root
        apart = self.apart
        if apart and child in apart:
            apart.setdefault(root, set()).update(apart.pop(child))
        names, name = self.names, self._name
        child_names = names.pop(child, None)
        if child_names is None and (x := name.get(child)) is not None:
            child_names = {x}
        root_names = names.get(root)
        if root_names is None and (x := name.get(root)) is not None:
            root_names = names[root] = {x}
        if child_names:
            if root_names is None:
                names[root] = child_names
            elif len(root_names) >= len(child_names):
                root_names |= child_names
            else:
                child_names |= root_names
                names[root] = child_names
        slug = self.slug
        if child in slug:
            slug.setdefault(root, slug.pop(child))
        work = self.work
        child_work = work.pop(child, None)
        if child_work:
            root_work = work.get(root)
            if root_work is None:
                work[root] = child_work
            else:
                root_work |= child_work

    def load_work(self, work: dict[int, set[str]]) -> None:
        """Set the work addresses of components (root -> addresses); every union after this
        keeps them, so load every component a checked union can touch."""
        self.work.update(work)


def _names_clash(na: set[Name], nb: set[Name]) -> bool:
    """Whether two people's names (each one's distinct names) hold a clearly different pair
    that neither bridges nor a slip explains (see ``_bridged``, ``_slip_of``)."""
    for x in na:
        for y in nb:
            if x != y and clearly_different(x[0], x[1], y[0], y[1]) \
                    and not (_bridged(x, nb) and _bridged(y, na)) \
                    and not (_slip_of(y, na | nb, x) or _slip_of(x, na | nb, y)):
                return True
    return False


def _work_clash(wa: set[str], wb: set[str]) -> bool:
    """Whether two components' (non-empty) work addresses are at one domain with none in
    common there: two colleagues, not one person (one person rarely has two addresses at
    one company)."""
    if len(wa) == 1 and len(wb) == 1:  # (most components: one address each)
        (x,), (y,) = wa, wb
        return x != y and x.rpartition("@")[2] == y.rpartition("@")[2]
    da: dict[str, set[str]] = {}
    for e in wa:
        da.setdefault(e.rpartition("@")[2], set()).add(e)
    db: dict[str, set[str]] = {}
    for e in wb:
        db.setdefault(e.rpartition("@")[2], set()).add(e)
    return any(not (da[d] & db[d]) for d in da.keys() & db.keys())


def resolve(records: pl.DataFrame, owner: Owner | None = None, rules: Rules | None = None,
            weights: MeasuredWeights | None = None, counts: NameCounts | None = None,
            parsed: pl.DataFrame | None = None) -> Resolution:
    """One row per input record: the person it belongs to and why it was linked.

    ``weights``: the weights measured on the data (``match.measure_weights``); by default
    measured on ``records``. ``counts``: how many records carry each first name and surname
    (``match.NameCounts``); by default counted on ``records``. A run over a few of the
    records passes those of all. ``parsed``: names parsed before (``match.NAME_PARTS``
    rows), which are not parsed again.

    ``person_id`` is the smallest ``record_id`` in the person's cluster, so it stays the
    same across runs as long as that first record stays in the cluster. The user has the
    last word: 'different' pairs are never put in one person, and 'same' pairs are joined
    after all the evidence, whatever the guards say.
    """
    owner = owner or Owner()
    rules = rules or Rules()
    for col, dtype in RESOLVE_INPUT.items():
        if col not in records.columns:
            empty = pl.lit([], dtype=dtype) if isinstance(dtype, pl.List) else pl.lit(None, dtype=dtype)
            records = records.with_columns(empty.alias(col))
    records = records.with_columns(pl.col("emails").fill_null([]), pl.col("phones").fill_null([]))
    ids = records["record_id"].to_list()
    if not ids:
        return Resolution(mapping=pl.DataFrame(schema=RESOLVE_OUTPUT), pairs=pl.DataFrame(schema=PAIRS_OUTPUT))
    known = _named_by_rules(rules, records["record_id"])
    # No cyclic garbage collection meanwhile: resolving makes millions of small objects (names,
    # edges, sets of names and addresses, decisions) and a few hundred cycles at most, and
    # every collection pass would walk them all again (a tenth of the time at a million records).
    with gc_paused():
        feat = features(records, parsed)
        # Blocking needs the records' features alone, so it runs beside the deterministic links
        # below: those are Python (one core), blocking is mostly polars (which lets go of the GIL).
        with ThreadPoolExecutor(max_workers=1) as pool:
            return _resolve(records, feat, pool.submit(candidate_pairs, feat), ids, known, owner, rules, weights,
                            counts)


def _named_by_rules(rules: Rules, ids: pl.Series) -> set[int]:
    """The records of ``ids`` that the user's rules name: all that a set of every record
    would be asked about (such a set costs some 70 MB at a million records)."""
    named = {r for pair in (*rules.same, *rules.different) for r in pair}
    if not named:
        return set()
    return set(ids.filter(ids.is_in(list(named))).to_list())


def _record_names(feat: pl.DataFrame) -> dict[int, Name]:
    """record_id -> (first name, surname) of the records with either. Records share one
    tuple per distinct name: a million records hold far fewer names, and a tuple of two
    strings of its own per record would cost some 150 bytes each."""
    # (narrow frames: a filter of the wide features frame would copy every column of it)
    named = (feat.select("record_id", "fn", "ln").filter(pl.col("fn").is_not_null() | pl.col("ln").is_not_null())
             .with_columns((pl.struct("fn", "ln").rank("dense") - 1).alias("i")))  # i: which distinct name
    distinct = named.select("i", "fn", "ln").unique("i").sort("i")
    tuples = list(zip(distinct["fn"].to_list(), distinct["ln"].to_list()))
    return dict(zip(named["record_id"].to_list(), map(tuples.__getitem__, named["i"].to_list())))


def _resolve(records: pl.DataFrame, feat: pl.DataFrame, blocked: Future, ids: list[int], known: set[int],
             owner: Owner, rules: Rules, weights: MeasuredWeights | None, counts: NameCounts | None) -> Resolution:
    """resolve(), from the records' features on; ``blocked``: their candidate pairs, coming."""
    # (narrow frames: a filter of the wide features frame would copy every column of it)
    names = _record_names(feat)
    with_slug = feat.select("record_id", "slug").filter(pl.col("slug").is_not_null())
    slugs = dict(zip(with_slug["record_id"].to_list(), with_slug["slug"].to_list()))
    del with_slug
    uf = _UnionFind([(a, b) for a, b in rules.different if a in known and b in known], names, slugs)
    reason: dict[int, str] = {}
    refused: list[tuple[int, int, str]] = []

    # step 2: deterministic links
    edges: list[tuple[int, int, int]] = []  # (a, b, which key) in the order they are tried
    whys = (REASON_SLUG, REASON_EMAIL, REASON_PHONE)
    phone_refused = []  # reported after the address refusals, as they are found later
    for k, key in enumerate(("slug", "email", "phone")):
        doubtful = []
        for a, b in _key_edges(feat, key):
            if key == "phone" and not _surnames_agree(names.get(a), names.get(b)):
                doubtful.append((a, b))
                continue
            edges.append((a, b, k))
        own = _own_numbers(feat, doubtful, names) if doubtful else set()
        for a, b in doubtful:
            if (a, b) in own:
                edges.append((a, b, k))
            else:
                phone_refused.append((a, b, "same phone number; kept apart: the surnames differ"))
    # A group of records joined by shared keys with no guard to refuse anything in it (one
    # profile at most, no clearly different names, no 'different' rule) becomes one person
    # at once, exactly as edge-by-edge unions would make it; the rest go edge by edge.
    dirty = _join_clean_groups(edges, feat, uf, reason, whys)
    for a, b, k in edges:
        if a not in dirty:  # (both ends of an edge are in one group)
            continue
        fail = uf.union(a, b, check_names=k != 0)
        if fail is None:
            reason.setdefault(a, whys[k])
            reason.setdefault(b, whys[k])
        elif k != 0:
            refused.append((a, b, f"{whys[k]}; kept apart: {fail}"))
    refused = ([r for r in refused if not r[2].startswith(REASON_PHONE)] + phone_refused
               + [r for r in refused if r[2].startswith(REASON_PHONE)])

    # steps 3-4: candidate pairs and their match weights
    roots = pl.DataFrame({"record_id": ids, "root": uf.roots_of(ids)}, schema={"record_id": pl.Int64, "root": pl.Int64})
    comp_orgs = _component_orgs(feat, roots)
    weights = weights or measure_weights(feat, roots)  # (on the groups shared keys made: each is one person)
    titles, files, phones = weights.titles, weights.files, weights.phone_diff
    # how many people carry each whole name, as far as the records can tell: a name several
    # people share is likelier a namesake's (see match.CROWD_GROUPS). One person's records
    # often form several groups (a LinkedIn row, a calendar attendee at a work address, another
    # at a personal one: no key in common), each from another file, so groups alone would make
    # a crowd of one person; namesakes show as several groups within one file (two LinkedIn
    # rows, two address-book cards). So: the most groups carrying the name in any one file.
    groups = (feat.select("record_id", "fn", "ln", "file_id").join(roots, on="record_id").drop_nulls(["fn", "ln"])
              .group_by("fn", "ln", "file_id").agg(pl.col("root").n_unique().alias("name_groups"))
              .group_by("fn", "ln").agg(pl.col("name_groups").max()))
    name_groups = feat.select("fn", "ln").join(groups, on=["fn", "ln"], how="left", maintain_order="left")
    feat = feat.with_columns(name_groups["name_groups"], pl.lit(weights.few_groups).alias("w_few"))
    pairs, _skipped = blocked.result()
    if refused:  # a shared key the guards refused is worth a score (and perhaps a review)
        pairs = _unique_pairs(pl.concat([pairs, pl.DataFrame([(min(a, b), max(a, b)) for a, b, _ in refused],
                                                             schema={"a": pl.Int64, "b": pl.Int64}, orient="row")]))
    pairs = (pairs.join(roots, left_on="a", right_on="record_id").join(roots, left_on="b", right_on="record_id",
                                                                        suffix="_b")
             .filter(pl.col("root") != pl.col("root_b")).select("a", "b"))
    scored = score_pairs(pairs, feat, comp_orgs, titles=titles, files=files, phone_diff=phones,
                         names=counts) if pairs.height else pl.DataFrame(
        schema=SCORED)
    comp_slug = roots.join(feat.select("record_id", "slug"), on="record_id").filter(pl.col("slug").is_not_null()) \
        .group_by("root").agg(pl.col("slug").first())
    ambiguous = _ambiguous(scored, roots, comp_slug)
    torn = _torn(scored, pairs, roots)
    scored = (scored.join(ambiguous, on=["a", "b"], how="left").join(torn, on=["a", "b"], how="left")
              .with_columns(pl.col("ambiguous").fill_null(False), pl.col("torn").fill_null(False)))

    # step 5: clusters, strongest links first
    touched = pl.concat([scored.select(pl.col("a").alias("record_id")), scored.select(pl.col("b").alias("record_id"))])
    uf.load_work(_work_by_root(feat, roots, touched.unique()))
    decided: list[tuple[int, int, float, str, str]] = []
    link_rows = scored.filter((pl.col("score") >= LINK_THRESHOLD) & ~pl.col("slug_clash") & ~pl.col("ambiguous")
                              & ~pl.col("torn")).sort(["score", "a", "b"], descending=[True, False, False])
    _link(uf, link_rows, decided, reason, keep_refused=True)
    # second round: pairs not linked are scored again with the employers of the people
    # formed so far (an old snapshot's employer meets the current one through the person)
    rest = scored.join(link_rows.select("a", "b"), on=["a", "b"], how="anti")
    again = rest.filter(~pl.col("slug_clash") & ~pl.col("ambiguous") & ~pl.col("torn")).select("a", "b")
    if again.height:
        roots2 = _current_roots(uf, roots)
        # only a pair touching a person that grew in round 1 can score differently now
        # (a component's employers and addresses are all that changed); people only grow,
        # so a record's person grew exactly when its size did
        size1 = roots.group_by("root").len()
        size2 = roots2.group_by("root").len()
        grown = (roots.join(size1, on="root").join(roots2.join(size2, on="root"), on="record_id", suffix="_2")
                 .filter(pl.col("len") != pl.col("len_2")).select("record_id"))
        again = again.filter(pl.col("a").is_in(grown["record_id"].implode()) | pl.col("b").is_in(grown["record_id"].implode()))
        again = (again.join(roots2, left_on="a", right_on="record_id").join(roots2, left_on="b", right_on="record_id",
                                                                             suffix="_b")
                 .filter(pl.col("root") != pl.col("root_b")).select("a", "b"))
        # (the employers of just the people these pairs touch)
        touching = roots2.join(pl.concat([again.select(pl.col("a").alias("record_id")),
                                          again.select(pl.col("b").alias("record_id"))]).unique(), on="record_id")
        roots_touched = roots2.join(touching.select("root").unique(), on="root")
        rescored = score_pairs(again, feat, _component_orgs(feat, roots_touched), floor=LINK_THRESHOLD,
                               titles=titles, files=files, phone_diff=phones, names=counts).filter(
            (pl.col("score") >= LINK_THRESHOLD) & ~pl.col("slug_clash")).sort(["score", "a", "b"],
                                                                               descending=[True, False, False])
        linked2 = _link(uf, rescored, decided, reason, keep_refused=False)
        if linked2:
            rest = rest.join(pl.DataFrame(linked2, schema={"a": pl.Int64, "b": pl.Int64}, orient="row"),
                             on=["a", "b"], how="anti")
    rest = rest.select(
        "a", "b", "score",
        pl.when(pl.col("slug_clash")).then(pl.lit("no link"))
        .when(pl.col("score") >= REVIEW_THRESHOLD).then(pl.lit("review"))
        .when(pl.col("ambiguous") | pl.col("torn")).then(pl.lit("review"))
        .otherwise(pl.lit("no link")).alias("decision"),
        pl.when(pl.col("ambiguous")).then(pl.concat_str([pl.col("reason"), pl.lit(f"; not linked: {APART_AMBIGUOUS}")]))
        .when(pl.col("torn")).then(pl.concat_str([pl.col("reason"), pl.lit(f"; not linked: {APART_TORN}")]))
        .otherwise(pl.col("reason")).alias("reason"))
    pair_frames = [rest.rename({"a": "record_id_a", "b": "record_id_b"})]
    if decided:
        pair_frames.append(pl.DataFrame(decided, schema=list(PAIRS_OUTPUT), orient="row"))
    if refused:
        pair_frames.append(pl.DataFrame([(min(a, b), max(a, b), None, "no link", r) for a, b, r in refused],
                                        schema=list(PAIRS_OUTPUT), orient="row"))
    out_pairs = (pl.concat([f.cast(PAIRS_OUTPUT) for f in pair_frames])
                 .unique(["record_id_a", "record_id_b"], keep="first", maintain_order=True)
                 .sort("record_id_a", "record_id_b"))

    # last, the user's word: their 'same' joins whole people, whatever the guards said
    # (applied after the evidence, so each side keeps the records its own keys linked)
    for a, b in rules.same:
        if a in known and b in known and uf.union(a, b, users_word=True) is None:
            reason[a] = reason[b] = REASON_RULE

    owner_roots = _owner_roots(records, uf, owner)
    final_roots = _current_roots(uf, roots)["root"]  # (in the order of ids, as roots is)
    final = final_roots.to_list()
    # a person's first record has a reason only if it was given one; any other record keeps
    # the reason it was given, if any
    given = list(map(reason.get, ids))
    mapping = pl.DataFrame(
        {
            "record_id": ids,
            "person_id": final,
            "link_reason": [why if why or (root != rid and rid in reason) else REASON_ALONE
                            for rid, root, why in zip(ids, final, given)],
            "is_owner": final_roots.is_in(pl.Series(sorted(owner_roots), dtype=pl.Int64).implode()),
        },
        schema=RESOLVE_OUTPUT,
    )
    # a record whose links were all refused is alone whatever reason it was given
    sizes = mapping.group_by("person_id").len()
    mapping = mapping.join(sizes, on="person_id", how="left", maintain_order="left").with_columns(
        pl.when(pl.col("len") == 1).then(pl.lit(REASON_ALONE)).otherwise(pl.col("link_reason")).alias("link_reason")
    ).select(list(RESOLVE_OUTPUT))
    return Resolution(mapping=mapping, pairs=out_pairs, weights=weights)


def _link(uf: _UnionFind, rows: pl.DataFrame, decided: list, reason: dict[int, str],
          keep_refused: bool) -> list[tuple[int, int]]:
    """Join the pairs of ``rows`` (a, b, score, reason; strongest first) where no guard
    refuses, noting each decision in ``decided`` (and, with ``keep_refused``, each refusal)
    and each record's first reason. Returns the pairs joined."""
    joined = []
    # (uf.union taken apart, as it is called per row: a record is mostly a root or one step
    # below its root, which two look-ups settle without calling find)
    get, find, refusal, merge = uf.parent.get, uf.find, uf.refusal, uf._merge
    columns = [rows[c].to_list() for c in ("a", "b", "score", "reason", "spelt_first")]
    for a, b, score, why, spelt in zip(*columns):
        ra = a if (p := get(a)) is None else p if get(p) is None else find(a)
        rb = b if (p := get(b)) is None else p if get(p) is None else find(b)
        fail = None
        if ra != rb:
            # (a first name the other's address or profile spells was misspelt: the names are
            # one person's whatever they look like, as with a shared profile)
            fail = refusal(ra, rb, check_names=not spelt, check_mail=True)
            if fail is None:
                merge(ra, rb)
        if fail is None:
            decided.append((a, b, score, "link", why))
            reason.setdefault(a, why)
            reason.setdefault(b, why)
            joined.append((a, b))
        elif keep_refused:
            decided.append((a, b, score, "no link", f"{why}; kept apart: {fail}"))
    return joined


def _current_roots(uf: _UnionFind, roots: pl.DataFrame) -> pl.DataFrame:
    """``roots`` (record_id, root; an earlier state of ``uf``) brought up to date, in order."""
    was = roots["root"].unique().to_list()
    now = (pl.DataFrame({"root": was, "now": uf.roots_of(was)}, schema={"root": pl.Int64, "now": pl.Int64})
           .filter(pl.col("root") != pl.col("now")))
    return (roots.join(now, on="root", how="left", maintain_order="left")
            .select("record_id", pl.coalesce("now", "root").alias("root")))


def _join_clean_groups(edges: list[tuple[int, int, int]], feat: pl.DataFrame, uf: _UnionFind,
                       reason: dict[int, str], whys: tuple[str, ...]) -> set[int]:
    """Join, in ``uf``, every group of records connected by ``edges`` that no guard could
    split, and set their reasons (the first kind of key each record was joined by). Returns
    the records of the other groups, to be unioned edge by edge."""
    if not edges:
        return set()
    groups = _edge_groups(edges)
    g = groups.join(feat.select("record_id", "fn", "ln", "slug"), on="record_id", how="left")
    bad = set(g.group_by("g").agg(pl.col("slug").drop_nulls().n_unique().alias("n")).filter(pl.col("n") > 1)["g"]
              .to_list())
    if uf.apart:
        bad |= set(groups.filter(pl.col("record_id").is_in(list(uf.apart)))["g"].to_list())
    named = (g.filter(pl.col("fn").is_not_null() | pl.col("ln").is_not_null()).select("g", "fn", "ln").unique())
    multi = named.join(named.group_by("g").len().filter(pl.col("len") > 1).select("g"), on="g")
    multi = multi.filter(~_among(bad))  # (a group already refused needs no names compared)
    if multi.height:
        cross = (multi.join(multi, on="g", suffix="_b")
                 .filter(~(pl.col("fn").eq_missing(pl.col("fn_b")) & pl.col("ln").eq_missing(pl.col("ln_b")))))
        tuples = cross.select("fn", "ln", "fn_b", "ln_b").unique()
        different = list(map(clearly_different, *(tuples[c].to_list() for c in tuples.columns)))
        clash = tuples.filter(pl.Series(different, dtype=pl.Boolean))
        bad |= set(cross.join(clash, on=["fn", "ln", "fn_b", "ln_b"], how="semi", nulls_equal=True)["g"].to_list())
    is_bad = _among(bad)
    clean = g.filter(~is_bad)
    rids, kinds = clean["record_id"].to_list(), clean["k"].to_list()
    firsts = zip(rids, map(whys.__getitem__, kinds))
    if reason:  # (a reason already given stays)
        firsts = [(rid, why) for rid, why in firsts if rid not in reason]
    reason.update(firsts)
    moved = clean.filter(pl.col("record_id") != pl.col("g"))
    uf.parent.update(zip(moved["record_id"].to_list(), moved["g"].to_list()))
    with_slug = moved.filter(pl.col("slug").is_not_null())
    for rid, gid in zip(with_slug["record_id"].to_list(), with_slug["g"].to_list()):
        slug = uf.slug.pop(rid, None)
        if slug is not None:
            uf.slug[gid] = slug
    names = uf.names  # each clean group's distinct names
    for gid, fn, ln in zip(*(named.filter(~is_bad)[c].to_list() for c in ("g", "fn", "ln"))):
        group_names = names.get(gid)
        if group_names is None:
            names[gid] = {(fn, ln)}
        else:
            group_names.add((fn, ln))
    return set(g.filter(is_bad)["record_id"].to_list())


def _among(groups: set[int]) -> pl.Expr:
    """Whether column ``g`` is one of ``groups``."""
    return pl.col("g").is_in(pl.Series(sorted(groups), dtype=pl.Int64).implode())


def _edge_groups(edges: list[tuple[int, int, int]]) -> pl.DataFrame:
    """One row per record at an end of ``edges`` (a, b, kind of key): its group of records
    connected by the edges (``g``, the group's smallest record id) and the first kind of
    key it was joined by (``k``, the smallest)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while (p := parent.get(root, root)) != root:
            root = p
        while x != root:
            parent[x], x = root, parent[x]
        return root

    # (a record is mostly a root or one step below its root, which two look-ups settle
    # without calling find)
    get = parent.get
    for a, b, _ in edges:
        ra = a if (p := get(a)) is None else p if get(p) is None else find(a)
        rb = b if (p := get(b)) is None else p if get(p) is None else find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    ends_a, ends_b, kinds = zip(*edges)
    first = (pl.DataFrame({"record_id": ends_a + ends_b, "k": kinds + kinds}, schema={"record_id": pl.Int64, "k": pl.Int64})
             .group_by("record_id").agg(pl.col("k").min()))
    roots = [r if (p := get(r)) is None else p if get(p) is None else find(r) for r in first["record_id"].to_list()]
    return first.with_columns(pl.Series("g", roots, dtype=pl.Int64))


def _work_by_root(feat: pl.DataFrame, roots: pl.DataFrame, touched: pl.DataFrame) -> dict[int, set[str]]:
    """root → the work (non-free-mail) addresses of its records, for the components of the
    records in ``touched`` (record_id): what the mail-clash guard compares."""
    mine = roots.join(roots.join(touched, on="record_id", how="semi").select("root").unique(), on="root", how="semi")
    work = (feat.select("record_id", "emails", "work_domains").filter(pl.col("work_domains").list.len() > 0)
            .join(mine, on="record_id").explode("emails").drop_nulls("emails")
            .filter(pl.col("work_domains").list.contains(pl.col("emails").str.split("@").list.last()))
            .select("root", "emails"))
    # (gathered here, from two plain columns, into sets: a polars list column is slow to
    # turn into lists, and sets drop the repeated addresses faster than polars would)
    by_root: dict[int, set[str]] = {}
    for root, email in zip(work["root"].to_list(), work["emails"].to_list()):
        addresses = by_root.get(root)
        if addresses is None:
            by_root[root] = {email}
        else:
            addresses.add(email)
    return by_root


def _component_orgs(feat: pl.DataFrame, roots: pl.DataFrame) -> pl.DataFrame:
    """record_id → corgs (the employers and work-mail domain names over its component),
    cheads (its employers' leading words, see match_features._org_heads), cemails (its addresses),
    cwork (its work-mail domains), cfree (its personal addresses), ctitles (its job titles)
    and cfiles (the files its records come from)."""
    j = feat.select("record_id", "orgs", "org_heads", "emails", "work_domains", "title", "file_id").join(roots, on="record_id")
    orgs = j.group_by("root").agg(pl.col("orgs").list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().unique().alias("corgs"),
                                  pl.col("org_heads").list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().unique()
                                  .alias("cheads"),
                                  pl.col("emails").list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().unique().alias("cemails"),
                                  pl.col("work_domains").list.explode(keep_nulls=False, empty_as_null=False).drop_nulls().unique().alias("cwork"),
                                  pl.col("title").drop_nulls().unique().alias("ctitles"),
                                  pl.col("file_id").drop_nulls().unique().alias("cfiles"))
    orgs = orgs.with_columns(pl.col("cemails").list.filter(free_mail_expr(pl.element().str.split("@").list.last()))
                             .alias("cfree"))
    return roots.join(orgs, on="root", how="left").select("record_id", "corgs", "cheads", "cemails", "cwork", "cfree",
                                                          "ctitles", "cfiles")


def _key_edges(feat: pl.DataFrame, key: str) -> list[tuple[int, int]]:
    """Edges between records sharing a slug, an email match key or an E.164 phone: within
    each group, records are ordered by name and each is linked to the next, so records
    with the same name are adjacent and a guard refusing one name does not cut the rest."""
    if key == "slug":
        exploded = feat.select("record_id", "fn", "ln", pl.col("slug").alias("k")).drop_nulls("k")
    else:
        exploded = feat.select("record_id", "fn", "ln", pl.col(f"{key}s").alias("k")).explode("k").drop_nulls("k")
    exploded = exploded.unique(["k", "record_id"])
    multi = exploded.group_by("k").len().filter(pl.col("len") > 1).select("k")
    if multi.height == 0:
        return []
    g = (exploded.join(multi, on="k").sort(["k", "ln", "fn", "record_id"], nulls_last=True)
         .with_columns(pl.col("record_id").shift(-1).over("k").alias("next")).drop_nulls("next"))
    edges = g.select(pl.min_horizontal("record_id", "next").alias("a"), pl.max_horizontal("record_id", "next").alias("b"))
    return edges.unique().sort("a", "b").rows()


def _bridged(x: Name, others: set[Name]) -> bool:
    """Whether one of ``others`` is surely the name ``x`` too: a person's records may hold a
    typo (Sarnh) and a nickname (Sally) of one name (Sarah) that look unlike each other, and
    two such people meet through the names each also holds. An initial is no bridge (J. Lee
    would join John and Jane)."""
    return any(z == x or (first_names_compatible(x[0], z[0]) >= 1 and surnames_compatible(x[1], z[1]) >= 1)
               for z in others)


def _slip_of(y: Name, names: set[Name], x: Name) -> bool:
    """Whether ``y`` is a misspelling of one of ``names`` (the names of the two people
    about to be joined) that is no clearly different name from ``x``: Diborah Chadham
    beside Deborah and Deb Chadham is Deborah misspelt, not a third name unlike Deb; Ted
    beside Edward and Edwrad is no name unlike Edwrad. Only a slip counts (a near
    spelling, never a nickname or an initial: Christina beside Chris and Christopher stays
    apart from Christopher)."""
    for z in names:
        if z == y or not (y[0] and y[1] and z[0] and z[1]):
            continue
        first, last = first_names_compatible(y[0], z[0]), surnames_compatible(y[1], z[1])
        if ((first == 1 and last >= 1) or (first == 3 and last == 1)) \
                and (z == x or not clearly_different(x[0], x[1], z[0], z[1])):
            return True
    return False


def _own_numbers(feat: pl.DataFrame, pairs: list[tuple[int, int]], names: dict[int, Name]) -> set[tuple[int, int]]:
    """Of ``pairs`` sharing a phone where one record has no surname (Google's "Elif" beside
    "Elif Karaca", one number): those whose first names agree and whose shared number no
    record of another surname carries. That is one person's own number saved twice; a
    switchboard shows as several surnames on one number (two Jessicas at one company share
    its number, and so do their colleagues)."""
    maybe = [(a, b) for a, b in pairs
             if (x := names.get(a)) and (y := names.get(b)) and bool(x[1]) != bool(y[1])
             and first_names_compatible(x[0], y[0]) >= 2]
    if not maybe:
        return set()
    ids = sorted({r for pair in maybe for r in pair})
    phones = feat.select("record_id", pl.col("phones").alias("k")).explode("k").drop_nulls("k")
    mine = phones.filter(pl.col("record_id").is_in(ids))
    families = (phones.join(mine.select("k").unique(), on="k").join(feat.select("record_id", "ln"), on="record_id")
                .group_by("k").agg(pl.col("ln").drop_nulls().unique().len().alias("surnames")))
    single = set(families.filter(pl.col("surnames") <= 1)["k"].to_list())
    numbers: dict[int, set[str]] = {}
    for record_id, number in mine.iter_rows():
        numbers.setdefault(record_id, set()).add(number)
    return {(a, b) for a, b in maybe if numbers.get(a, set()) & numbers.get(b, set()) & single}


def _surnames_agree(x: Name | None, y: Name | None) -> bool:
    """Two records on one phone number: both surnames known and alike, or the same words in
    another order; a record with no name is no evidence against. A shared first name is
    not enough: two Jessicas at one company share its number."""
    if not x or not y:
        return True
    (fa, la), (fb, lb) = x, y
    if la and lb:
        return surnames_compatible(la, lb) >= 1 or (fa == lb and la == fb)
    if not la and not lb:
        return fa == fb
    return False


def _ambiguous(scored: pl.DataFrame, roots: pl.DataFrame, comp_slug: pl.DataFrame) -> pl.DataFrame:
    """Link-level pairs (a, b, ambiguous=True) whose record also reaches another LinkedIn
    profile with a score within AMBIGUITY_MARGIN: the name is shared, so neither is taken."""
    cand = scored.filter((pl.col("score") >= LINK_THRESHOLD) & ~pl.col("slug_clash")).select("a", "b", "score")
    if cand.height == 0:
        return pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64, "ambiguous": pl.Boolean})
    slugs = roots.join(comp_slug, on="root").select("record_id", "slug")
    both = pl.concat([cand.select(pl.col("a").alias("r"), pl.col("b").alias("o"), "a", "b", "score"),
                      cand.select(pl.col("b").alias("r"), pl.col("a").alias("o"), "a", "b", "score")])
    both = both.join(slugs, left_on="o", right_on="record_id")
    per_slug = both.group_by("r", "slug").agg(pl.col("score").max())
    ranked = per_slug.sort("score", descending=True).group_by("r").agg(
        pl.col("score").first().alias("top"), pl.col("score").get(1, null_on_oob=True).alias("second"),
        pl.col("slug").first().alias("best"))
    bad = ranked.filter(pl.col("second").is_not_null())
    flagged = both.join(bad, on="r").filter(
        (pl.col("top") - pl.col("second") < AMBIGUITY_MARGIN) | (pl.col("slug") != pl.col("best")))
    return flagged.select("a", "b", pl.lit(True).alias("ambiguous")).unique()


def _torn(scored: pl.DataFrame, compared: pl.DataFrame, roots: pl.DataFrame) -> pl.DataFrame:
    """Link-level pairs (a, b, torn=True) of a record that reaches two people who were
    compared and found unlike (no pair of theirs scored at the floor or above): linking it
    to both would chain them into one person. It links only to a clear winner (by
    AMBIGUITY_MARGIN), and never to the other; both pairs wait for review. (Two people
    never compared, a named one and an address alone, say nothing against each other.)"""
    empty = pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64, "torn": pl.Boolean})
    cand = scored.filter((pl.col("score") >= LINK_THRESHOLD) & ~pl.col("slug_clash")).select("a", "b", "score")
    if cand.height == 0:
        return empty
    # each link-level pair from both ends: record r, the other's person oc
    both = pl.concat([cand.select(pl.col("a").alias("r"), pl.col("b").alias("o"), "a", "b", "score"),
                      cand.select(pl.col("b").alias("r"), pl.col("a").alias("o"), "a", "b", "score")])
    both = (both.join(roots.rename({"record_id": "r", "root": "rc"}), on="r")
            .join(roots.rename({"record_id": "o", "root": "oc"}), on="o").filter(pl.col("rc") != pl.col("oc")))
    per = both.group_by("r", "oc").agg(pl.col("score").max())
    many = per.filter(pl.len().over("r") > 1)
    if many.height == 0:
        return empty
    best = (many.sort(["score", "oc"], descending=[True, False]).group_by("r")
            .agg(pl.col("oc").first().alias("best"), pl.col("score").first().alias("top")))
    others = many.join(best, on="r").filter(pl.col("oc") != pl.col("best"))

    # (only the people a torn record reaches: their records' pairs are all that can connect them)
    reached = pl.DataFrame({"root": pl.concat([others["oc"], others["best"]]).unique()})
    mine = roots.join(reached, on="root", how="semi")["record_id"].implode()

    def between(p: pl.DataFrame) -> pl.DataFrame:
        """The pairs of people (x < y, as roots) that pairs of records p connect."""
        p = p.filter(pl.col("a").is_in(mine) & pl.col("b").is_in(mine))
        return (p.select("a", "b").join(roots, left_on="a", right_on="record_id")
                .join(roots, left_on="b", right_on="record_id", suffix="_b")
                .select(pl.min_horizontal("root", "root_b").alias("x"), pl.max_horizontal("root", "root_b").alias("y"))
                .unique())

    apart = (others.with_columns(pl.min_horizontal("oc", "best").alias("x"), pl.max_horizontal("oc", "best").alias("y"))
             .join(between(compared), on=["x", "y"], how="semi").join(between(scored), on=["x", "y"], how="anti"))
    flagged = pl.concat([apart.select("r", "oc"),
                         apart.filter(pl.col("top") - pl.col("score") < AMBIGUITY_MARGIN)
                         .select("r", pl.col("best").alias("oc"))]).unique()
    return both.join(flagged, on=["r", "oc"]).select("a", "b", pl.lit(True).alias("torn")).unique()


def _owner_roots(records: pl.DataFrame, uf: _UnionFind, owner: Owner) -> set[int]:
    names = {name_key(n) for n in owner.names} - {None}
    slug, emails = pl.col("linkedin_slug"), pl.col("emails").fill_null([])
    weak = slug.is_null() & (emails.list.len() == 0)
    mine = records.filter(slug.is_in(sorted(owner.linkedin_slugs))
                          | (emails.list.set_intersection(pl.lit(sorted(owner.emails), pl.List(pl.String))).list.len() > 0)
                          | (weak & pl.col("name_key").is_in(sorted(names))))
    return {uf.find(rid) for rid in mine["record_id"].to_list()}
