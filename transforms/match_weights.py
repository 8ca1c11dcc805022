"""Matching, the numbers: thresholds and the hand-set match weights (log2 m/u).

Every stage module of the matcher reads its constants from here, and this module imports
none of them: it is the bottom of the matcher's dependency graph. What a weight means is
written beside it. The few weights measured on the data being resolved are computed in
``transforms.match_measured``, with their defaults and bounds here; how weights are summed
into a pair's score is ``transforms.match_comparisons``; the thresholds decide what
clustering (``transforms.resolve``) does with a scored pair: link it, keep it for review,
or leave it.
"""

from __future__ import annotations


# ------------------------------------------------------------------ thresholds

LINK_THRESHOLD = 5.0     # total weight at or above which a pair is linked
REVIEW_THRESHOLD = 0.0   # pairs in [REVIEW, LINK) are kept for the user's review, not linked
STORE_FLOOR = REVIEW_THRESHOLD  # compared pairs below this are "no link" and not stored (millions at scale)
AMBIGUITY_MARGIN = 4.0   # a record matching two LinkedIn profiles links only to a clear winner

# ------------------------------------------------------------------ match weights (log2 m/u)

# Prior: most pairs sharing a blocking key are still different people (one common surname
# and an initial meet many), so the evidence has to overcome this.
PRIOR = -8.0
# First names. Exact: a same-surname pair that also shares the first name. Nickname (Bob ~
# Robert) a little weaker, a one-edit typo (Jaro-Winkler >= FUZZY_NAME) weaker still; an
# initial (J. ~ John) is only weak evidence. A clearly different first name almost rules
# a match out (m ~ 0.3% from data-entry errors we cannot read through).
W_FIRST_EXACT, W_FIRST_NICK, W_FIRST_TYPO, W_FIRST_INITIAL, W_FIRST_DIFF = 5.0, 4.0, 3.0, 1.0, -9.0
# Short first names one letter apart and still alike (Yaw ~ Yaaw, Kevin ~ Kovin, Emi ~ Emmi)
# are as often another name as a slip (Mark ~ Mary): a doubt, not a verdict. Other fields
# (company, title, an address spelling the name) have to carry such a pair.
W_FIRST_NEAR = -4.0
# A first name unlike the other's, with the same surname, where one record's address or
# LinkedIn profile spells the other's name (whole or short) and not its own: its first name
# was misspelt or cut (Lucius Esuela at linkedin.com/in/lucia-esuela ~ Lucia Esuela). The
# first names then weigh as an initial does, instead of W_FIRST_DIFF or W_FIRST_NEAR: at a
# million records, weighing it as a typo linked namesakes of the name spelt (92% right).
W_FIRST_SPELT = W_FIRST_INITIAL
# Surnames. Exact ~ 1 in 200 random pairs agree (u) against ~ 95% of matches (m).
W_LAST_EXACT, W_LAST_TYPO, W_LAST_DIFF = 7.0, 4.5, -14.0
# Surnames one letter apart and still alike, yet not alike enough for a typo (Cheo ~ Chen,
# Zhoo ~ Zhou, Sonl ~ Song: a slip at the end of a short name): as often another family's
# name (Chan ~ Chen) as a slip, so no evidence either way; the first name, employer and title
# have to carry the pair. (As W_LAST_DIFF, such a slip ruled out every other agreement.)
W_LAST_NEAR = 0.0
W_SWAPPED = -0.5         # names written in the other order (Smith Robert): a small doubt
# Term frequency: a common first name or surname agreeing says less than a rare one.
# Added to an exact agreement: log2(mean agreement probability / this value's), clipped.
TF_CLIP = 4.0
# A surname one edit from another (Hansen ~ Hanzen) is a slip when the odd spelling is
# rare; when many records carry it too, it is most likely another family's name (Hansen ~
# Hanson), common in a big address book. Such a surname typo counts log2(records carrying
# the rarer spelling) less, up to TYPO_COMMON_CLIP. Not for a surname that contains the
# other (Tequeira ~ Tequeira Malhão: a double surname), nor for first names, whose common
# spellings are the ones people mix up writing someone's name (Sara ~ Sarah, Jon ~ John).
TYPO_COMMON_CLIP = 4.0
# Company (over the employers and work-mail domains seen on each side's records, since a
# person's older records show older jobs). Different companies is weak evidence against:
# people change jobs, and older exports keep the old employer.
W_ORG_SAME, W_ORG_DIFF = 5.0, -2.5
# Emails (the same address links deterministically, before scoring).
W_LOCAL_SAME = 3.0       # same local part at different domains, not just the name (tianlin1995@a / @b)
W_HANDLE_NAME = 1.5      # an email local part or LinkedIn slug that spells the other's name
# A record with no name at all (a calendar attendee known by address only) has just its
# address's user name: one spelling the other's whole name (harutosakagawa) counts as both
# names agreeing; a shortened form (hsakagawa, harutos) as an initial and a surname.
W_HANDLE_FULL, W_HANDLE_SHORT = W_FIRST_EXACT + W_LAST_EXACT, W_FIRST_INITIAL + W_LAST_EXACT
# Job titles: their weights are measured on the data being resolved (``title_weights``): m,
# how often one person's records agree on a title, from records already joined by a shared
# address, profile or phone; u, how often two people's do, from each title's share. A rare
# title agreeing says more than "Software Engineer"; titles that disagree count against
# as much as the data says people keep theirs. Clipped, and m within bounds, so a small or
# odd address book cannot make titles decide alone.
TITLE_M_DEFAULT, TITLE_M_MIN, TITLE_M_MAX = 0.8, 0.5, 0.95
TITLE_MIN_PAIRS = 50      # same-person title pairs needed to measure m (else the default)
W_TITLE_MAX, W_TITLE_DIFF_MIN = 4.5, -4.5
W_WORK_MAIL_CLASH = -8.0  # different addresses at the same non-free domain: two colleagues
W_EMAIL_DIFF = -1.0      # both have addresses, none shared
W_PERSONAL_MAIL_DIFF = -2.5  # both have personal (free-mail) addresses, none shared
# Both have E.164 numbers, none shared. How much that says is measured on the data
# (``phone_diff_weight``): m, how often two records sharing an email address or a LinkedIn
# profile (one person) both have numbers and share none; u ~ 1 (two people rarely share a
# number). People have several numbers and change them with jobs, so it is bounded, and
# on too little data the default applies.
W_PHONE_DIFF = -1.0
W_PHONE_DIFF_MIN = -4.0
PHONE_MIN_PAIRS = 50      # same-person pairs with numbers needed to measure it

