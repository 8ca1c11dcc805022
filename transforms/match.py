"""Fuzzy matching of person records: features, blocking, comparisons and match weights.

The model is Fellegi–Sunter as Splink does it: each field is compared at a few named
*levels*, each level carries a match weight (log2 of m/u: how much likelier that outcome
is for two records of one person than for two records of different people), the weights
are summed with a prior, and the sum is compared with named thresholds. The weights are
set by hand from what the fields mean (not trained), and documented where they are
(``match_weights``), except four measured on the data itself, on the groups of records
shared keys already joined: job titles' (``title_weights``), a shared file's
(``same_file_weights``), a whole name only two groups carry (``few_groups_weight``), and
phone numbers that differ (``phone_diff_weight``). What these say varies too much between
address books for one number to fit.

Everything here is vectorised with polars: Python runs once per *distinct* name, company
or string pair, never once per record or pair of records.

This module holds no code of its own: it names the matcher's public functions and
constants in one place, and each stage lives in a module named for it:

* ``transforms/match_weights.py``: thresholds and the hand-set match weights, each with what
  it means (every other stage reads these; it reads none);
* ``transforms/match_names.py``: name strings parsed into comparable parts, and two names
  compared one pair at a time (the reference levels, and the ``clearly_different`` guard);
* ``transforms/match_features.py``: one row of comparable forms per record (``features``);
* ``transforms/match_blocking.py``: blocking keys and the candidate pairs (``candidate_pairs``);
* ``transforms/match_levels.py``: the name comparison levels for whole columns at once,
  used by blocking and by comparisons;
* ``transforms/match_measured.py``: the weights measured on the data (``measure_weights``)
  and name frequencies (``NameCounts``);
* ``transforms/match_comparisons.py``: each pair's comparisons, summed into a score with a
  reason (``score_pairs``).

Clustering (deterministic links, the thresholds applied, the guards against wrong merges)
is ``transforms/resolve.py``.

A constant assigned here changes nothing: each stage module reads its own. Patch it where
it is used (a test setting ``transforms.match_comparisons.SCORE_CHUNK``, say).
"""

from __future__ import annotations

from transforms import (
    match_blocking, match_comparisons, match_features, match_levels, match_measured, match_names, match_weights,
)
from transforms.match_weights import (
    LINK_THRESHOLD, REVIEW_THRESHOLD, STORE_FLOOR, AMBIGUITY_MARGIN, PRIOR, W_FIRST_EXACT, W_FIRST_NICK, W_FIRST_TYPO,
    W_FIRST_INITIAL, W_FIRST_DIFF, W_FIRST_NEAR, W_FIRST_SPELT, W_LAST_EXACT, W_LAST_TYPO, W_LAST_DIFF, W_LAST_NEAR,
    W_SWAPPED, TF_CLIP, TYPO_COMMON_CLIP, W_ORG_SAME, W_ORG_DIFF, W_LOCAL_SAME, W_HANDLE_NAME, W_HANDLE_FULL,
    W_HANDLE_SHORT, TITLE_M_DEFAULT, TITLE_M_MIN, TITLE_M_MAX, TITLE_MIN_PAIRS, W_TITLE_MAX, W_TITLE_DIFF_MIN,
    W_WORK_MAIL_CLASH, W_EMAIL_DIFF, W_PERSONAL_MAIL_DIFF, W_PHONE_DIFF, W_PHONE_DIFF_MIN, PHONE_MIN_PAIRS,
    CROWD_GROUPS, CROWD_CLIP, W_SAME_FILE_MIN, SAME_FILE_MIN_GROUPS, FEW_GROUPS_NAMESAKES, FEW_GROUPS_PSEUDO,
    FEW_GROUPS_MIN_PROFILES, W_FEW_MAX, MIN_TYPO_LEN, FUZZY_NAME, CLEARLY_DIFFERENT,
)
from transforms.match_names import (
    NAME_PARTS, name_strings, parse_names, first_names_compatible, surnames_compatible, clearly_different,
    MIN_ROTATED_LEN,
)
from transforms.match_features import FEATURES, MIN_ORG_HEAD, features, PATTERN_CHUNK, title_key
from transforms.match_levels import name_levels, _blocking_level
from transforms.match_measured import (
    TitleWeights, title_weights, same_file_weights, few_groups_weight, phone_diff_weight, MeasuredWeights,
    measure_weights, NameCounts, name_counts,
)
from transforms.match_blocking import (
    MIN_HANDLE, MAX_BLOCK, MAX_SUB_BLOCK, blocking_keys, candidate_pairs, split_name_pairs, reversed_name_pairs,
    name_order_keys, crossed_name_pairs, handle_pairs,
)
from transforms.match_comparisons import EXPLODE_CHUNK, SCORE_CHUNK, SCORED, score_pairs

# Every module holding the matcher's code, this one aside: what it runs, so what the digests of
# "the matching code" hash (flows/people.py's resolver version, flows/name_parts.py's parser
# version). A new stage module belongs here.
STAGE_MODULES = (match_weights, match_names, match_features, match_levels, match_measured, match_blocking,
                 match_comparisons)