# A whole name carried by more than CROWD_GROUPS separate groups of records (records joined
# by shared keys) is likely more than one person's: both names agreeing then counts
# log2(groups / CROWD_GROUPS) less, up to CROWD_CLIP. (One person's records often form two
# groups: a LinkedIn row and an address-book card with no key in common.) Term frequencies
# of the first name and surname alone miss this: Yulia and Bogsky are each unremarkable.
CROWD_GROUPS, CROWD_CLIP = 2, 8.0
# One file (an address book, a calendar) rarely holds two records of one person that share
# no address, profile or phone, and often holds two namesakes: two people each with a record
# in the same file count against by how much, measured per file (``same_file_weights``):
# m, how often a person's records already joined by shared keys hold two from that file; u,
# how often two people both have records there. At most this much against:
W_SAME_FILE_MIN = -4.0
SAME_FILE_MIN_GROUPS = 50  # multi-record people needed to measure a file (else no weight)

# A whole name carried by CROWD_GROUPS groups or fewer is most likely one person's, and how
# likely is measured on the data (``few_groups_weight``): of the names two groups carry, the
# share where both groups have a LinkedIn profile is the share of namesakes times the chance
# two people both have one (one person's two groups never both do). Both names agreeing
# then weigh the odds that says (plus the first-name and surname frequencies), shrunk
# towards FEW_GROUPS_NAMESAKES on little data.
FEW_GROUPS_NAMESAKES = 0.025  # namesakes among names two groups carry, before the data speaks
FEW_GROUPS_PSEUDO = 200       # ... and how many names' worth of weight that guess has
FEW_GROUPS_MIN_PROFILES = 0.1  # below this share of groups with a profile, the data says nothing
W_FEW_MAX = 3.0               # the most it can add to both names agreeing

MIN_TYPO_LEN = 4          # a name this short one edit from another is another name (li ~ lin)
FUZZY_NAME = 0.90        # Jaro-Winkler similarity for a one-edit typo in a name
CLEARLY_DIFFERENT = 0.80  # below this similarity (and no nickname/initial), names are different people
