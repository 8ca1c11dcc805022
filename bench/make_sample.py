#!/usr/bin/env python3
r"""Write a synthetic inbox (LinkedIn, Google/Apple contacts, calendar) for demos and benchmarks.

Everything here is invented: people, companies, slugs, e-mail addresses, phone numbers and message
texts are drawn from small built-in lists by seeded ``random.Random`` generators, so the same
arguments always give the same bytes (no wall clock anywhere). No real person's data is used:
e-mail domains are ``*.example`` or example.com/org/net, phone numbers come from ranges reserved
for fiction (Swedish 070-174 06 05..99 and 031-390 06 xx, US 555-0100..0199, UK 07700 900xxx).

The owner is Mara Lindqvist (Northwind Analytics, ``mara.lindqvist@northwind.example``). The
default output is ``data/sample/inbox/`` plus ``data/sample/manifest.json`` (export date, owner,
e-mails, file list)::

    inbox/linkedin/{Connections,messages,Invitations,Profile}.csv
    inbox/google/contacts.csv
    inbox/apple/contacts.vcf
    inbox/calendar/calendar.ics

The LinkedIn files come first and from their own generator; the other exports use a second one
(seeded from the same seed), so the LinkedIn bytes do not depend on them (``--linkedin-only``
writes just those). They copy the byte-level format of real exports (see the shared reference
``export-formats.md``):

LinkedIn, 2024-12 era (section 1):

* ``Connections.csv``: the 375-byte ``Notes:`` preamble, then
  ``First Name,Last Name,URL,Email Address,Company,Position,Connected On``; ``DD Mon YYYY`` dates,
  newest first; UTF-8 without BOM, LF, no trailing newline; ~2% e-mails filled; ~3% rows without
  company and position; ghost rows such as ``,,,,,,14 Sep 2024``; names with credentials
  (``"Okafor, PhD"``), emoji, "fancy" math letters and trailing spaces; non-ASCII slugs
  percent-encoded (``linn%C3%A9a-...``).
* ``messages.csv``: the 12-column header ending in ``IS MESSAGE DRAFT,IS CONVERSATION DRAFT``;
  ``YYYY-MM-DD HH:MM:SS UTC`` dates; rows grouped by conversation (latest conversation first) and
  newest first inside one; the owner is sender or recipient in every conversation; group threads
  whose TO names and RECIPIENT PROFILE URLS are joined by a bare ``,``; a few drafts (``Yes``);
  ``LinkedIn Member`` rows with an empty sender URL (sponsored ones carry HTML); some HTML
  entities; non-ASCII slugs in raw Unicode.
* ``Invitations.csv``: ``From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl``
  with ``"12/15/24, 7:47 AM"`` dates, for connections of the last year plus a few pending ones.
* ``Profile.csv``: the owner (2024 header; birth date without year).

Social structure (counts for the default 300 people; they scale with --people):

* very close (5): an exchange every 1-3 weeks since 2019-2020; 1-2 went quiet 2-5 months ago.
* close (15): roughly monthly; a third went quiet 3-8 times their usual gap before the export.
* medium (40): every 2-4 months; 30% went quiet 3-6 gaps ago.
* light (80): 1-3 exchanges ever, 30% one-way (only the owner wrote, or only they did).
* the rest: connection only. Connection dates run 2014..export date; messages 2019..export date.
* extras: 4 group threads among active contacts (the first has a member whose name holds ", "),
  3 sponsored rows + 1 hidden sender (LinkedIn Member), 2 InMails from recruiters who are not
  connections, 2 drafts in threads with quiet contacts + 1 draft-only conversation, 2 empty
  CONTENT rows, and one deliberate pair of connections sharing a display name.

Google Contacts CSV, current layout (section 2.1), ``google/contacts.csv``: the 17 fixed columns
``First Name,…,Labels`` then repeating groups in Google's order (``E-mail N``, ``Phone N``,
``Address N``, ``Relation N``, ``Website N``), as many as the fullest row needs; UTF-8 without
BOM, CRLF (unverified for modern exports). About 60 connections (every very close contact, most
close and medium ones, a few light and connection-only ones, those with a LinkedIn e-mail among
them) plus 5 people who are not on LinkedIn (her manager and a teammate at Northwind, an
ex-colleague, two friends who are a couple: ``Relation 1``). Names as the owner typed them: no
emoji or fancy letters, credentials in ``Name Suffix``, a few without diacritics (``Bjorn``).
Work address ``first.last@<company>.example`` (``* Work``; two typed ``First.Last@``), personal
``…@gmail.example``-style (``Home``), LinkedIn's own e-mail as ``Other``; `` ::: `` joins two
values under one label (an old work address, two phones); phones mixed ``+46 70 174 06 12``,
``070-174 06 12``, ``+1 415-555-0123``, ``(415) 555-0123``, ``+44 7700 900123``; birthdays
``YYYY-MM-DD`` or ``--MM-DD``; Labels such as ``Friends ::: * myContacts ::: * starred``;
multi-line quoted notes and addresses; ~75% of the connections carry their profile in
``Website 1 - Value`` (label ``Profile`` or empty; raw, with a trailing ``/``, without scheme, or
percent-encoded); one person saved twice (a first-name-only row with just a phone).

Apple Contacts vCard 3.0 (section 3.1), ``apple/contacts.vcf``: ~27 people sorted by last name,
the owner's own card (two e-mails, ``BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-09``, LinkedIn social
profile, a two-space-folded base64 PNG ``PHOTO``) and one company card (``X-ABShowAs:COMPANY``).
About 19 overlap with the Google CSV, each in one style: same work e-mail, only a personal
(sometimes new) e-mail, only a phone, or work e-mail + ``X-SOCIALPROFILE;type=linkedin`` (with
``x-user=`` and Apple's ``http\://`` escape, or plain); the rest are light or connection-only
LinkedIn people. ``itemN.EMAIL``/``itemN.TEL`` with ``itemN.X-ABLabel:_$!<Work>!$_`` next to
plain ``EMAIL;type=INTERNET;type=WORK;type=pref``; phones written internationally (the Google
row may hold the national form); ``BDAY:YYYY-MM-DD`` or the Apple no-year form; escaped ``\,``
and ``\n`` in long NOTEs; ``X-ABUID:…\:ABPerson``; CRLF; lines folded at 75 octets.

Google Calendar export (section 4.2), ``calendar/calendar.ics``: ``X-WR-CALNAME`` is the owner's
work address, ``X-WR-TIMEZONE:Europe/Stockholm``, VTIMEZONEs for Stockholm and Los Angeles;
single events in UTC (``…Z``), series and their overrides with ``TZID``; Google UIDs
(``…@google.com``), one fixed ``DTSTAMP`` (export date 08:14:27Z), CREATED/LAST-MODIFIED before
it, ``STATUS:CONFIRMED``; ATTENDEE with CUTYPE/ROLE/PARTSTAT/RSVP/CN/X-NUM-GUESTS (CN is the
address itself for ~30% of outside people); CRLF, folded at 75 octets. The calendar starts ~760
days before the export. Meetings follow the LinkedIn stories: nobody who went quiet is met on or
after the day of their last message, and medium contacts are met at most every ~1.2-2.5 gaps.

* series: weekly 1:1 with the manager, split by a "this and following" edit (``UNTIL`` on the
  first part, ``<uid>_R<start>`` open-ended second part); biweekly with an active very close
  contact (``UNTIL`` after the export, holiday ``EXDATE``s, one occurrence moved by a
  ``RECURRENCE-ID`` override); weekly fika with the very close contact who went quiet (``UNTIL``
  before their last message, one ``STATUS:CANCELLED`` override); a monthly ``COUNT`` call run by
  a close contact in ``America/Los_Angeles``; every-4-weeks (``UNTIL``) and monthly (``COUNT``)
  1:1s with two close contacts who went quiet, ending before their silence.
* ad hoc: coffees, lunches and calls (30 or 60 min) with ~28 close/medium contacts, two medium
  connections who are in no address book (only the calendar has their e-mail) and the
  ex-colleague; one invitation the other person declined; some booked with a room.
* group: the recent LinkedIn group threads met in person, a Data Guild committee meeting, and a
  weekly team sync (``COUNT``); 3-6 people each, with a room.
* broadcast: a monthly all-hands (open-ended RRULE, July skipped by a comma-joined ``EXDATE``)
  with ~40 attendees, mostly colleagues who exist only in the calendar, and an auditorium.
* a meeting the owner declined (``PARTSTAT=DECLINED``), from a light contact.
* all day: a two-day team offsite (``VALUE=DATE``, exclusive DTEND) with attendees.
* personal: blocks without attendees (a weekly focus time, appointments, summer holidays).
* scheduled: after the export, a dinner with a very close contact, a catch-up a quiet medium
  contact has not answered (``NEEDS-ACTION``), a guild meetup; plus the series still running.
* rooms are ``CUTYPE=RESOURCE;ROLE=REQ-PARTICIPANT`` at ``c_…@resource.calendar.google.com``.

Usage: python bench/make_sample.py [--out INBOX] [--people N] [--seed S]
                                   [--export-date YYYY-MM-DD] [--zip] [--linkedin-only]
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import random
import re
import unicodedata
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "sample" / "inbox"
MANIFEST_PATH = REPO_ROOT / "data" / "sample" / "manifest.json"
DEFAULT_PEOPLE = 300
DEFAULT_SEED = 42
DEFAULT_EXPORT_DATE = "2026-11-16"

PROFILE_PREFIX = "https://www.linkedin.com/in/"

# The exact first three lines of every real export since 2021 (375 bytes, md5 07e2f824...).
NOTES_PREAMBLE = (
    b"Notes:\n"
    b'"When exporting your connection data, you may notice that some of the email addresses are'
    b" missing. You will only see email addresses for connections who have allowed their"
    b" connections to see or download their email address using this setting"
    b" https://www.linkedin.com/psettings/privacy/email. You can learn more here"
    b' https://www.linkedin.com/help/linkedin/answer/261"\n'
    b"\n"
)
assert len(NOTES_PREAMBLE) == 375

CONNECTIONS_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                      "Connected On"]
MESSAGES_HEADER = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                   "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
                   "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
INVITATIONS_HEADER = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl",
                      "inviteeProfileUrl"]
PROFILE_HEADER = ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline",
                  "Summary", "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites",
                  "Instant Messengers"]

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# --- invented vocabulary ----------------------------------------------------------------------

OWNER_FIRST, OWNER_LAST = "Mara", "Lindqvist"
OWNER_SLUG = "mara-lindqvist-4b7e21"
OWNER_COMPANY = "Northwind Analytics"

# (first names, last names) per naming culture; combinations are random, nobody real is meant.
CULTURES: dict[str, tuple[list[str], list[str]]] = {
    "english": (["Grace", "Oliver", "Hannah", "James", "Chloe", "Daniel", "Emily", "Samuel",
                 "Ruth", "Callum", "Isla", "Owen"],
                ["Whitfield", "Harper", "Ellison", "Brooks", "Fletcher", "Marsh", "Pryce",
                 "Calloway", "Thornbury", "Ashby", "Kettering", "Dunmore"]),
    "nordic": (["Linnéa", "Åsa", "Björn", "Maja", "Elin", "Oskar", "Jonas", "Ingrid", "Måns",
                "Frida", "Henrik", "Sigrid"],
               ["Åberg", "Lindgren", "Söderberg", "Nyström", "Bergqvist", "Holm", "Ekström",
                "Sjöberg", "Dahl", "Lund", "Østergaard", "Håkansson"]),
    "german": (["Jürgen", "Lena", "Felix", "Anja", "Matthias", "Sophie", "Lukas", "Käthe",
                "Jonas", "Greta"],
               ["Müller", "Schäfer", "Becker", "Hoffmann", "Krüger", "Vogel", "Brandt", "Weiß",
                "Hartmann", "Lorenz"]),
    "polish": (["Łukasz", "Agnieszka", "Paweł", "Zofia", "Tomasz", "Małgorzata", "Krzysztof",
                "Ola"],
               ["Wiśniewski", "Kowalczyk", "Nowak", "Zieliński", "Wójcik", "Kamińska",
                "Dąbrowski", "Pawlak"]),
    "iberian": (["José", "Lucía", "Mateo", "Inês", "João", "Camila", "Rafael", "Sofía"],
                ["Peña", "García", "Ferreira", "Núñez", "Ortega", "Castillo", "Gonçalves",
                 "Romero"]),
    "french": (["Hélène", "Théo", "Camille", "Léa", "Mathieu", "Chloé", "Étienne", "Margaux"],
               ["Lefèvre", "Dubois", "Moreau", "Girard", "Rousseau", "Faure", "Lemaître",
                "Bonnet"]),
    "turkish": (["Çağla", "Emre", "Elif", "Burak", "Zeynep", "Oğuz", "Deniz", "Selin"],
                ["Yıldız", "Demir", "Şahin", "Aydın", "Kaya", "Öztürk", "Arslan", "Koç"]),
    "nigerian": (["Chidi", "Amara", "Ngozi", "Tunde", "Folake", "Emeka", "Adaeze", "Kelechi"],
                 ["Okafor", "Adeyemi", "Okoye", "Balogun", "Eze", "Nwosu", "Afolabi", "Obi"]),
    "indian": (["Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Nikhil"],
               ["Raman", "Iyer", "Sharma", "Nair", "Kulkarni", "Menon", "Reddy", "Bose"]),
    "chinese": (["Wei", "Mei", "Jun", "Xiaoling", "Hao", "Yan", "Lin", "Jie"],
                ["Chen", "Wang", "Zhang", "Liu", "Huang", "Zhou", "Xu", "Lin"]),
    "japanese": (["Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Kaito", "Sakura"],
                 ["Sato", "Tanaka", "Watanabe", "Ito", "Nakamura", "Kobayashi", "Yamamoto",
                  "Mori"]),
    "korean": (["Minji", "Jisoo", "Hyun", "Seojun", "Yuna", "Dongwoo"],
               ["Kim", "Park", "Choi", "Jung", "Kang", "Yoon"]),
    "arabic": (["Layla", "Omar", "Yara", "Karim", "Nour", "Samir", "Rania", "Tariq"],
               ["Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Farah", "Aziz", "Hamdan"]),
    "ukrainian": (["Oksana", "Taras", "Yaryna", "Dmytro", "Olena", "Andriy", "Iryna", "Bohdan"],
                  ["Kovalenko", "Shevchuk", "Melnyk", "Bondarenko", "Tkachenko", "Kravets",
                   "Hrytsenko", "Marchenko"]),
    "vietnamese": (["Linh", "Minh", "Thao", "Duc", "Huong", "Quang"],
                   ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu"]),
}
ACCENTED_CULTURES = ["nordic", "german", "polish", "iberian", "french", "turkish"]

# More names per culture, used only when ``wide_names`` is switched on (bench/personal_network.py
# does; the bundled sample never does, so its bytes do not change). CULTURES alone hold ~1,100
# full names: past ~1,000 people every name repeats, which no real network looks like. With
# these, full names are drawn from ~100,000, and a namesake appears at NAMESAKE_RATE: the rate
# at which a real network of professionals holds two people of one name (common Chinese,
# Korean, Vietnamese and Indian names above all).
EXTRA_NAMES: dict[str, tuple[list[str], list[str]]] = {
    "english": ("Alice Ben Charlotte Edward Fiona George Harriet Isaac Jack Katie Lucy Matthew Nina Peter "
                "Rosie Thomas Victoria William Zoe Adam Bethany Connor Eleanor Freddie Georgia".split(),
                "Thompson Carter Holloway Pemberton Radcliffe Ainsworth Blackwood Cartwright Drayton Fairbanks "
                "Goodwin Hargreaves Ingram Jennings Kingsley Lockwood Merriweather Northcott Oakley Penrose "
                "Quayle Rowntree Stanhope Tennant Underwood".split()),
    "nordic": ("Anders Astrid Britt Dag Ebba Erik Freja Gustav Hedda Ida Johan Karin Lars Liv Magnus "
               "Nils Saga Sven Tove Ulf Vera Alva Kjell Rune Solveig".split(),
               "Andersson Björklund Carlsson Engström Forsberg Gustafsson Hedlund Isaksson Jansson Karlsson "
               "Lundqvist Magnusson Nordin Olsson Persson Rydberg Sandberg Törnqvist Wallin Öberg Backman "
               "Dahlberg Fredriksson Hellström Norberg".split()),
    "german": ("Andreas Birgit Christian Doris Florian Heike Jan Katrin Markus Nina Ralf Sabine Tobias "
               "Ute Wolfgang Johanna Moritz Paul Frieda Leon Clara Emil Lotte Niklas Ida".split(),
               "Schneider Fischer Wagner Schulz Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann "
               "Braun Hofmann Schmitt Werner Krause Meier Lehmann Köhler Herrmann König Walter Mayer Huber".split()),
    "polish": ("Anna Bartosz Dorota Grzegorz Jakub Joanna Kamil Katarzyna Marek Marta Michał Natalia "
               "Piotr Renata Szymon Wojciech Weronika Adam Ewa Filip Hanna Igor Julia Kacper Magdalena".split(),
               "Lewandowski Szymański Woźniak Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Kaczmarek "
               "Piotrowski Grabowski Zając Król Wieczorek Jabłoński Wróbel Majewski Olszewski Stępień Malinowski "
               "Jaworski Adamczyk Dudek Nowicki Górski".split()),
    "iberian": ("Alejandro Beatriz Carlos Diego Elena Fernando Gabriela Hugo Isabel Javier Laura Manuel "
                "Nuria Pablo Raquel Sergio Teresa Vicente Marta Andrés Rosa Tiago Leonor Duarte Clara".split(),
                "Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno "
                "Álvarez Muñoz Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Serrano Blanco Costa".split()),
    "french": ("Antoine Aurélie Baptiste Céline Damien Élodie Florian Gaëlle Hugo Inès Julien Laure "
               "Maxime Noémie Pierre Quentin Sandrine Thibault Valérie Yann Amélie Benoît Corentin Manon Zoé".split(),
               "Martin Bernard Thomas Petit Robert Richard Durand Leroy Simon Laurent Michel Garcia David "
               "Bertrand Roux Vincent Fournier Morel Mercier Blanc Guérin Boyer Garnier Chevalier François".split()),
    "turkish": ("Ahmet Ayşe Barış Cem Derya Ece Fatma Gökhan Hakan İpek Kerem Leyla Mehmet Merve Murat "
                "Nazlı Onur Pınar Serkan Tuğba Ufuk Volkan Yasemin Zehra Can".split(),
                "Çelik Yılmaz Doğan Özdemir Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Erdoğan "
                "Güneş Aktaş Yurt Bozkurt Tekin Ünal Aksoy Karaca Taş Uçar Bulut".split()),
    "nigerian": ("Ayodele Bolaji Chinedu Damilola Efe Funmilayo Gbenga Ifeoma Jide Kemi Lanre Nkechi "
                 "Obinna Segun Temitope Uche Yetunde Zainab Bisi Ikenna Oluwaseun Chiamaka Ade Nneka Femi".split(),
                 "Adebayo Oyelaran Nnamdi Ogunleye Chukwu Olawale Akinola Ibekwe Onyekachi Oladipo Ezeh "
                 "Agbaje Okonkwo Uzor Bankole Ogbonna Adeleke Fashola Iwu Ojo Sowemimo Anyanwu Olatunji Ike Udeh".split()),
    "indian": ("Aditi Aarav Deepa Gaurav Isha Karan Lakshmi Manish Neha Pooja Rahul Sanjay Shreya Sunil "
               "Tanvi Varun Aishwarya Harish Divya Kiran Ravi Swati Amit Nandini Siddharth".split(),
               "Patel Gupta Singh Kumar Desai Joshi Mehta Pillai Rao Chatterjee Banerjee Mukherjee Agarwal "
               "Krishnan Srinivasan Verma Bhat Chopra Malhotra Kapoor Shetty Naidu Ghosh Mishra Pandey".split()),
    "chinese": ("Xin Yu Fang Lei Ming Qiang Ying Hui Tao Jing Bo Na Peng Li Xiaoyu Chen Hong Ping Yong "
                "Zhen Kai Rui Yi Feng Xue".split(),
                "Yang Wu Zhao Sun Ma Zhu Hu Guo He Gao Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng "
                "Zeng Xiao Tian Dong".split()),
    "japanese": ("Akira Ayaka Daiki Emi Haruka Hiroshi Kenji Mai Naoki Riko Ryo Saki Shota Takumi Yuki "
                 "Yusuke Kenta Misaki Nanami Kazuki Asuka Tomoya Rin Hayato Mio".split(),
                 "Suzuki Takahashi Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu "
                 "Yamazaki Ikeda Hashimoto Abe Ishikawa Ogawa Fujita Okada Goto Hasegawa Murakami Kondo "
                 "Ishii Sakamoto".split()),
    "korean": ("Jiwoo Seoyeon Minho Hayun Junseo Subin Taeyang Eunji Jihoon Sora Hyejin Woojin Chaeyoung "
               "Sungmin Dahye Jaehyun Yeji Hyunwoo Nari Kyungsoo".split(),
               "Lee Cho Yoo Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Hong Baek".split()),
    "arabic": ("Ahmad Amira Bilal Dina Fadi Hala Hassan Jana Khaled Lina Mahmoud Mariam Nabil Reem Sami "
               "Salma Walid Yousef Zain Huda Rami Leila Majed Nadia Faris".split(),
               "Abbas Bakr Darwish Fakhoury Habib Ibrahim Jaber Kassem Matar Nasr Qasim Rahal Sabbagh Taha "
               "Yassin Zaki Awad Barakat Hijazi Issa Karam Maalouf Shami Tannous Zein".split()),
    "ukrainian": ("Anastasiia Bohdana Vasyl Halyna Yurii Kateryna Maksym Nataliia Oleh Petro Roman "
                  "Sofiia Viktor Yulia Zakhar Larysa Mykola Svitlana Ivan Khrystyna Serhii Daryna Artem "
                  "Liliia Volodymyr".split(),
                  "Savchenko Boyko Kovalchuk Oliinyk Shevchenko Polishchuk Lysenko Moroz Pavlenko Rudenko "
                  "Klymenko Levchenko Ponomarenko Kharchenko Tymoshenko Vasylenko Zinchenko Honcharenko "
                  "Hnatiuk Fedorenko Sydorenko Yatsenko Babenko Didenko Panchenko".split()),
    "vietnamese": ("Anh Bao Chau Dung Giang Hai Hanh Hieu Khanh Lan Long Mai Nam Phuong Son Tam Thanh "
                   "Trang Tuan Vy Yen Hung Ngoc Quynh Khoa".split(),
                   "Dang Bui Do Ho Ngo Duong Ly Truong Dinh Lam Phan Vo Mai Trinh Ha".split()),
}
NAMESAKE_RATE = 0.006  # with wide names, the share of people who share a whole name with someone before
MIXED_SURNAME_RATE = 0.3  # with wide names, a surname from another culture's list (~100,000 full names in all)
wide_names = False     # switched on by callers that want realistic namesakes (never the bundled sample)


def culture_names(culture: str) -> tuple[list[str], list[str]]:
    """The first names and surnames a culture draws from: CULTURES, and with ``wide_names``
    EXTRA_NAMES too."""
    firsts, lasts = CULTURES[culture]
    if not wide_names:
        return firsts, lasts
    more_first, more_last = EXTRA_NAMES.get(culture, ([], []))
    return firsts + more_first, lasts + more_last
CREDENTIALS = ["PhD", "MBA", "CFA", "PMP", "Ph.D."]
EMOJI = ["🚀", "🌱", "☕", "🌍", "✨"]

COMPANIES = [
    "Northwind Analytics", "Blue Harbor Labs", "Quillfeather Inc.", "Lumen Foundry",
    "Copperleaf Systems GmbH", "Tidewater Logistics", "Saltmarsh Health", "Redwick & Vane LLP",
    "Nordlys Energi AS", "Brightwell Robotics", "Kestrel Payments Ltd", "Ferncastle Studios",
    "Orchard Lane Capital", "Granite Peak Software", "Halcyon Bio", "Meridian Loop",
    "Pinecrest Analytics", "Silverbirch Consulting", "Tallgrass Media", "Ironbark Security",
    "Vela Mobility S.A.", "Sundial Learning", "Wavecrest Insurance", "Emberline Games",
    "Foxglove Pharma AB", "Cobalt Ridge Partners", "Stellwerk Daten GmbH", "Marigold Foods",
    "Aurora Fjord Systems AS", "Kumo Works K.K.", "Ясень Софт", "نخلة للتقنية",
    "Freelance", "Self-employed",
]
POSITIONS = [
    "Data Engineer", "Senior Product Manager", "Engineering Manager", "UX Researcher",
    "Founder & CEO", "Head of Growth", "Talent Acquisition Partner", "Software Engineer",
    "Staff Engineer", "Director, Partnerships", "VP, Sales, EMEA", "Account Executive",
    "Analytics Lead", "Research Scientist", "Marketing Manager", "CTO", "Consultant",
    "PhD Candidate", "Operations Lead", "Product Designer", "Data Scientist",
    "Head of People, Nordics", "Customer Success Manager", "Solutions Architect",
]
TOPICS = ["the dbt migration", "your talk last week", "the hiring plan", "the Q3 roadmap",
          "that pricing experiment", "the conference in Lisbon", "your new role",
          "the analytics guild", "the podcast episode", "the open-source release", "the offsite",
          "our mentoring sessions", "the survey results", "the reading list"]
OPENERS = [
    "Hi {first}, how are things at your end?", "Hey {first}!  Long time. Coffee next week?",
    "Hi {first},  quick question about {topic}.", "{first}, did you see the news about {topic}?",
    "Morning {first}! Sharing this in case it’s useful: https://example.com/notes/{n}",
    "Hi {first}, thinking of you after {topic}. How did it go?",
    "Hey {first}, are you around for a call on {day}?",
    "Hi {first},  congrats on the new chapter! Let’s catch up soon.",
    "{first}! I owe you a reply about {topic}, sorry for the delay.",
    "Hej {first}, tack för senast!", "Hi {first}, any chance you could intro me to your team?",
    "Hi {first}, I’m putting together notes on {topic}. Can I pick your brain?",
]
REPLIES = [
    "Great to hear from you! {day} works.", "Thanks, that’s really helpful.",
    "Ha, yes! Let’s do it.", "Sounds good, talk soon.", "Sure, send me a calendar invite.",
    "Not yet, but I’ll take a look tonight.", "Busy weeks here, but all good. You?",
    "Absolutely. I’ll share the doc after {topic}.", "Thank you!  Much appreciated.",
    "Perfect, see you {day}.", "Sorry for the slow reply, just back from holiday.",
    "Danke, bis bald!", "Love that. Let me check with the team and come back to you.",
]
ENTITY_TEXTS = [
    "Thanks &amp; congrats on the launch!", "I&rsquo;ll send the deck tomorrow.",
    "Q&amp;A recording is here: https://example.com/qa?id={n}&amp;ref=dm",
    "Sounds good&nbsp;&mdash; see you then.", "You&rsquo;re right, R&amp;D owns that now.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "next week"]
GROUP_TITLES = ["Data Guild Gothenburg", "Offsite planning 2026", "Book club 📚",
                "Alumni reunion", "Conference carpool"]
SPONSORED_TEXT = ('<p class="spinmail-quill-editor__spin-break">Hi %FIRSTNAME%,</p>'
                  '<p class="spinmail-quill-editor__spin-break">Join {org}&rsquo;s free webinar on'
                  ' {topic} &amp; get the playbook.</p>'
                  '<p class="spinmail-quill-editor__spin-break"><a href="https://example.com/'
                  'webinar/{n}">Save my seat</a></p>')
INVITE_NOTES = ["Hi Mara, we met at the analytics meetup. Would be great to connect!",
                "Enjoyed your post on data teams, let’s connect.",
                "Following up on our call: https://example.com/deck/42",
                "Hello! Connecting as we’re both in the Gothenburg data scene."]


# --- records ----------------------------------------------------------------------------------

class Party(NamedTuple):
    name: str
    url: str  # raw Unicode profile URL; "" for LinkedIn Member


@dataclass
class Person:
    first: str
    last: str
    slug: str
    company: str
    position: str
    email: str
    connected_on: date
    tier: str
    gap_days: float = 0.0
    quiet_days: float = 0.0  # > 0: the last exchange is at least this long before the export
    one_way: str = ""  # "", "out" (only the owner writes) or "in" (only they write)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def url(self) -> str:
        return PROFILE_PREFIX + self.slug

    @property
    def connections_url(self) -> str:
        return PROFILE_PREFIX + quote(self.slug, safe="-")

    @property
    def party(self) -> Party:
        return Party(self.name, self.url)

    @property
    def greeting_name(self) -> str:
        return unicodedata.normalize("NFKC", self.first).split()[0]


@dataclass
class Message:
    conversation_id: str
    sender: Party
    recipients: tuple[Party, ...]
    sent_at: datetime
    content: str
    title: str = ""
    subject: str = ""
    folder: str = "INBOX"
    is_draft: bool = False
    conversation_is_draft: bool = False


@dataclass
class Sample:
    owner: Party
    people: list[Person]
    ghost_dates: list[date]
    messages: list[Message] = field(default_factory=list)
    invitations: list[list[str]] = field(default_factory=list)


# --- people -----------------------------------------------------------------------------------

TIER_SHARES = {"very_close": 5, "close": 15, "medium": 40, "light": 80}  # per 300 people


def tier_sizes(n: int) -> dict[str, int]:
    sizes = {tier: round(n * share / 300) for tier, share in TIER_SHARES.items()}
    sizes["none"] = n - sum(sizes.values())
    return sizes


def ascii_fold(text: str) -> str:
    text = text.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i",
                                         "ß": "ss", "æ": "ae"}))
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def make_slug(rng: random.Random, name: str, keep_unicode: bool, taken: set[str]) -> str:
    base = name if keep_unicode else ascii_fold(name)
    base = "-".join(re.findall(r"[^\W_]+", base.lower()))
    style = rng.random()
    if style < 0.12:
        slug = base.replace("-", "")
    elif style < 0.22:
        slug = base
    else:
        slug = f"{base}-{rng.getrandbits(36):09x}"[: len(base) + 1 + rng.choice([6, 8, 9])]
    while slug in taken:
        slug = f"{base}-{rng.getrandbits(32):08x}"
    taken.add(slug)
    return slug


def fancy_letters(text: str) -> str:
    """Turn ASCII letters into MATHEMATICAL BOLD SCRIPT letters, as some profiles do."""
    out = []
    for ch in text:
        if "A" <= ch <= "Z":
            out.append(chr(0x1D4D0 + ord(ch) - ord("A")))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D4EA + ord(ch) - ord("a")))
        else:
            out.append(ch)
    return "".join(out)


def pick_name(rng: random.Random, flavor: str, used: set[str]) -> tuple[str, str, bool]:
    """Return (first, last, keep_unicode_slug); full names repeat only if the lists run out."""
    cultures = ACCENTED_CULTURES if flavor == "unicode_slug" else list(CULTURES)
    if wide_names and len(used) > 2 and rng.random() < NAMESAKE_RATE:  # a namesake, as real networks hold
        first, last = rng.choice(sorted(used - {f"{OWNER_FIRST} {OWNER_LAST}"})).split(" ", 1)
        return first, last, ascii_fold(first + last) != first + last and flavor == "unicode_slug"
    for _ in range(200):
        firsts, lasts = culture_names(rng.choice(cultures))
        if wide_names and rng.random() < MIXED_SURNAME_RATE:  # married, or a family from elsewhere
            lasts = culture_names(rng.choice(list(CULTURES)))[1]
        first, last = rng.choice(firsts), rng.choice(lasts)
        accented = ascii_fold(first + last) != first + last
        if f"{first} {last}" not in used and (accented or flavor != "unicode_slug"):
            break
    used.add(f"{first} {last}")
    keep_unicode = accented and (flavor == "unicode_slug" or rng.random() < 0.4)
    return first, last, keep_unicode


def apply_flavor(rng: random.Random, first: str, last: str, flavor: str) -> tuple[str, str, str]:
    """Return (first, last as exported, name the slug is built from)."""
    if flavor == "credential":
        last_shown = f"{last}, {rng.choice(CREDENTIALS)}"
        return first, last_shown, f"{first} {last_shown}"
    if flavor == "emoji":
        return f"{first} {rng.choice(EMOJI)}", last, f"{first} {last}"
    if flavor == "fancy":
        return fancy_letters(ascii_fold(first)), last, f"{first} {last}"
    if flavor == "trailing_space":
        return first + " ", last + " ", f"{first} {last}"
    return first, last, f"{first} {last}"


# Which members of each tier get a quirky name (by position in the tier).
FLAVOR_PLAN = {
    "very_close": ["unicode_slug"],
    "close": ["credential", "unicode_slug"],
    "medium": ["emoji", "credential", "unicode_slug"],
    "light": ["fancy", "trailing_space", "emoji", "credential"],
    "none": ["emoji", "credential"],
}

CONNECTED_WINDOWS = {  # earliest and latest connection date per tier (latest relative to export)
    "very_close": (date(2014, 1, 1), date(2018, 12, 31)),
    "close": (date(2014, 1, 1), date(2020, 12, 31)),
    "medium": (date(2014, 1, 1), date(2022, 12, 31)),
}
YEAR_WEIGHTS = {2014: 1.0, 2015: 1.0, 2016: 1.2, 2017: 1.2, 2018: 1.4, 2019: 1.5, 2020: 1.6,
                2021: 1.8, 2022: 2.0, 2023: 2.0, 2024: 2.2, 2025: 2.4, 2026: 2.2}


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def connected_on(rng: random.Random, tier: str, as_of: date) -> date:
    if tier in CONNECTED_WINDOWS:
        return random_date(rng, *CONNECTED_WINDOWS[tier])
    if tier == "light":
        return random_date(rng, date(2014, 1, 1), as_of - timedelta(days=30))
    years = [y for y in YEAR_WEIGHTS if y <= as_of.year]
    year = rng.choices(years, weights=[YEAR_WEIGHTS[y] for y in years])[0]
    return random_date(rng, date(year, 1, 1), min(date(year, 12, 31), as_of))


def make_person(rng: random.Random, tier: str, flavor: str, as_of: date, taken: set[str],
                used_names: set[str]) -> Person:
    first, last, keep_unicode = pick_name(rng, flavor, used_names)
    first, last, slug_name = apply_flavor(rng, first, last, flavor)
    slug = make_slug(rng, slug_name, keep_unicode, taken)
    return Person(first, last, slug, rng.choice(COMPANIES), rng.choice(POSITIONS), "",
                  connected_on(rng, tier, as_of), tier)


def add_emails(rng: random.Random, people: list[Person]) -> None:
    """Fill ~2% of e-mail addresses (at least one), as members rarely allow the download."""
    chosen = [p for p in people if rng.random() < 0.02] or [rng.choice(people)]
    for p in chosen:
        local = ".".join(re.findall(r"[a-z]+", ascii_fold(f"{p.first} {p.last}").lower())[:2])
        p.email = f"{local}@{rng.choice(['example.com', 'example.org', 'example.net'])}"


def make_people(rng: random.Random, n: int, as_of: date, used_names: set[str]) -> list[Person]:
    taken: set[str] = {OWNER_SLUG}
    people = []
    for tier, size in tier_sizes(n).items():
        plan = FLAVOR_PLAN[tier]
        for i in range(size):
            flavor = plan[i] if i < len(plan) else "plain"
            people.append(make_person(rng, tier, flavor, as_of, taken, used_names))
    add_duplicate_name(rng, people, taken)
    add_emails(rng, people)
    for p in rng.sample(people, round(n * 0.03)):  # ~3% show no company and no position
        p.company, p.position = "", ""
    rng.shuffle(people)
    return people


def add_duplicate_name(rng: random.Random, people: list[Person], taken: set[str]) -> None:
    """Give one connection-only person the same display name as a medium contact."""
    medium = [p for p in people if p.tier == "medium" and p.first.isalpha()]
    others = [p for p in people if p.tier == "none"]
    if medium and others:
        twin, target = medium[-1], others[-1]
        target.first, target.last = twin.first, twin.last
        target.slug = make_slug(rng, twin.name, False, taken)


# --- message rhythm ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Rhythm:
    gap_days: tuple[float, float]  # typical days between exchanges, drawn once per person
    first_window: tuple[date, date]  # when messaging began
    quiet_share: float  # share of the tier that went quiet before the export
    quiet_gaps: tuple[float, float]  # how long ago, in multiples of the person's gap


RHYTHMS = {
    "very_close": Rhythm((10, 18), (date(2019, 1, 1), date(2020, 6, 30)), 0.0, (0, 0)),
    "close": Rhythm((30, 55), (date(2019, 1, 1), date(2022, 6, 30)), 0.34, (3, 8)),
    "medium": Rhythm((70, 120), (date(2019, 1, 1), date(2023, 6, 30)), 0.30, (3, 6)),
}


def spread(rng: random.Random, bounds: tuple[float, float], k: int) -> list[float]:
    """k values evenly spread over bounds (cell midpoints), in random order."""
    lo, hi = bounds
    values = [lo + (hi - lo) * (i + 0.5) / k for i in range(k)]
    rng.shuffle(values)
    return values


def plan_rhythms(rng: random.Random, people: list[Person]) -> None:
    """Set gap, quiet span and one-way direction on every messaging contact."""
    for tier, rhythm in RHYTHMS.items():
        members = [p for p in people if p.tier == tier]
        if tier == "very_close":
            n_quiet = min(len(members) // 2, rng.randint(1, 2))
        else:
            n_quiet = round(len(members) * rhythm.quiet_share)
        quiet = dict(zip((id(p) for p in rng.sample(members, n_quiet)),
                         spread(rng, (0, 1), n_quiet)))
        for p in members:
            p.gap_days = rng.uniform(*rhythm.gap_days)
            if id(p) in quiet:  # quiet spans spread evenly over the tier's range
                lo, hi = (60, 150) if tier == "very_close" else rhythm.quiet_gaps
                days = lo + (hi - lo) * quiet[id(p)]
                p.quiet_days = days if tier == "very_close" else days * p.gap_days
    for p in people:
        if p.tier == "light" and rng.random() < 0.30:
            p.one_way = rng.choice(["out", "in"])


def at_daytime(rng: random.Random, day: date) -> datetime:
    hour = rng.choices(range(5, 23), weights=[1, 2, 4, 6, 7, 7, 6, 6, 7, 7, 6, 5, 4, 3, 3, 2, 1,
                                              1])[0]
    return datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), timezone.utc)


def reply_delay(rng: random.Random) -> timedelta:
    r = rng.random()
    if r < 0.4:
        return timedelta(minutes=rng.uniform(1, 90))
    if r < 0.8:
        return timedelta(hours=rng.uniform(1, 10))
    return timedelta(days=rng.uniform(1, 4))


def exchange_starts(rng: random.Random, person: Person, first: date,
                    cutoff: datetime) -> list[datetime]:
    last = cutoff - timedelta(days=person.quiet_days)
    starts, t = [], at_daytime(rng, first)
    while t < last:
        starts.append(t)
        t = at_daytime(rng, (t + timedelta(days=person.gap_days * rng.uniform(0.5, 1.5))).date())
    return starts


def light_exchange_starts(rng: random.Random, person: Person, cutoff: datetime) -> list[datetime]:
    first = max(person.connected_on + timedelta(days=1), date(2019, 1, 1))
    last = cutoff.date() - timedelta(days=2)
    count = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
    days = [random_date(rng, first, last) for _ in range(count)]
    if person.connected_on >= date(2019, 1, 1) and rng.random() < 0.5:
        days[0] = person.connected_on + timedelta(days=rng.randint(0, 3))  # "thanks for connecting"
    return [at_daytime(rng, d) for d in sorted(days)]


# --- message text -----------------------------------------------------------------------------

def message_text(rng: random.Random, templates: list[str], to_first: str) -> str:
    if rng.random() < 0.005:
        templates = ENTITY_TEXTS
    return rng.choice(templates).format(first=to_first, topic=rng.choice(TOPICS),
                                        day=rng.choice(DAYS), n=rng.randint(10, 999))


def conversation_id(rng: random.Random) -> str:
    raw = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if rng.random() < 0.8:
        raw += rng.choice(["_010", "_012", "_013", "_100"])  # padded with "==", else unpadded
    return "2-" + base64.b64encode(raw.encode()).decode()


def exchange(rng: random.Random, conv: str, folder: str, owner: Party, person: Person,
             start: datetime, cutoff: datetime) -> list[Message]:
    """One burst of messages; alternates sides unless the relationship is one-way."""
    if person.one_way:
        count = rng.choice([1, 1, 2])
        owner_starts = person.one_way == "out"
    else:
        count = rng.choices([1, 2, 3, 4], weights=[30, 45, 20, 5])[0]
        owner_starts = rng.random() < 0.5
    out, t = [], start
    for i in range(count):
        owner_sends = owner_starts if person.one_way else owner_starts == (i % 2 == 0)
        if t >= cutoff:
            break
        sender, recipient = (owner, person.party) if owner_sends else (person.party, owner)
        to_first = person.greeting_name if owner_sends else OWNER_FIRST
        text = message_text(rng, OPENERS if i == 0 else REPLIES, to_first)
        out.append(Message(conv, sender, (recipient,), t, text, folder=folder))
        t += reply_delay(rng) if not person.one_way else timedelta(days=rng.uniform(2, 20))
    return out


def one_to_one_messages(rng: random.Random, owner: Party, people: list[Person],
                        cutoff: datetime) -> list[Message]:
    messages = []
    for p in people:
        if p.tier == "none":
            continue
        if p.tier == "light":
            starts = light_exchange_starts(rng, p, cutoff)
        else:
            window = RHYTHMS[p.tier].first_window
            first = max(random_date(rng, *window), p.connected_on + timedelta(days=7))
            starts = exchange_starts(rng, p, first, cutoff)
        conv = conversation_id(rng)
        folder = "ARCHIVE" if p.tier == "light" and rng.random() < 0.2 else "INBOX"
        for start in starts:
            messages.extend(exchange(rng, conv, folder, owner, p, start, cutoff))
    return messages


def group_messages(rng: random.Random, owner: Party, people: list[Person],
                   cutoff: datetime) -> list[Message]:
    """A few group threads among active closer contacts; the first has a name with ', '.

    A quiet contact only joins the first one, and then it is older than their last 1:1 message.
    """
    closer = [p for p in people if p.tier in ("very_close", "close", "medium")]
    pool = [p for p in closer if not p.quiet_days]
    credentialed = [p for p in closer if ", " in p.last]
    n_groups = min(len(GROUP_TITLES), max(1, round(len(people) * 4 / 300)))
    messages = []
    for g in range(n_groups):
        size = min(len(pool), rng.choice([2, 3, 3, 4]))
        members = rng.sample(pool, size)
        if g == 0 and credentialed and credentialed[0] not in members:
            members[:1] = [credentialed[0]]
        if not members:
            break
        # after everyone connected; before any member's quiet spell (+60 days for the thread)
        quiet = max(m.quiet_days for m in members)
        newest = 10 + (int(quiet) + 60 if quiet else 0)
        oldest = (cutoff.date() - max(m.connected_on for m in members)).days - 30
        days_ago = rng.randint(newest, max(newest, min(oldest, newest + 1400)))
        parties = [owner] + [m.party for m in members]
        conv, title = conversation_id(rng), GROUP_TITLES[g]
        start = at_daytime(rng, cutoff.date() - timedelta(days=days_ago))
        t = start
        for _ in range(rng.randint(4, 12)):
            if t >= cutoff:
                break
            sender = rng.choice(parties)
            recipients = tuple(p for p in parties if p != sender)
            messages.append(Message(conv, sender, recipients, t,
                                    message_text(rng, REPLIES, "all"), title=title))
            t += reply_delay(rng)
    return messages


def stranger_messages(rng: random.Random, owner: Party, cutoff: datetime) -> list[Message]:
    """Sponsored and hidden-sender rows (FROM LinkedIn Member, empty URL) and two InMails."""
    member = Party("LinkedIn Member", "")
    messages = []
    for org in ["Halcyon Bio", "Sundial Learning", "Wavecrest Insurance"]:
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(5, 900)))
        html = SPONSORED_TEXT.format(org=org, topic=rng.choice(TOPICS), n=rng.randint(100, 999))
        messages.append(Message(conversation_id(rng), member, (owner,), when, html,
                                title="Sponsored Conversation"))
    when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(30, 600)))
    messages.append(Message(conversation_id(rng), member, (owner,), when,
                            "Hello Mara, I saw your post about data teams. Are you hiring?"))
    recruiters = [Party("Dana Whitlock", PROFILE_PREFIX + "dana-whitlock-talent"),
                  Party("Rüdiger Falk", PROFILE_PREFIX + "rüdiger-falk-8c1d02")]
    for recruiter in recruiters:
        conv, subject = conversation_id(rng), "Opportunity: Head of Analytics"
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(20, 700)))
        messages.append(Message(conv, recruiter, (owner,), when,
                                "Hi Mara,  I came across your profile and would love to chat"
                                " about a role we’re hiring for.",
                                title=subject, subject=subject))
    messages.append(Message(conv, owner, (recruiters[-1],), when + timedelta(hours=20),
                            "Thanks, not looking right now, but happy to stay in touch.",
                            title=subject, subject=subject))
    return messages


def draft_messages(rng: random.Random, owner: Party, people: list[Person],
                   messages: list[Message], cutoff: datetime) -> list[Message]:
    """Unsent drafts: two inside existing threads with quiet contacts, one draft-only thread."""
    conv_of = {m.recipients[0].url: m.conversation_id for m in messages
               if m.sender == owner and len(m.recipients) == 1}
    quiet = [p for p in people if p.quiet_days and p.url in conv_of]
    quiet.sort(key=lambda p: (p.tier != "very_close", p.tier != "close"))
    drafts = []
    for p in quiet[:2]:
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(2, 10)))
        text = f"Hey {p.greeting_name}, it’s been a while, how are"
        drafts.append(Message(conv_of[p.url], owner, (p.party,), when, text, is_draft=True))
    silent = [p for p in people if p.tier == "none"
              and p.connected_on < cutoff.date() - timedelta(days=30)]
    if silent:
        p = rng.choice(silent)
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(1, 30)))
        drafts.append(Message(conversation_id(rng), owner, (p.party,), when,
                              f"Hi {p.greeting_name}, great meeting you at", folder="",
                              is_draft=True, conversation_is_draft=True))
    return drafts


def blank_some_contents(rng: random.Random, messages: list[Message], owner: Party) -> None:
    """Empty CONTENT rows exist in real exports (e.g. connection-request placeholders)."""
    candidates = [m for m in messages if m.sender != owner and not m.title]
    for m in rng.sample(candidates, min(2, len(candidates))):
        m.content = ""


# --- invitations ------------------------------------------------------------------------------

def invitation_time(rng: random.Random, day: date) -> str:
    dt = at_daytime(rng, day)
    hour12 = dt.hour % 12 or 12
    meridiem = "AM" if dt.hour < 12 else "PM"
    return f"{dt.month}/{dt.day}/{dt.year % 100:02d}, {hour12}:{dt.minute:02d} {meridiem}"


def make_invitations(rng: random.Random, owner: Party, people: list[Person],
                     as_of: date, taken: set[str], used_names: set[str]) -> list[list[str]]:
    """Invitations behind the last year's connections, plus a few still pending."""
    rows = []
    recent = [p for p in people if p.connected_on > as_of - timedelta(days=365)]
    pending = []
    for _ in range(4):
        first, last, keep = pick_name(rng, "plain", used_names)
        slug = make_slug(rng, f"{first} {last}", keep, taken)
        pending.append(Person(first, last, slug, "", "", "",
                              as_of - timedelta(days=rng.randint(0, 25)), "pending"))
    for p in recent + pending:
        sent = p.connected_on - timedelta(days=rng.randint(0, 6) if p.tier != "pending" else 0)
        note = rng.choice(INVITE_NOTES) if rng.random() < 0.12 else ""
        if rng.random() < 0.55:
            row = [owner.name, p.name, sent, note.replace("Hi Mara, w", "W"), "OUTGOING",
                   owner.url, p.url]
        else:
            row = [p.name, owner.name, sent, note, "INCOMING", p.url, owner.url]
        rows.append(row)
    rows.sort(key=lambda r: r[2], reverse=True)
    for row in rows:
        row[2] = invitation_time(rng, row[2])
    return rows


# --- assembling the sample --------------------------------------------------------------------

def build_sample(people_count: int, seed: int, as_of: date) -> Sample:
    rng = random.Random(seed)
    cutoff = datetime.combine(as_of, time(0, 0), timezone.utc)  # every message is before this
    owner = Party(f"{OWNER_FIRST} {OWNER_LAST}", PROFILE_PREFIX + OWNER_SLUG)
    used_names = {f"{OWNER_FIRST} {OWNER_LAST}"}
    people = make_people(rng, people_count, as_of, used_names)
    plan_rhythms(rng, people)
    ghosts = [random_date(rng, as_of - timedelta(days=1100), as_of - timedelta(days=20))
              for _ in range(max(2, round(people_count * 0.012)))]
    sample = Sample(owner, people, ghosts)
    messages = one_to_one_messages(rng, owner, people, cutoff)
    blank_some_contents(rng, messages, owner)
    messages += group_messages(rng, owner, people, cutoff)
    messages += stranger_messages(rng, owner, cutoff)
    messages += draft_messages(rng, owner, people, messages, cutoff)
    sample.messages = messages
    taken = {p.slug for p in people} | {OWNER_SLUG}
    sample.invitations = make_invitations(rng, owner, people, as_of, taken, used_names)
    return sample


# --- the owner's other exports: Google Contacts CSV, Apple vCard, Google Calendar ---------------
#
# They reuse the people above (same names, companies, message history) but draw every choice from
# a second seeded generator, so the LinkedIn files stay byte-identical whatever happens here.

OWNER_EMAIL = "mara.lindqvist@northwind.example"
OWNER_PERSONAL_EMAIL = "mara.lindqvist@proton.example"
OWNER_TITLE = "Product Analytics Lead"
OWNER_TZ = "Europe/Stockholm"
CALENDAR_DAYS = 760  # her Northwind work calendar starts about two years before the export
EXPORT_TIME = time(8, 14, 27)  # DTSTAMP of every event: the moment of the calendar export (UTC)

COMPANY_DOMAINS = {
    "Northwind Analytics": "northwind.example", "Blue Harbor Labs": "blueharbor.example",
    "Quillfeather Inc.": "quillfeather.example", "Lumen Foundry": "lumenfoundry.example",
    "Copperleaf Systems GmbH": "copperleaf.example", "Tidewater Logistics": "tidewater.example",
    "Saltmarsh Health": "saltmarsh-health.example", "Redwick & Vane LLP": "redwickvane.example",
    "Nordlys Energi AS": "nordlys.example", "Brightwell Robotics": "brightwell.example",
    "Kestrel Payments Ltd": "kestrelpay.example", "Ferncastle Studios": "ferncastle.example",
    "Orchard Lane Capital": "orchardlane.example", "Granite Peak Software": "granitepeak.example",
    "Halcyon Bio": "halcyonbio.example", "Meridian Loop": "meridianloop.example",
    "Pinecrest Analytics": "pinecrest.example", "Silverbirch Consulting": "silverbirch.example",
    "Tallgrass Media": "tallgrass.example", "Ironbark Security": "ironbark.example",
    "Vela Mobility S.A.": "velamobility.example", "Sundial Learning": "sundial.example",
    "Wavecrest Insurance": "wavecrest.example", "Emberline Games": "emberline.example",
    "Foxglove Pharma AB": "foxglove.example", "Cobalt Ridge Partners": "cobaltridge.example",
    "Stellwerk Daten GmbH": "stellwerk.example", "Marigold Foods": "marigold.example",
    "Aurora Fjord Systems AS": "aurorafjord.example", "Kumo Works K.K.": "kumoworks.example",
    "Ясень Софт": "yasen-soft.example", "نخلة للتقنية": "nakhla-tech.example",
}  # Freelance, Self-employed and "" have no work domain
PERSONAL_DOMAINS = ["gmail.example", "hotmail.example", "proton.example", "icloud.example"]
LEGAL_SUFFIX = re.compile(r"\s+(Inc\.|GmbH|Ltd|LLP|AS|AB|S\.A\.|K\.K\.)$")

# People the owner knows outside LinkedIn: (role, company, title, naming culture or None).
OUTSIDE_LINKEDIN = [
    ("manager", "Northwind Analytics", "VP Product", "nordic"),
    ("colleague", "Northwind Analytics", "Analytics Engineer", None),
    ("ex-colleague", "Tidewater Logistics", "Head of Data", None),
    ("friend", "", "", "nordic"),
    ("friend", "", "", None),
]
ALL_HANDS_SIZE = 40  # attendees of the monthly all-hands, the owner included

ROOMS = [("GBG-3-Fika (4)", 4), ("GBG-4-Kattegatt (10) [Meet]", 10), ("GBG-1-Auditorium (80)", 80)]
CAFES = ["Café Lingon, Kungsgatan 7, Göteborg", "Kafé Kanel, Exempelgatan 12, Göteborg",
         "Brödbaren, Haga Nygata 3, Göteborg", "Video call", ""]
ONE_ON_ONE_TITLES = ["Coffee ☕ {first} / Mara", "{first} <> Mara", "Catch-up: {first} & Mara",
                     "Lunch with {first}", "Call: {first} / Mara", "Mara / {first}"]
GOOGLE_NOTES = ["Met at the analytics meetup in 2019.", "Intro via the Data Guild.",
                "Former colleague.\nGood person to ask about hiring.",
                "Speaker at Data Guild, spring 2024.",
                "Knows everyone in the Gothenburg data scene.",
                "Likes cycling; ask about the Vätternrundan."]
ADDRESSES = [("Lingonvägen 4", "Göteborg", "412 58", "Sweden"),
             ("Exempelgatan 12", "Göteborg", "411 19", "Sweden"),
             ("Provgatan 3B", "Stockholm", "113 46", "Sweden"),
             ("12 Harbour Row", "Bristol", "BS1 4QA", "United Kingdom"),
             ("48 Sample Street, Apt 5", "San Francisco", "94107", "United States")]
PERSONAL_BLOCKS = [("Dentist", 60), ("Gym", 90), ("Parent-teacher meeting", 60),
                   ("Pick up bike from service", 30), ("Flight GOT → LHR", 150),
                   ("Tax return", 120), ("Haircut", 45)]

# Phone numbers from ranges reserved for fiction: Swedish 070-174 06 05..99 and 031-390 06 xx
# (PTS), US 555-0100..0199 (NANP), UK 07700 900xxx (Ofcom).
US_AREAS = [415, 212, 646, 617, 206, 312, 512, 303, 720, 213]


@dataclass
class Contact:
    """One person as the owner's address books and calendar know them."""

    key: str
    first: str
    last: str
    company: str = ""
    title: str = ""
    person: Person | None = None  # the LinkedIn connection, if any
    role: str = ""  # LinkedIn tier, or one of the OUTSIDE_LINKEDIN roles, or "calendar"
    suffix: str = ""
    work_email: str = ""
    personal_email: str = ""
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # (label, country, digits)
    birthday: tuple[int | None, int, int] | None = None
    first_contact: datetime | None = None  # first and last LinkedIn 1:1 message, either way
    last_contact: datetime | None = None
    cal_cn: str = ""  # display name in calendar invites ("" = Google writes the address)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()

    @property
    def email(self) -> str:
        return self.work_email or self.personal_email

    @property
    def quiet(self) -> bool:
        return bool(self.person and self.person.quiet_days)


@dataclass
class Attendee:
    contact: Contact | None
    email: str
    cn: str = ""  # "" = the address itself, as Google writes for people without a display name
    partstat: str = "ACCEPTED"
    role: str = "REQ-PARTICIPANT"
    cutype: str = "INDIVIDUAL"
    rsvp: bool = True


@dataclass
class Event:
    kind: str  # series, adhoc, group, broadcast, declined, allday, personal, scheduled
    uid: str
    summary: str
    start: datetime | date  # aware (in tzid, or UTC when tzid is "") or a date for all-day
    end: datetime | date
    created: datetime
    modified: datetime
    tzid: str = ""
    organizer: Attendee | None = None
    attendees: list[Attendee] = field(default_factory=list)
    rrule: str = ""
    starts: list = field(default_factory=list)  # every start the RRULE yields (open series: cut)
    exdates: list[datetime] = field(default_factory=list)
    exdate_one_line: bool = False
    recurrence_id: datetime | None = None
    status: str = "CONFIRMED"
    sequence: int = 0
    description: str = ""
    location: str = ""
    transp: str = "OPAQUE"


@dataclass
class World:
    seed: int
    as_of: date
    contacts: dict[str, Contact]  # every contact of any source, by profile URL or role:name
    google: list[Contact]  # one entry per row (one person appears twice)
    vcards: list[Contact]  # besides the owner's own card and a business card
    events: list[Event]
    linkedin_in_google: set[str]  # keys whose Google row carries the LinkedIn URL
    capitalized: set[str]  # keys whose Google work address is typed First.Last@
    vcard_style: dict[str, str]  # same / personal / phone / social
    owner_mobile: str
    cafe_phone: str


def clean_name(p: Person) -> tuple[str, str, str]:
    """(first, last, suffix) as the owner would type them: no emoji, plain letters."""
    first = unicodedata.normalize("NFKC", p.first)
    first = "".join(ch for ch in first if ch.isalpha() or ch in " -'").strip()
    last, _, suffix = p.last.partition(", ")
    return first, last.strip(), suffix.strip()


def message_spans(sample: Sample) -> dict[str, tuple[datetime, datetime]]:
    """First and last sent 1:1 message with each profile URL, in either direction."""
    spans: dict[str, tuple[datetime, datetime]] = {}
    for m in sample.messages:
        if m.is_draft or len(m.recipients) != 1:
            continue
        other = m.recipients[0] if m.sender == sample.owner else m.sender
        if not other.url or sample.owner not in (m.sender, m.recipients[0]):
            continue
        lo, hi = spans.get(other.url, (m.sent_at, m.sent_at))
        spans[other.url] = (min(lo, m.sent_at), max(hi, m.sent_at))
    return spans


def group_threads(sample: Sample) -> list[tuple[str, list[str], datetime]]:
    """(title, member profile URLs, first message) of every LinkedIn group thread."""
    threads: dict[str, tuple[str, set[str], datetime]] = {}
    for m in sample.messages:
        if len(m.recipients) < 2:
            continue
        title, urls, first = threads.get(m.conversation_id, (m.title, set(), m.sent_at))
        urls |= {p.url for p in (m.sender, *m.recipients) if p != sample.owner}
        threads[m.conversation_id] = (title, urls, min(first, m.sent_at))
    return sorted(((t, sorted(u), f) for t, u, f in threads.values()), key=lambda x: x[2])


class PhoneBook:
    """Hands out unique numbers from the fictional ranges."""

    def __init__(self, rng: random.Random):
        self.pools = {"SE": [f"7017406{n:02d}" for n in range(5, 100)],
                      "SE-GBG": [f"3139006{n:02d}" for n in range(100)],
                      "US": [f"{a}55501{n:02d}" for a in US_AREAS for n in range(100)],
                      "UK": [f"7700900{n:03d}" for n in range(1000)]}
        for pool in self.pools.values():
            rng.shuffle(pool)
        self.spare = (f"{a}55501{n:02d}" for a in range(201, 990) if a % 100 not in (11, 55)
                      for n in range(100))

    def take(self, kind: str) -> tuple[str, str]:
        pool = self.pools[kind]
        if pool:
            return ("SE" if kind.startswith("SE") else kind), pool.pop()
        return "US", next(self.spare)  # only very large --people runs get here


def format_phone(country: str, digits: str, style: str) -> str:
    """Write one number the way people type it: intl, national or e164."""
    if country == "SE":
        area, rest = (digits[:2], digits[2:])
        groups = f"{rest[:3]} {rest[3:5]} {rest[5:]}"
        return {"intl": f"+46 {area} {groups}", "national": f"0{area}-{groups}",
                "e164": f"+46{digits}"}[style]
    if country == "US":
        a, b, c = digits[:3], digits[3:6], digits[6:]
        return {"intl": f"+1 {a}-{b}-{c}", "national": f"({a}) {b}-{c}",
                "e164": f"+1{digits}"}[style]
    return {"intl": f"+44 {digits[:4]} {digits[4:]}", "national": f"0{digits[:4]} {digits[4:]}",
            "e164": f"+44{digits}"}[style]


def email_local(first: str, last: str) -> str:
    def word(s: str) -> str:
        return "".join(re.findall(r"[a-z-]+", ascii_fold(s).lower().split()[0] if s else ""))
    return ".".join(w for w in (word(first), word(last).replace(" ", "")) if w)


def new_name(rng: random.Random, culture: str | None, used: set[str]) -> tuple[str, str]:
    for _ in range(500):
        firsts, lasts = culture_names(culture or rng.choice(list(CULTURES)))
        first, last = rng.choice(firsts), rng.choice(lasts)
        if f"{first} {last}" not in used:
            break
    used.add(f"{first} {last}")
    return first, last


def workday(rng: random.Random, lo: date, hi: date) -> date | None:
    """A random Monday-Friday in [lo, hi], or None."""
    days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    return rng.choice(days) if days else None


def local(d: date, hour: int, minute: int, tz: str = OWNER_TZ) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=ZoneInfo(tz))


def google_uid(rng: random.Random) -> str:
    alphabet = "0123456789abcdefghijklmnopqrstuv"
    return "".join(rng.choice(alphabet) for _ in range(26)) + "@google.com"


class WorldBuilder:
    """Builds the contacts, address-book rows and calendar of one sample."""

    def __init__(self, sample: Sample, seed: int, as_of: date):
        self.sample, self.as_of, self.seed = sample, as_of, seed
        self.rng = random.Random(f"kith-other-exports-{seed}")
        self.k = max(len(sample.people), 1) / 300
        self.stamp = datetime.combine(as_of, EXPORT_TIME, timezone.utc)
        self.cal_start = as_of - timedelta(days=CALENDAR_DAYS)
        self.spans = message_spans(sample)
        self.phones = PhoneBook(self.rng)
        self.emails: set[str] = {OWNER_EMAIL, OWNER_PERSONAL_EMAIL}
        self.used_names = {clean_name(p)[0] + " " + clean_name(p)[1] for p in sample.people}
        self.used_names |= {row[i] for row in sample.invitations for i in (0, 1)}
        self.used_names |= {m.sender.name for m in sample.messages}
        self.used_names.add(f"{OWNER_FIRST} {OWNER_LAST}")
        self.contacts: dict[str, Contact] = {}
        self.events: list[Event] = []

    # -- contacts --

    def contact(self, p: Person) -> Contact:
        if p.url not in self.contacts:
            first, last, suffix = clean_name(p)
            span = self.spans.get(p.url)
            self.contacts[p.url] = Contact(
                p.url, first, last, p.company, p.position, p, p.tier, suffix,
                first_contact=span[0] if span else None, last_contact=span[1] if span else None)
        return self.contacts[p.url]

    def outsider(self, role: str, company: str, title: str, culture: str | None) -> Contact:
        first, last = new_name(self.rng, culture, self.used_names)
        c = Contact(f"{role}:{first} {last}", first, last, company, title, None, role)
        self.contacts[c.key] = c
        return c

    def give_details(self, c: Contact, country: str = "") -> None:
        """Work and personal e-mail, a phone or two, maybe a birthday (once per contact)."""
        if c.email or c.phones:
            return
        rng = self.rng
        domain = COMPANY_DOMAINS.get(c.company)
        local_part = email_local(c.first, c.last)
        if domain:
            c.work_email = self.unique(f"{local_part}@{domain}")
        if c.person and c.person.email:
            c.personal_email = c.person.email  # the address LinkedIn let the owner download
        elif not domain or rng.random() < 0.45:
            style = rng.choice([local_part, local_part.replace(".", ""),
                                f"{local_part.split('.')[0]}{rng.randint(70, 99)}"])
            c.personal_email = self.unique(f"{style}@{rng.choice(PERSONAL_DOMAINS)}")
        local_people = c.company == "Northwind Analytics" or c.role == "friend"
        kind = country or ("SE" if local_people else
                           rng.choices(["SE", "US", "UK"], weights=[7, 2, 1])[0])
        c.phones.append(("Mobile",) + self.phones.take(kind))
        if c.company == "Northwind Analytics" or (domain and rng.random() < 0.2):
            c.phones.append(("Work",) + self.phones.take("SE-GBG" if kind == "SE" else kind))
        if rng.random() < 0.3:
            c.birthday = (rng.choice([None, rng.randint(1968, 1998)]), rng.randint(1, 12),
                          rng.randint(1, 28))
        c.cal_cn = c.name if (domain == "northwind.example" or rng.random() < 0.7) else ""

    def unique(self, email: str) -> str:
        local_part, domain = email.split("@")
        n = 2
        while email in self.emails:
            email, n = f"{local_part}{n}@{domain}", n + 1
        self.emails.add(email)
        return email

    def by_tier(self, tier: str) -> list[Person]:
        return [p for p in self.sample.people if p.tier == tier]

    def scaled(self, n: float) -> int:
        return max(1, round(n * self.k))

    def pick_series_partners(self) -> dict[str, Contact | None]:
        """Who has a recurring 1:1 with the owner: active and quiet close contacts."""
        vc, close = self.by_tier("very_close"), self.by_tier("close")
        horizon = self.cal_start + timedelta(days=150)

        def long_enough(p: Person) -> bool:  # a quiet spell that leaves a run of meetings
            span = self.spans.get(p.url)
            return bool(span) and span[1].date() > horizon

        def first_of(pool: list[Person]) -> Contact | None:
            return self.contact(pool[0]) if pool else None
        active_vc = [p for p in vc if not p.quiet_days]
        quiet_vc = [p for p in vc if p.quiet_days and long_enough(p)]
        active_close = [p for p in close if not p.quiet_days]
        quiet_close = sorted((p for p in close if p.quiet_days and long_enough(p)),
                             key=lambda p: p.quiet_days)
        return {"biweekly": first_of(active_vc), "weekly_quiet": first_of(quiet_vc),
                "monthly_la": first_of(active_close),
                "four_weekly_quiet": first_of(quiet_close[:1]),
                "monthly_quiet": first_of(quiet_close[1:2])}

    def build(self) -> World:
        rng, people = self.rng, self.sample.people
        partners = self.pick_series_partners()
        la = partners["monthly_la"]
        if la:
            self.give_details(la, "US")  # the monthly call is run from San Francisco
        names = Counter(p.name for p in people)
        twin = next((p for p in self.by_tier("medium") if names[p.name] > 1), None)

        # Google: nearly every close contact, most medium ones, a few light and silent ones.
        picked: list[Person] = list(self.by_tier("very_close"))
        close = self.by_tier("close")
        keep = {c.key for c in partners.values() if c}
        drop = rng.sample([p for p in close if p.url not in keep],
                          min(self.scaled(2), max(0, len(close) - len(keep))))
        dropped = {p.url for p in drop}
        picked += [p for p in close if p.url not in dropped]
        medium = self.by_tier("medium")
        picked += [p for p in medium if p is twin or rng.random() < 0.75]
        light = [p for p in self.by_tier("light") if p.url in self.spans]
        picked += rng.sample(light, min(len(light), self.scaled(8)))
        silent = self.by_tier("none")
        with_email = [p for p in silent if p.email and p.company]
        has_email = {p.url for p in with_email}
        picked += with_email[: self.scaled(3)] + rng.sample(
            [p for p in silent if p.url not in has_email and p.company],
            min(self.scaled(1), len(silent)))
        outsiders = [self.outsider(*spec) for spec in OUTSIDE_LINKEDIN]
        google = [self.contact(p) for p in picked] + outsiders
        for c in google:
            self.give_details(c)
        self.linkedin_in_google = {c.key for c in google if c.person and (
            rng.random() < 0.7 or c.key in keep or c.person is twin)}
        self.capitalized = set(rng.sample([c.key for c in google if c.work_email],
                                          min(2, len(google))))
        duplicate = next((c for c in google if c.role == "close" and len(c.phones)), None)
        if duplicate:  # one person saved twice: once from an e-mail, once from the phone
            google.append(Contact(duplicate.key + "#phone", duplicate.first, "", role="duplicate",
                                  phones=[duplicate.phones[0]]))

        # Apple: part of the same people (other addresses or only a phone), some others, me.
        in_google = [c for c in google if c.role != "duplicate"]
        overlap = ([c for c in in_google if c.role == "very_close"][:3]
                   + [c for c in in_google if c.role == "close"][:6]
                   + [c for c in in_google if c.role == "medium"][:6]
                   + [c for c in in_google if c.role in ("friend", "manager", "ex-colleague")])
        in_picked = {p.url for p in picked}
        only_apple = [self.contact(p) for p in rng.sample(
            [p for p in self.by_tier("light") if p.url not in in_picked], min(self.scaled(5), 40))]
        only_apple += [self.contact(p) for p in rng.sample(
            [p for p in silent if p.url not in in_picked and p.company], min(self.scaled(3), 20))]
        for c in only_apple:
            self.give_details(c)
        self.vcard_style = {c.key: rng.choice(["same", "same", "personal", "phone", "social"])
                            for c in overlap}
        self.vcard_style.update({c.key: rng.choice(["social", "social", "phone"])
                                 for c in only_apple})
        vcards = overlap + only_apple

        manager = next(c for c in google if c.role == "manager")
        teammate = next(c for c in google if c.role == "colleague")
        self.colleagues = [manager, teammate] + [
            self.contact(p) for p in people
            if p.company == "Northwind Analytics" and not p.quiet_days]
        self.make_calendar(partners, google, twin)
        check_story_events(self.events, self.as_of)
        owner_mobile, cafe_phone = self.phones.take("SE")[1], self.phones.take("SE-GBG")[1]
        return World(self.seed, self.as_of, self.contacts, google, vcards, self.events,
                     self.linkedin_in_google, self.capitalized, self.vcard_style, owner_mobile,
                     cafe_phone)

    # -- calendar --

    def attendee(self, c: Contact, partstat: str = "ACCEPTED", **kw) -> Attendee:
        self.give_details(c)
        return Attendee(c, c.email, c.cal_cn, partstat, **kw)

    def owner(self, partstat: str = "ACCEPTED") -> Attendee:
        return Attendee(None, OWNER_EMAIL, f"{OWNER_FIRST} {OWNER_LAST}", partstat)

    def stamps(self, first_start: datetime | date, last_edit: datetime | date | None = None
               ) -> tuple[datetime, datetime]:
        """CREATED days to weeks before the first start; LAST-MODIFIED later, before the export."""
        def utc(x: datetime | date) -> datetime:
            if isinstance(x, datetime):
                return x.astimezone(timezone.utc)
            return datetime.combine(x, time(7, 0), timezone.utc)
        start = min(utc(first_start), self.stamp)
        created = start - timedelta(days=self.rng.uniform(1, 25),
                                    seconds=self.rng.randint(0, 86399))
        created = created.replace(microsecond=0)
        edit = min(utc(last_edit), self.stamp) if last_edit else start
        modified = created + (max(edit, created) - created) * self.rng.uniform(0.1, 1.0)
        return created, min(modified.replace(microsecond=0), self.stamp - timedelta(minutes=1))

    def add(self, kind: str, summary: str, start: datetime | date, minutes: int | date,
            organizer: Attendee | None, attendees: list[Attendee], **kw) -> Event:
        if isinstance(start, datetime):
            end = start + timedelta(minutes=minutes)
            if not kw.get("tzid"):
                start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
        else:
            end = minutes
        created, modified = self.stamps(start, kw.pop("last_edit", None))
        for a in attendees:  # Google asks everyone but the organizer to reply
            a.rsvp = a.cutype == "INDIVIDUAL" and not (organizer and a.email == organizer.email)
        ev = Event(kind, kw.pop("uid", None) or google_uid(self.rng), summary, start, end,
                   created, modified, organizer=organizer, attendees=attendees, **kw)
        self.events.append(ev)
        return ev

    def window(self, c: Contact) -> tuple[date, date] | None:
        """When the owner could have met this person: their LinkedIn story, inside the calendar."""
        lo = self.cal_start
        if c.first_contact:
            lo = max(lo, c.first_contact.date())
        hi = self.as_of - timedelta(days=2)
        if c.quiet:
            hi = c.last_contact.date() - timedelta(days=1)  # nothing after the last exchange
        return (lo, hi) if hi - lo >= timedelta(days=7) else None

    def series(self, kind: str, summary: str, c: Contact | None, first: datetime, minutes: int,
               freq: str, *, last: date | None = None, count: int | None = None,
               organizer: Contact | None = None, others: list[Attendee] | None = None,
               uid: str | None = None, **kw) -> Event:
        """A recurring series; ``last`` (UNTIL) or ``count`` (COUNT) or neither (open-ended)."""
        starts = recurrence_starts(first, freq, last, count, self.as_of + timedelta(days=120))
        tz = first.tzinfo.key
        end_rule = ""
        if last:
            until = datetime.combine(last, time(23, 59, 59), ZoneInfo(tz)).astimezone(timezone.utc)
            end_rule = f";UNTIL={until:%Y%m%dT%H%M%SZ}"
        elif count:
            end_rule = f";COUNT={count}"
        day = WEEKDAYS[first.weekday()]
        rule = {"weekly": f"FREQ=WEEKLY;WKST=MO{end_rule};BYDAY={day}",
                "biweekly": f"FREQ=WEEKLY;WKST=MO{end_rule};INTERVAL=2;BYDAY={day}",
                "four_weekly": f"FREQ=WEEKLY;WKST=MO{end_rule};INTERVAL=4;BYDAY={day}",
                "monthly": f"FREQ=MONTHLY{end_rule};BYDAY={(first.day - 1) // 7 + 1}{day}"}[freq]
        org = self.attendee(organizer) if organizer else self.owner()
        people = [org] + ([self.attendee(c)] if c and c is not organizer else [])
        if organizer:
            people.append(self.owner())
        people += others or []
        return self.add(kind, summary, first, minutes, org, people, tzid=tz, rrule=rule,
                        starts=starts, uid=uid, last_edit=kw.pop("last_edit", starts[-1]), **kw)

    def override(self, master: Event, original: datetime, new_start: datetime | None,
                 status: str = "CONFIRMED") -> Event:
        start = new_start or original
        minutes = int((master.end - master.start).total_seconds() // 60)
        ev = self.add(master.kind, master.summary, start, minutes, master.organizer,
                      [Attendee(**vars(a)) for a in master.attendees], tzid=master.tzid,
                      uid=master.uid, recurrence_id=original, status=status, sequence=1,
                      location=master.location, last_edit=original - timedelta(days=2))
        ev.created = master.created
        return ev

    def make_calendar(self, partners: dict[str, Contact | None], google: list[Contact],
                      twin: Person | None) -> None:
        rng, as_of = self.rng, self.as_of
        manager, teammate = self.colleagues[0], self.colleagues[1]
        excolleague = next(c for c in google if c.role == "ex-colleague")
        room_mail = {name: f"c_188{rng.getrandbits(80):020x}@resource.calendar.google.com"
                     for name, _ in ROOMS}

        def room(i: int) -> Attendee:
            return Attendee(None, room_mail[ROOMS[i][0]], ROOMS[i][0], cutype="RESOURCE",
                            rsvp=False)

        def monday(d: date) -> date:
            return d - timedelta(days=d.weekday())

        # Weekly 1:1 with the manager (not on LinkedIn), split by a "this and following" edit:
        # the first part ends with UNTIL, the second has the same UID plus _R<start> and no end.
        first = local(monday(self.cal_start) + timedelta(days=7), 10, 0)
        cut = local(monday(as_of - timedelta(days=300)) + timedelta(days=1), 9, 30)
        part1 = self.series("series", "Mara / " + manager.first + " 1:1", None, first, 30,
                            "weekly", last=cut.date() - timedelta(days=2), organizer=manager,
                            others=[room(0)])
        self.series("series", "Mara / " + manager.first + " 1:1", None, cut, 30, "weekly",
                    organizer=manager, uid=part1.uid.replace(
                        "@", f"_R{cut.astimezone(timezone.utc):%Y%m%dT%H%M%S}@"),
                    last_edit=cut)
        part1.sequence = 1

        a = partners["biweekly"]
        if a:  # biweekly with the closest active contact; holidays skipped, one moved
            first = local(self.series_start(a, 540, 1), 8, 30)
            s = self.series("series", f"{a.first} / Mara", a, first, 30, "biweekly",
                            last=as_of + timedelta(days=rng.randint(60, 120)),
                            location="Video call")
            past = [t for t in s.starts if t.date() < as_of]
            s.exdates = [t for t in past if (t.month, t.day) >= (12, 20) or (t.month == 7)][:3]
            movable = [t for t in past[len(past) // 2:] if t not in s.exdates]
            if movable:
                moved = movable[0]
                self.override(s, moved, moved + timedelta(days=1, hours=5))
            s.sequence = 1

        b = partners["weekly_quiet"]
        if b:  # weekly fika that stopped when the contact went quiet; one week cancelled
            last = b.last_contact.date() - timedelta(days=1)
            first = local(self.series_start(b, 420, 3, last), 15, 0)
            last = last - timedelta(days=(last.weekday() - first.weekday()) % 7)
            s = self.series("series", f"Fika with {b.first}", b, first, 45, "weekly", last=last,
                            others=[room(0)])
            if len(s.starts) > 4:
                self.override(s, s.starts[len(s.starts) // 3], None, status="CANCELLED")

        c = partners["monthly_la"]
        if c:  # monthly call the contact runs from California, in their own time zone
            first = local(self.series_start(c, 480, 2), 8, 0, "America/Los_Angeles")
            first = first.replace(day=nth_weekday(first.year, first.month, 2, 1).day)
            months = (as_of.year - first.year) * 12 + as_of.month - first.month
            self.series("series", f"Mara <> {c.first} monthly", c, first, 45, "monthly",
                        count=months + 3, organizer=c)

        for key, freq, minutes, title in (
                ("four_weekly_quiet", "four_weekly", 30, "Sync: {0} & Mara"),
                ("monthly_quiet", "monthly", 60, "Mentoring: {0} / Mara")):
            d = partners[key]
            if not d:
                continue  # a series that stopped a few months before the export
            last = d.last_contact.date() - timedelta(days=1)
            first = local(self.series_start(d, 600, 4, last), 14, 0)
            if freq == "monthly":
                first = first.replace(day=nth_weekday(first.year, first.month, 1, 2).day)
                starts = recurrence_starts(first, "monthly", last, None, last)
                self.series("series", title.format(d.first), d, first, minutes, freq,
                            count=len(starts))
            else:
                self.series("series", title.format(d.first), d, first, minutes, freq, last=last)

        # Weekly team sync (still running) and the monthly all-hands (open-ended, July skipped).
        need = max(1, ALL_HANDS_SIZE - 1 - len(self.colleagues))  # the CEO is one of them
        calendar_only = [self.outsider("calendar", "Northwind Analytics",
                                       rng.choice(POSITIONS), rng.choice(["nordic", None]))
                         for _ in range(need)]
        for c in calendar_only:
            self.give_details(c)
        # LinkedIn colleagues only join team meetings if they message the owner regularly too.
        regulars = [c for c in self.colleagues if c.role in ("very_close", "close", "medium")]
        team = [teammate] + calendar_only[:3] + regulars[:1]
        first = local(monday(as_of - timedelta(days=420)) + timedelta(days=2), 9, 0)
        self.series("group", "Analytics team sync", None, first, 45, "weekly", count=70,
                    others=[self.attendee(t) for t in team] + [room(1)])
        ceo = calendar_only[-1] if calendar_only else manager
        ceo.title = "Founder & CEO"
        crowd = [c for c in self.colleagues + calendar_only if c is not ceo]
        first_month = self.cal_start.replace(day=1) + timedelta(days=32)
        first = local(nth_weekday(first_month.year, first_month.month, 3, 1), 15, 0)
        allhands = self.series(
            "broadcast", "Northwind all-hands", None, first, 60, "monthly", organizer=ceo,
            others=[self.attendee(c, rng.choices(["ACCEPTED", "NEEDS-ACTION", "TENTATIVE",
                                                  "DECLINED"], [6, 3, 1, 1])[0],
                                  role=rng.choice(["REQ-PARTICIPANT"] * 4 + ["OPT-PARTICIPANT"]))
                    for c in crowd] + [room(2)],
            description="Monthly all-hands.\nAgenda in the team drive. Questions → #all-hands.",
            location="GBG-1-Auditorium (80)")
        allhands.exdates = [t for t in allhands.starts if t.month == 7 and t.date() < as_of]
        allhands.exdate_one_line = True

        # Offsite: an all-day event over two days, with the team.
        day = monday(as_of - timedelta(days=180)) + timedelta(days=1)
        self.add("allday", "Northwind offsite – Marstrand", day, day + timedelta(days=2),
                 self.attendee(manager), [self.attendee(manager)] + [self.owner()]
                 + [self.attendee(c) for c in [teammate] + calendar_only[:8] + regulars],
                 transp="OPAQUE",
                 location="Marstrand", description="Bus leaves 08:00 from the office.")

        # Ad-hoc coffees and calls, at each contact's rhythm, never after they went quiet.
        in_series = {c.key for c in partners.values() if c}
        pool = [c for c in google if c.person and c.role in ("very_close", "close", "medium")
                and c.key not in in_series and self.window(c)]
        pool.sort(key=lambda c: (c.key not in self.linkedin_in_google, c.role == "medium"))
        chosen = pool[: self.scaled(26)]
        if twin and self.contact(twin) in pool and self.contact(twin) not in chosen:
            chosen.append(self.contact(twin))
        listed = {c.key for c in google}
        unlisted = [self.contact(p) for p in self.by_tier("medium") if p.url not in listed]
        chosen += [c for c in unlisted if self.window(c)][:2]  # only the calendar has their e-mail
        declined_by_them = None
        for c in chosen + [excolleague]:
            lo, hi = self.window(c) or (self.cal_start, as_of - timedelta(days=2))
            gap = c.person.gap_days if c.person else 90
            t = lo + timedelta(days=rng.uniform(0, gap))
            n = 0
            while t <= hi and n < (5 if c.role in ("very_close", "close") else 3):
                d = workday(rng, t, min(hi, t + timedelta(days=6)))
                if d:
                    minutes = rng.choice([30, 30, 60])
                    start = local(d, rng.randint(8, 16), rng.choice([0, 30]))
                    theirs = c if rng.random() < 0.3 else None
                    title = rng.choice(ONE_ON_ONE_TITLES).format(first=c.first)
                    org = self.attendee(theirs) if theirs else self.owner()
                    people = [org, self.owner() if theirs else self.attendee(
                        c, rng.choice(["ACCEPTED"] * 4 + ["NEEDS-ACTION"]))]
                    if (not theirs and not c.quiet and declined_by_them is None
                            and c.role == "medium"):  # they said no: it did not happen
                        people[1].partstat = declined_by_them = "DECLINED"
                    place = ("Video call" if title.startswith("Call") else
                             rng.choice(CAFES[:3]) if title.startswith(("Coffee", "Lunch")) else
                             rng.choice(CAFES))
                    ev = self.add("adhoc", title, start, minutes, org, people, location=place)
                    if not ev.location:  # at the office: a small room is booked
                        ev.attendees.append(room(0))
                        ev.location = ROOMS[0][0]
                    n += 1
                t += timedelta(days=gap * rng.uniform(1.2, 2.5))

        # Group meetings: the LinkedIn group threads met in person, plus guild meetings.
        threads = [t for t in group_threads(self.sample) if t[2].date() > self.cal_start]
        committee = [c for c in google if c.role in ("close", "medium") and not c.quiet
                     and c.key not in in_series and c.first_contact
                     and c.first_contact.date() < as_of - timedelta(days=400)]
        if len(committee) >= 2:  # and a guild committee meeting from the address book
            threads.append(("Data Guild Gothenburg – program committee",
                            [c.key for c in rng.sample(committee, min(4, len(committee)))],
                            datetime.combine(as_of - timedelta(days=rng.randint(60, 200)),
                                             time(9), timezone.utc)))
        for title, urls, first_msg in threads:
            members = [self.contact(p) for p in self.sample.people if p.url in urls]
            quiet_end = min((c.last_contact.date() for c in members if c.quiet), default=None)
            d = first_msg.date() + timedelta(days=rng.randint(2, 12))
            if quiet_end and d >= quiet_end:
                d = first_msg.date() - timedelta(days=rng.randint(3, 10))
            d = min(d, as_of - timedelta(days=3))
            d = workday(rng, d - timedelta(days=3), d) or d
            extra = []
            if len(members) < 3:
                stranger = self.outsider("calendar", rng.choice(list(COMPANY_DOMAINS)[1:20]),
                                         "", None)
                self.give_details(stranger)
                extra.append(self.attendee(stranger, "NEEDS-ACTION"))
            self.add("group", title, local(d, rng.choice([12, 17]), 0), 60 * rng.choice([1, 2]),
                     self.owner(), [self.owner()] + [self.attendee(m) for m in members] + extra
                     + [room(1)], description="Notes from the thread are in the doc.")

        # A meeting the owner declined, from a light contact she had just exchanged messages with.
        light = [c for c in google if c.role == "light" and c.work_email and c.last_contact]
        if light:
            c = light[0]
            d = workday(rng, c.last_contact.date() + timedelta(days=3),
                        c.last_contact.date() + timedelta(days=12))
            if d and d < as_of:
                org = self.attendee(c)
                self.add("declined", f"Intro: {c.company or c.first} × Northwind",
                         local(d, 11, 0), 30, org, [org, self.owner("DECLINED")])

        # Personal blocks without attendees (one recurring) and a summer holiday.
        fri = local(monday(as_of - timedelta(days=300)) + timedelta(days=4), 13, 0)
        self.series("personal", "Focus time", None, fri, 120, "weekly", count=40)
        self.events[-1].attendees, self.events[-1].organizer = [], None
        for title, minutes in PERSONAL_BLOCKS:
            d = workday(rng, self.cal_start, as_of + timedelta(days=20))
            self.add("personal", title, local(d, rng.randint(7, 17), rng.choice([0, 15, 30])),
                     minutes, None, [])
        for year in sorted({self.cal_start.year + 1, as_of.year}):
            start = monday(date(year, 7, 8))
            self.add("personal", "Semester 🌞", start, start + timedelta(days=19), None, [],
                     transp="TRANSPARENT")

        # Scheduled after the export: dinner with an active close friend, a catch-up a quiet
        # contact has not answered yet, and the next guild meetup.
        future = as_of + timedelta(days=1)
        active_vc = [c for c in google if c.role == "very_close" and not c.quiet
                     and c.key not in in_series]
        if active_vc:
            c = active_vc[0]
            d = workday(rng, future + timedelta(days=4), future + timedelta(days=8))
            self.add("scheduled", f"Dinner with {c.first} 🍝", local(d, 18, 30), 120,
                     self.owner(), [self.owner(), self.attendee(c)], location="Brödbaren")
        quiet_medium = [c for c in google if c.role == "medium" and c.quiet and c.work_email]
        if quiet_medium:
            c = quiet_medium[-1]
            d = workday(rng, future + timedelta(days=6), future + timedelta(days=12))
            self.add("scheduled", f"Catch-up: {c.first} & Mara", local(d, 9, 30), 30,
                     self.owner(), [self.owner(), self.attendee(c, "NEEDS-ACTION")],
                     location="Video call")
        guild = [c for c in google if c.role in ("close", "medium") and not c.quiet][:4]
        if guild:
            d = workday(rng, future + timedelta(days=14), future + timedelta(days=20))
            self.add("scheduled", "Data Guild Gothenburg – winter meetup", local(d, 17, 30),
                     120, self.owner(), [self.owner()] + [self.attendee(c, rng.choice(
                         ["ACCEPTED", "NEEDS-ACTION", "TENTATIVE"])) for c in guild],
                     location="Exempelgatan 12, Göteborg")

    def series_start(self, c: Contact, days_back: int, weekday: int,
                     last: date | None = None) -> date:
        """A start date on ``weekday`` about ``days_back`` before the export, inside the story."""
        d = max(self.as_of - timedelta(days=days_back), self.cal_start,
                (c.first_contact.date() + timedelta(days=7)) if c.first_contact else self.cal_start)
        if last:
            d = min(d, last - timedelta(days=120))
        return d + timedelta(days=(weekday - d.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    d = date(year, month, 1)
    return d + timedelta(days=(weekday - d.weekday()) % 7 + 7 * (n - 1))


def recurrence_starts(first: datetime, freq: str, last: date | None, count: int | None,
                      horizon: date) -> list[datetime]:
    """The starts an RRULE of ours yields (same wall-clock time; open series cut at horizon)."""
    starts: list[datetime] = []
    i = 0
    while True:
        if freq == "monthly":
            month = first.month - 1 + i
            d = nth_weekday(first.year + month // 12, month % 12 + 1, first.weekday(),
                            (first.day - 1) // 7 + 1)
        else:
            weeks = {"weekly": 1, "biweekly": 2, "four_weekly": 4}[freq]
            d = first.date() + timedelta(weeks=i * weeks)
        if (last and d > last) or (count and len(starts) >= count) or (not last and not count
                                                                          and d > horizon):
            return starts
        starts.append(first.replace(year=d.year, month=d.month, day=d.day))
        i += 1


def instances(events: list[Event]) -> list[tuple[Event, datetime | date, str]]:
    """Every occurrence (start, status): series expanded, EXDATEs dropped, overrides applied."""
    overrides = {(e.uid, e.recurrence_id): e for e in events if e.recurrence_id}
    out = []
    for e in events:
        if e.recurrence_id:
            out.append((e, e.start, e.status))
        elif e.rrule:
            out += [(e, t, e.status) for t in e.starts
                    if t not in e.exdates and (e.uid, t) not in overrides]
        else:
            out.append((e, e.start, e.status))
    return out


def check_story_events(events: list[Event], as_of: date) -> None:
    """Fail loudly if a meeting contradicts a LinkedIn story (met after going quiet)."""
    for e, start, status in instances(events):
        day = start.date() if isinstance(start, datetime) else start
        owner = next((a for a in e.attendees if a.email == OWNER_EMAIL), None)
        if day >= as_of or status == "CANCELLED" or (owner and owner.partstat == "DECLINED"):
            continue
        for a in e.attendees:
            c = a.contact
            if c and c.quiet and day >= c.last_contact.date():
                raise AssertionError(f"{e.summary} on {day} is after {c.name} went quiet")
            if c and c.person and c.first_contact is None and c.role in ("close", "very_close"):
                raise AssertionError(f"{c.name} has meetings but no messages")


# --- optional realism (never in the default sample) ---------------------------------------------
#
# ``add_realism`` roughens a built World the way real address books and calendars are rough. Only
# callers that ask for it apply it (bench/personal_network.py --realism); the default sample never
# does, so its bytes do not change. It draws from its own generator and changes nothing LinkedIn
# shows.

PERSONAL_INVITE_SHARE = 0.5  # close ties invited at their personal address to some coffees
PERSONAL_INVITE_EVENTS = 0.6  # ... to this share of their 1:1 meetings
STALE_JOB_SHARE = 0.15  # address-book contacts on LinkedIn whose address book predates a job change


def add_realism(world: World, personal_share: float = PERSONAL_INVITE_SHARE,
                stale_share: float = STALE_JOB_SHARE) -> dict[str, list[str]]:
    """Make the address books and calendar of ``world`` messier, in place; return who was changed
    ({"personal_invites": keys, "stale_jobs": keys}).

    * personal invites: about half the very close and close contacts are invited to most of
      their 1:1 meetings (ad hoc and scheduled) at a personal address: the one the address book
      has, or, for those it has none for, one that only the calendar knows;
    * stale jobs: a share of the address-book contacts on LinkedIn changed jobs after the owner
      saved them: Google and Apple still hold the old company and the old work address, while
      LinkedIn and the calendar (recent) show the new ones.
    """
    rng = random.Random(f"kith-realism-{world.seed}")
    taken = {e for c in world.contacts.values() for e in (c.work_email, c.personal_email) if e}
    taken |= {a.email for e in world.events for a in e.attendees}

    def unique(email: str) -> str:
        local_part, domain = email.split("@")
        n = 2
        while email in taken:
            email, n = f"{local_part}{n}@{domain}", n + 1
        taken.add(email)
        return email

    return {"personal_invites": personal_invites(rng, world, personal_share, unique),
            "stale_jobs": stale_jobs(rng, world, stale_share, unique)}


def personal_invites(rng: random.Random, world: World, share: float, unique) -> list[str]:
    close = sorted({a.contact.key for e in world.events if e.kind in ("adhoc", "scheduled")
                    for a in e.attendees if a.contact and a.contact.role in ("very_close", "close")})
    chosen = [k for k in close if rng.random() < share]
    address = {}
    for key in chosen:
        c = world.contacts[key]
        address[key] = c.personal_email or unique(
            f"{email_local(c.first, c.last).replace('.', '')}@{rng.choice(PERSONAL_DOMAINS)}")
    for e in world.events:
        if e.kind not in ("adhoc", "scheduled"):
            continue
        for a in e.attendees:
            if a.contact and a.contact.key in address and rng.random() < PERSONAL_INVITE_EVENTS:
                a.email = address[a.contact.key]  # the organizer is the same object when it is them
    return chosen


def stale_jobs(rng: random.Random, world: World, share: float, unique) -> list[str]:
    books = {c.key: c for c in world.google + world.vcards if c.person and c.work_email}
    chosen = [k for k in sorted(books) if rng.random() < share]
    for key in chosen:
        c = books[key]
        old = rng.choice([name for name in COMPANY_DOMAINS if name not in (c.company, OWNER_COMPANY)])
        c.company = old
        c.work_email = unique(f"{email_local(c.first, c.last)}@{COMPANY_DOMAINS[old]}")
    return chosen


# --- writing ----------------------------------------------------------------------------------

def csv_bytes(header: list[str], rows: list[list[str]], preamble: bytes = b"") -> bytes:
    """UTF-8, no BOM, LF, minimal quoting, no newline after the last row (like LinkedIn)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return preamble + buf.getvalue().rstrip("\n").encode("utf-8")


def linkedin_date(d: date) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def connections_csv(sample: Sample) -> bytes:
    dated = [(p.connected_on, [p.first, p.last, p.connections_url, p.email, p.company,
                               p.position]) for p in sample.people]
    dated += [(d, ["", "", "", "", "", ""]) for d in sample.ghost_dates]
    dated.sort(key=lambda item: item[0], reverse=True)
    return csv_bytes(CONNECTIONS_HEADER, [row + [linkedin_date(d)] for d, row in dated],
                     preamble=NOTES_PREAMBLE)


def messages_csv(sample: Sample) -> bytes:
    by_conv: dict[str, list[Message]] = {}
    for m in sample.messages:
        by_conv.setdefault(m.conversation_id, []).append(m)
    threads = sorted(by_conv.values(), key=lambda ms: max(m.sent_at for m in ms), reverse=True)
    rows = []
    for thread in threads:
        for m in sorted(thread, key=lambda m: m.sent_at, reverse=True):
            rows.append([m.conversation_id, m.title, m.sender.name, m.sender.url,
                         ",".join(r.name for r in m.recipients),
                         ",".join(r.url for r in m.recipients),
                         m.sent_at.strftime("%Y-%m-%d %H:%M:%S UTC"), m.subject, m.content,
                         m.folder, "Yes" if m.is_draft else "No",
                         "Yes" if m.conversation_is_draft else "No"])
    return csv_bytes(MESSAGES_HEADER, rows)


def profile_csv() -> bytes:
    row = [OWNER_FIRST, OWNER_LAST, "", "", "Sep 9",
           f"Product analytics lead at {OWNER_COMPANY} | data, people & tea",
           "I help product teams measure what matters. Previously consulting, now building"
           " a small, kind analytics team.", "Software Development", "",
           "Gothenburg, Västra Götaland County, Sweden", "[mara_l_data]",
           "[PERSONAL:https://mara-lindqvist.example]", ""]
    return csv_bytes(PROFILE_HEADER, [row])



# --- writing the other exports ----------------------------------------------------------------

GOOGLE_FIXED = ["First Name", "Middle Name", "Last Name", "Phonetic First Name",
                "Phonetic Middle Name", "Phonetic Last Name", "Name Prefix", "Name Suffix",
                "Nickname", "File As", "Organization Name", "Organization Title",
                "Organization Department", "Birthday", "Notes", "Photo", "Labels"]
# Repeating groups in Google's order; a group appears as often as the fullest row needs it.
GOOGLE_GROUPS = [("E-mail", ["Label", "Value"]), ("Phone", ["Label", "Value"]),
                 ("Address", ["Label", "Formatted", "Street", "City", "PO Box", "Region",
                              "Postal Code", "Country", "Extended Address"]),
                 ("Relation", ["Label", "Value"]), ("Website", ["Label", "Value"]),
                 ("Event", ["Label", "Value"]), ("Custom Field", ["Label", "Value"])]
NICKNAMES = {"Małgorzata": "Gosia", "Krzysztof": "Krzysiek", "Aleksandra": "Ola",
             "Matthias": "Matze", "Oskar": "Ossi", "Elizabeth": "Liz", "Daniel": "Dan",
             "Samuel": "Sam", "Oliver": "Olly", "Jonas": "Jojo", "Henrik": "Henke",
             "Emeka": "Mek", "Folake": "Fola", "Tunde": "Tee", "Rafael": "Rafa", "José": "Pepe"}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def linkedin_variant(rng: random.Random, p: Person) -> str:
    """A profile URL as people paste it: mostly clean, sometimes a slash, no scheme or encoded."""
    r = rng.random()
    if r < 0.6:
        return p.url
    if r < 0.75:
        return p.url + "/"
    if r < 0.88:
        return "www.linkedin.com/in/" + p.slug
    return p.connections_url


def google_rows(world: World) -> list[dict]:
    rng = random.Random(f"kith-google-csv-{world.seed}")
    known = {e for c in world.contacts.values() for e in (c.work_email, c.personal_email) if e}
    friends = [c for c in world.google if c.role == "friend"]
    rows = []
    for c in world.google:
        row: dict = {col: "" for col in GOOGLE_FIXED}
        groups: dict[str, list[list[str]]] = {name: [] for name, _ in GOOGLE_GROUPS}
        typed_plain = rng.random() < 0.1 and ascii_fold(c.name) != c.name
        row["First Name"] = ascii_fold(c.first) if typed_plain else c.first
        row["Last Name"] = ascii_fold(c.last) if typed_plain else c.last
        row["Name Suffix"] = c.suffix
        if c.role == "duplicate":
            row["Labels"] = "* myContacts"
            groups["Phone"].append(["Mobile", format_phone(c.phones[0][1], c.phones[0][2], "e164")])
            rows.append((row, groups))
            continue
        if c.first in NICKNAMES and rng.random() < 0.5:
            row["Nickname"] = NICKNAMES[c.first]
        company = c.company
        if company and rng.random() < 0.25:
            company = LEGAL_SUFFIX.sub("", company)
        row["Organization Name"], row["Organization Title"] = company, c.title
        if c.birthday:
            y, m, d = c.birthday
            row["Birthday"] = f"--{m:02d}-{d:02d}" if y is None else f"{y}-{m:02d}-{d:02d}"
        if rng.random() < 0.12:
            row["Notes"] = rng.choice(GOOGLE_NOTES)
        labels = []
        if c.company == "Northwind Analytics":
            labels.append("Northwind")
        if c.role in ("friend",) or (c.role in ("very_close", "close") and rng.random() < 0.4):
            labels.append("Friends")
        if c.role == "ex-colleague":
            labels.append("Ex-colleagues")
        if c.role == "medium" and rng.random() < 0.2:
            labels.append("Data Guild")
        labels.append("* myContacts")
        if c.role == "very_close" or (c.role == "close" and rng.random() < 0.3):
            labels.append("* starred")
        row["Labels"] = " ::: ".join(labels)
        work = c.work_email
        if work and c.key in world.capitalized:
            local_part, domain = work.split("@")
            work = ".".join(w.capitalize() for w in local_part.split(".")) + "@" + domain
        if work:
            value = work
            if rng.random() < 0.06:  # an old address kept under the same label
                old = f"{email_local(c.first, c.last)}@{rng.choice(list(COMPANY_DOMAINS.values()))}"
                if old not in known:
                    value = f"{work} ::: {old}"
            groups["E-mail"].append(["* Work", value])
        if c.personal_email:
            label = "Other" if c.person and c.personal_email == c.person.email else "Home"
            groups["E-mail"].append([label if work else "* " + label, c.personal_email])
        styles = {"SE": ["intl", "national", "national"], "US": ["intl", "intl", "national"],
                  "UK": ["intl"]}  # a Swede's US numbers: mostly +1, a few "(415) 555-01xx"
        phones = [[label, format_phone(country, digits, rng.choice(styles[country]))]
                  for label, country, digits in c.phones]
        if len(phones) == 2 and rng.random() < 0.3:
            phones = [["Mobile", f"{phones[0][1]} ::: {phones[1][1]}"]]
        groups["Phone"] += phones
        if rng.random() < 0.08:
            street, city, postal, country = rng.choice(ADDRESSES)
            region = "CA" if country == "United States" else ""
            line2 = (f"{city}, {region} {postal}" if region else
                     f"{city} {postal}" if country == "United Kingdom" else f"{postal} {city}")
            groups["Address"].append([rng.choice(["Home", "Work"]), f"{street}\n{line2}\n{country}",
                                      street, city, "", region, postal, country, ""])
        if friends and c is friends[0] and len(friends) > 1:
            groups["Relation"].append(["Spouse", friends[1].name])
        if c.key in world.linkedin_in_google:
            groups["Website"].append([rng.choice(["Profile", "Profile", "Profile", ""]),
                                      linkedin_variant(rng, c.person)])
        elif c.role == "friend":
            groups["Website"].append(["Blog", f"https://{email_local(c.first, c.last)}.example"])
        rows.append((row, groups))
    counts = {name: max(len(g[name]) for _, g in rows) for name, _ in GOOGLE_GROUPS}
    header = list(GOOGLE_FIXED)
    for name, fields in GOOGLE_GROUPS:
        header += [f"{name} {i} - {f}" for i in range(1, counts[name] + 1) for f in fields]
    out = []
    for row, groups in rows:
        for name, fields in GOOGLE_GROUPS:
            for i in range(counts[name]):
                values = groups[name][i] if i < len(groups[name]) else [""] * len(fields)
                row.update({f"{name} {i + 1} - {f}": v for f, v in zip(fields, values)})
        out.append(row)
    return [dict(zip(header, header))] + out


def google_csv(world: World) -> bytes:
    """UTF-8 without BOM, CRLF, every row as wide as the header (unverified for modern exports)."""
    rows = google_rows(world)
    header = list(rows[0])
    buf = io.StringIO()
    writer = csv.writer(buf)  # lineterminator \r\n
    for row in rows:
        writer.writerow([row[h] for h in header])
    return buf.getvalue().encode("utf-8")


def fold(line: str, indent: str = " ", limit: int = 75) -> str:
    """RFC 5545/2425 folding at 75 octets, never inside a UTF-8 sequence."""
    parts, cur, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append(cur)
            cur, size = indent, len(indent)
        cur, size = cur + ch, size + n
    parts.append(cur)
    return "\r\n".join(parts)


def text_escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def tiny_png(seed: int) -> bytes:
    """A 16x16 gradient PNG, enough for a folded base64 PHOTO."""
    import struct
    import zlib
    rnd = random.Random(seed)
    base = [rnd.randint(60, 200) for _ in range(3)]
    raw = b"".join(b"\x00" + bytes(min(255, base[c] + 4 * x + 2 * y) for x in range(16)
                                   for c in range(3)) for y in range(16))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def vcard_lines(rng: random.Random, c: Contact, style: str, known: set[str]) -> list[str]:
    tel_styles = {"SE": "intl", "US": "intl", "UK": "intl"}
    n_suffix = text_escape(c.suffix)
    fn = c.name + (f", {c.suffix}" if c.suffix else "")
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.5//EN",
             f"N:{text_escape(c.last)};{text_escape(c.first)};;;{n_suffix}",
             f"FN:{text_escape(fn)}"]
    if c.company:
        lines.append(f"ORG:{text_escape(c.company)};")
    if c.title:
        lines.append(f"TITLE:{text_escape(c.title)}")
    item = 0

    def labelled(prop: str, label: str) -> None:
        nonlocal item
        item += 1
        lines.extend([f"item{item}.{prop}", f"item{item}.X-ABLabel:{label}"])
    emails: list[tuple[str, str]] = []
    if style in ("same", "social") and c.work_email:
        emails.append(("work", c.work_email))
    if style in ("same", "personal") and c.personal_email:
        emails.append(("home", c.personal_email))
    if style == "personal" and not c.personal_email:
        address = f"{email_local(c.first, c.last).replace('.', '_')}@{rng.choice(PERSONAL_DOMAINS)}"
        if address not in known:
            emails.append(("home", address))  # an address only the phone knows
    for i, (kind, address) in enumerate(emails):
        pref = ";type=pref" if i == 0 else ""
        if kind == "work" and rng.random() < 0.5:
            lines.append(f"EMAIL;type=INTERNET;type=WORK{pref}:{address}")
        elif kind == "work":
            labelled(f"EMAIL;type=INTERNET{pref}:{address}", "_$!<Work>!$_")
        else:
            labelled(f"EMAIL;type=INTERNET{pref}:{address}",
                     rng.choice(["_$!<Home>!$_", "_$!<Other>!$_", "Private"]))
    for i, (label, country, digits) in enumerate(c.phones[: 1 if style == "social" else 2]):
        number = format_phone(country, digits, tel_styles[country])
        pref = ";type=pref" if i == 0 else ""
        if label == "Work":
            lines.append(f"TEL;type=WORK;type=VOICE{pref}:{number}")
        elif rng.random() < 0.5:
            lines.append(f"TEL;type=IPHONE;type=CELL;type=VOICE{pref}:{number}")
        else:
            labelled(f"TEL{pref}:{number}", "_$!<Mobile>!$_")
    if c.birthday and rng.random() < 0.8:
        y, m, d = c.birthday
        lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{m:02d}-{d:02d}" if y is None
                     else f"BDAY:{y}-{m:02d}-{d:02d}")
    if rng.random() < 0.15:
        lines.append("NOTE:" + text_escape(
            f"{rng.choice(GOOGLE_NOTES)} Last saw {c.first} at {rng.choice(TOPICS)}, and we said"
            f" we would follow up about {rng.choice(TOPICS)} before the summer."))
    if c.person and (style == "social" or rng.random() < 0.25):
        slug = c.person.slug
        if rng.random() < 0.5:
            lines.append(f"X-SOCIALPROFILE;type=linkedin;x-user={quote(slug, safe='-')}:"
                         f"http\\://www.linkedin.com/in/{quote(slug, safe='-')}")
        else:
            lines.append(f"X-SOCIALPROFILE;type=linkedin:{c.person.url}")
    if rng.random() < 0.4:
        lines.append(f"X-ABUID:{str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()}"
                     "\\:ABPerson")
    lines.append("END:VCARD")
    return lines


def apple_vcf(world: World) -> bytes:
    """Apple Contacts 3.0 export: item groups, X-ABLabel, CRLF, 75-octet folding, a "me" card."""
    rng = random.Random(f"kith-apple-vcf-{world.seed}")
    known = {e for c in world.contacts.values() for e in (c.work_email, c.personal_email) if e}
    cards = [((c.last or c.first).casefold(), vcard_lines(rng, c, world.vcard_style[c.key], known))
             for c in world.vcards]
    mobile = format_phone("SE", world.owner_mobile, "intl")
    photo = base64.b64encode(tiny_png(world.seed)).decode()
    me = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.5//EN",
          f"N:{OWNER_LAST};{OWNER_FIRST};;;", f"FN:{OWNER_FIRST} {OWNER_LAST}",
          f"ORG:{OWNER_COMPANY};Product", f"TITLE:{OWNER_TITLE}",
          f"item1.EMAIL;type=INTERNET;type=pref:{OWNER_EMAIL}", "item1.X-ABLabel:_$!<Work>!$_",
          f"item2.EMAIL;type=INTERNET:{OWNER_PERSONAL_EMAIL}", "item2.X-ABLabel:_$!<Home>!$_",
          f"TEL;type=IPHONE;type=CELL;type=VOICE;type=pref:{mobile}",
          "item3.ADR;type=HOME;type=pref:;;Lingonvägen 9;Göteborg;;412 58;Sweden",
          "item3.X-ABADR:se", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-09",
          f"X-SOCIALPROFILE;type=linkedin;x-user={OWNER_SLUG}:"
          f"https://www.linkedin.com/in/{OWNER_SLUG}",
          f"PHOTO;ENCODING=b;TYPE=PNG:{photo}", "END:VCARD"]
    cards.append((OWNER_LAST.casefold(), me))
    business = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.5//EN", "N:;;;;",
                "FN:Kafé Kanel", "ORG:Kafé Kanel;",
                "TEL;type=WORK;type=VOICE;type=pref:"
                + format_phone("SE", world.cafe_phone, "national"),
                "item1.URL;type=pref:https\\://kafe-kanel.example",
                "item1.X-ABLabel:_$!<HomePage>!$_",
                "X-ABShowAs:COMPANY", "END:VCARD"]
    cards.append(("kafé kanel", business))
    cards.sort(key=lambda kc: kc[0])
    out = []
    for _, lines in cards:
        out += [fold(line, "  " if line.startswith("PHOTO") else " ") for line in lines]
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


VTIMEZONES = {
    "Europe/Stockholm": ["BEGIN:VTIMEZONE", "TZID:Europe/Stockholm",
                         "X-LIC-LOCATION:Europe/Stockholm", "BEGIN:STANDARD",
                         "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
                         "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                         "END:STANDARD", "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100",
                         "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
                         "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
                         "END:VTIMEZONE"],
    "America/Los_Angeles": ["BEGIN:VTIMEZONE", "TZID:America/Los_Angeles",
                            "X-LIC-LOCATION:America/Los_Angeles", "BEGIN:DAYLIGHT",
                            "TZOFFSETFROM:-0800", "TZOFFSETTO:-0700", "TZNAME:PDT",
                            "DTSTART:19700308T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                            "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:-0700",
                            "TZOFFSETTO:-0800", "TZNAME:PST", "DTSTART:19701101T020000",
                            "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
                            "END:VTIMEZONE"],
}


def ics_time(name: str, value: datetime | date, tzid: str) -> str:
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value:%Y%m%d}"
    if tzid:
        return f"{name};TZID={tzid}:{value.astimezone(ZoneInfo(tzid)):%Y%m%dT%H%M%S}"
    return f"{name}:{value.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


def ics_param(value: str) -> str:
    return f'"{value}"' if re.search(r"[,:;]", value) else value


def event_lines(e: Event, stamp: datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", ics_time("DTSTART", e.start, e.tzid), ics_time("DTEND", e.end, e.tzid)]
    if e.rrule:
        lines.append("RRULE:" + e.rrule)
    if e.exdates and e.exdate_one_line:
        lines.append(f"EXDATE;TZID={e.tzid}:" + ",".join(
            f"{t.astimezone(ZoneInfo(e.tzid)):%Y%m%dT%H%M%S}" for t in e.exdates))
    else:
        lines += [ics_time("EXDATE", t, e.tzid) for t in e.exdates]
    lines.append(f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}")
    if e.organizer:
        o = e.organizer
        lines.append(f"ORGANIZER;CN={ics_param(o.cn or o.email)}:mailto:{o.email}")
    lines.append(f"UID:{e.uid}")
    if e.recurrence_id:
        lines.append(ics_time("RECURRENCE-ID", e.recurrence_id, e.tzid))
    for a in e.attendees:
        rsvp = ";RSVP=TRUE" if a.rsvp else ""
        lines.append(f"ATTENDEE;CUTYPE={a.cutype};ROLE={a.role};PARTSTAT={a.partstat}{rsvp};"
                     f"CN={ics_param(a.cn or a.email)};X-NUM-GUESTS=0:mailto:{a.email}")
    lines += [f"CREATED:{e.created:%Y%m%dT%H%M%SZ}", "DESCRIPTION:" + text_escape(e.description),
              f"LAST-MODIFIED:{e.modified:%Y%m%dT%H%M%SZ}", "LOCATION:" + text_escape(e.location),
              f"SEQUENCE:{e.sequence}", f"STATUS:{e.status}", "SUMMARY:" + text_escape(e.summary),
              f"TRANSP:{e.transp}", "END:VEVENT"]
    return lines


def google_ics(world: World) -> bytes:
    """Google Calendar export of the owner's primary calendar (CRLF, folded, UTC singles)."""
    stamp = datetime.combine(world.as_of, EXPORT_TIME, timezone.utc)
    zones = [OWNER_TZ] + sorted({e.tzid for e in world.events if e.tzid and e.tzid != OWNER_TZ})
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
             "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{OWNER_EMAIL}",
             f"X-WR-TIMEZONE:{OWNER_TZ}"]
    for zone in zones:
        lines += VTIMEZONES[zone]
    masters = sorted((e for e in world.events if not e.recurrence_id),
                     key=lambda e: (e.created, e.uid))
    overrides: dict[str, list[Event]] = {}
    for e in world.events:
        if e.recurrence_id:
            overrides.setdefault(e.uid, []).append(e)
    for master in masters:
        lines += event_lines(master, stamp)
        for e in overrides.get(master.uid, []):
            lines += event_lines(e, stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")



# --- mailbox (Gmail Takeout mbox) -------------------------------------------------------------

MAIL_PATH = "mail/Takeout/Mail/All mail Including Spam and Trash.mbox"
MAIL_TOPICS = ["retention dashboard", "Q3 forecast", "pricing test", "churn model", "onboarding funnel",
               "board deck", "survey results", "data contracts"]
MAIL_SUBJECTS = ["Quick question on the {topic}", "Notes from our call", "Slides: {topic}", "{topic}: a first look",
                 "Coffee next week?", "Paper you mentioned", "Feedback on the {topic}", "Intro: {first} / Mara"]
OWED_SUBJECT = "Intro to the Lisbon team"
MAIL_BODY = "(synthetic sample: kith never reads or stores message bodies)"


@dataclass
class Mail:
    at: datetime  # UTC
    sender: tuple[str, str]  # (display name, address)
    to: list[tuple[str, str]]
    subject: str
    thread: int  # Gmail id of the thread's first message
    labels: str
    cc: list[tuple[str, str]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # more header lines (List-Id, Auto-Submitted ...)
    parent: "Mail | None" = None  # the message this answers
    gmail_id: int = 0  # set when the bytes are written
    message_id: str = ""


def mailbox(sample: Sample, world: World) -> bytes:
    """The owner's work mailbox as Gmail Takeout writes it (mail-formats.md §2): for two years,
    email threads with the contacts she also writes with on LinkedIn, on their rhythm (quiet
    ties stay quiet), one reply she owes, and what kith must leave out: newsletters, a mailing list,
    notifications, an out-of-office reply, spam and a recruiter she never answered."""
    rng = random.Random(world.seed * 1009 + 17)
    owner = (f"{OWNER_FIRST} {OWNER_LAST}", OWNER_EMAIL)
    cutoff = datetime.combine(world.as_of, time(0, 0), timezone.utc)
    mails: list[Mail] = []
    spans = message_spans(sample)
    writers = [c for c in world.contacts.values()
               if c.person and c.work_email and c.role in ("very_close", "close", "medium")]
    writers.sort(key=lambda c: c.key)
    owed = next((c for role in ("very_close", "close") for c in writers if c.role == role and not c.quiet
                 and c.person.url in spans and spans[c.person.url][1] < cutoff - timedelta(days=5)), None)
    mail_start = world.as_of - timedelta(days=CALENDAR_DAYS)  # her work account, as old as its calendar
    message_days: dict[str, set[date]] = {}  # profile URL -> days of 1:1 LinkedIn messages
    for m in sample.messages:
        if len(m.recipients) == 1 and m.sent_at.date() >= mail_start:
            for url in (m.sender.url, m.recipients[0].url):
                message_days.setdefault(url, set()).add(m.sent_at.date())
    for c in writers:
        for day in sorted(message_days.get(c.person.url, ()))[::3]:
            mails.extend(_mail_thread(rng, owner, c, day, cutoff))
    if owed is not None:
        first = _mail(owner, [(owed.name, owed.work_email)], OWED_SUBJECT, cutoff - timedelta(days=9, hours=14), "Sent,Opened")
        reply = _mail((owed.name, owed.work_email), [owner], "Re: " + OWED_SUBJECT, cutoff - timedelta(days=4, hours=15),
                      "Inbox,Important,Opened,Category Personal", reply_to=first)
        mails += [first, reply]
    mails += _mail_noise(rng, owner, writers, cutoff)
    return _takeout_bytes(mails)


def _mail(sender: tuple[str, str], to: list[tuple[str, str]], subject: str, at: datetime, labels: str,
          reply_to: Mail | None = None, **kw) -> Mail:
    return Mail(at, sender, to, subject, 0, labels, parent=reply_to, **kw)


def _mail_thread(rng: random.Random, owner: tuple[str, str], c: Contact, day: date, cutoff: datetime) -> list[Mail]:
    them = (c.name, c.work_email)
    start = datetime.combine(day + timedelta(days=1), time(rng.randint(7, 15), rng.randint(0, 59)), timezone.utc)
    if start >= cutoff - timedelta(days=1):
        return []
    subject = rng.choice(MAIL_SUBJECTS).format(topic=rng.choice(MAIL_TOPICS), first=c.first)
    mine = rng.random() < 0.5
    first = _mail(owner if mine else them, [them if mine else owner], subject, start,
                  "Sent,Opened" if mine else "Inbox,Opened,Category Personal")
    thread = [first]
    for k in range(rng.choice([1, 1, 2])):
        at = thread[-1].at + timedelta(hours=rng.randint(2, 30))
        if at >= cutoff - timedelta(days=1):
            break
        mine = not mine
        thread.append(_mail(owner if mine else them, [them if mine else owner], "Re: " + subject, at,
                            "Sent,Opened" if mine else "Inbox,Opened,Category Personal", reply_to=thread[-1]))
    at = thread[-1].at + timedelta(hours=rng.randint(1, 20))
    if thread[-1].sender != owner and at < cutoff - timedelta(days=1):  # she answers what waits for her
        thread.append(_mail(owner, [them], "Re: " + subject, at, "Sent,Opened", reply_to=thread[-1]))
    return thread


def _mail_noise(rng: random.Random, owner: tuple[str, str], writers: list[Contact], cutoff: datetime) -> list[Mail]:
    """Mail that makes nobody a tie: kith leaves each of these out, and counts why."""
    noise = []
    inbox = "Inbox,Opened,Category Updates"
    for week in range(12):
        at = cutoff - timedelta(days=7 * week + 3, hours=rng.randint(0, 9))
        noise.append(_mail(("Data Weekly", "newsletter@dataweekly.example"), [owner], f"Data Weekly #{212 - week}", at,
                           "Inbox,Category Promotions", extra=[
                               "List-Unsubscribe: <https://dataweekly.example/u/8841>",
                               "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                               "Precedence: bulk"]))
        noise.append(_mail(("Northwind Tools", "no-reply@tools.northwind.example"), [owner],
                           f"Your weekly usage report ({week + 1})", at - timedelta(hours=5), inbox,
                           extra=["Auto-Submitted: auto-generated"]))
    guild = ("Analytics Guild", "analytics-guild@lists.northwind.example")
    for k, c in enumerate(writers[:4]):
        at = cutoff - timedelta(days=20 + 9 * k, hours=3)
        sender = owner if k == 0 else (c.name, c.work_email)
        noise.append(_mail(sender, [guild], "Guild meetup: call for talks" if k == 0 else f"Talk idea #{k}", at,
                           "Sent,Opened" if k == 0 else inbox,
                           extra=["List-Id: Analytics Guild <analytics-guild.lists.northwind.example>",
                                  "List-Post: <mailto:analytics-guild@lists.northwind.example>"]))
    if writers:
        c = writers[0]
        ping = _mail(owner, [(c.name, c.work_email)], "Board deck numbers", cutoff - timedelta(days=40), "Sent,Opened")
        noise += [ping, _mail((c.name, c.work_email), [owner], "Automatic reply: Board deck numbers",
                              ping.at + timedelta(minutes=1), inbox, reply_to=ping,
                              extra=["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"])]
    recruiter = ("=?UTF-8?Q?J=C3=B6rn_Halvorsen?=", "jorn.halvorsen@talentbridge.example")
    noise += [_mail(recruiter, [owner], "An analytics leadership role in Oslo", cutoff - timedelta(days=d),
                    "Inbox,Opened,Category Personal") for d in (26, 11)]
    noise += [_mail(("Prize Desk", "winner@lucky-draw.example"), [owner], "You have won!!!",
                    cutoff - timedelta(days=d), "Spam,Unread") for d in (5, 15)]
    return noise


def _takeout_bytes(mails: list[Mail]) -> bytes:
    """mbox bytes as Takeout writes them: CRLF, ``From <gmail id>@xxx`` separators (the id's top
    bits are the receive time), X-GM-THRID and X-Gmail-Labels first, threads by the first
    message's id, In-Reply-To and References."""
    mails = sorted(mails, key=lambda m: m.at)  # a reply comes after what it answers
    for n, m in enumerate(mails):
        millis = int(m.at.timestamp() * 1000)
        m.gmail_id = (millis << 20) | (n * 7919 % (1 << 20))
        m.message_id = f"<{m.gmail_id:x}.{n}@{m.sender[1].split('@')[1]}>"
    out = []
    for m in mails:
        parent = m.parent
        m.thread = parent.thread if parent else m.gmail_id
        lines = [f"From {m.gmail_id}@xxx {m.at:%a %b %d %H:%M:%S} +0000 {m.at:%Y}",
                 f"X-GM-THRID: {m.thread}", f"X-Gmail-Labels: {m.labels}"]
        if m.sender[1] != OWNER_EMAIL:
            lines.append(f"Delivered-To: {OWNER_EMAIL}")
        lines += ["MIME-Version: 1.0", f"Date: {m.at:%a, %d %b %Y %H:%M:%S} +0000",
                  f"From: {_mail_address(m.sender)}", "To: " + ",\r\n\t".join(_mail_address(a) for a in m.to)]
        if m.cc:
            lines.append("Cc: " + ", ".join(_mail_address(a) for a in m.cc))
        lines += [f"Subject: {m.subject}", f"Message-ID: {m.message_id}"]
        if parent:
            lines += [f"In-Reply-To: {parent.message_id}", f"References: {parent.message_id}"]
        lines += m.extra
        lines += ["Content-Type: text/plain; charset=\"UTF-8\"", "", MAIL_BODY, "", ""]
        out.append("\r\n".join(lines))
    return "".join(out).encode("utf-8")


def _mail_address(party: tuple[str, str]) -> str:
    name, address = party
    if name.startswith("=?") or name.isascii() and not any(ch in name for ch in ',"'):
        return f"{name} <{address}>"
    if not name.isascii():  # as Gmail writes a non-ASCII name: one RFC 2047 encoded word
        return f"=?UTF-8?B?{base64.b64encode(name.encode()).decode()}?= <{address}>"
    return f'"{name}" <{address}>'


def linkedin_files(sample: Sample) -> dict[str, bytes]:
    return {
        "Connections.csv": connections_csv(sample),
        "messages.csv": messages_csv(sample),
        "Invitations.csv": csv_bytes(INVITATIONS_HEADER, sample.invitations),
        "Profile.csv": profile_csv(),
    }


def export_files(sample: Sample, world: World | None) -> dict[str, bytes]:
    """Every file of the inbox, by path relative to it."""
    files = {f"linkedin/{name}": data for name, data in linkedin_files(sample).items()}
    if world is not None:
        files["google/contacts.csv"] = google_csv(world)
        files["apple/contacts.vcf"] = apple_vcf(world)
        files["calendar/calendar.ics"] = google_ics(world)
        files[MAIL_PATH] = mailbox(sample, world)
    return files


def write_export(files: dict[str, bytes], out: Path, as_of: date, as_zip: bool) -> list[Path]:
    """Write the inbox; with as_zip the LinkedIn files go into one archive, as LinkedIn sends."""
    written = []
    linkedin = {k.split("/", 1)[1]: v for k, v in files.items() if k.startswith("linkedin/")}
    for rel, data in files.items():
        if as_zip and rel.startswith("linkedin/"):
            continue
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    if as_zip:
        path = out / "linkedin" / f"Basic_LinkedInDataExport_{as_of:%m-%d-%Y}.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in linkedin.items():
                info = zipfile.ZipInfo(name, date_time=(as_of.year, as_of.month, as_of.day,
                                                        9, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
        written.insert(0, path)
    return written


def write_manifest(sample: Sample, as_of: date, people: int, seed: int,
                   written: list[Path]) -> None:
    manifest = {"as_of": as_of.isoformat(), "owner_name": sample.owner.name,
                "owner_profile_url": sample.owner.url, "owner_email": OWNER_EMAIL,
                "owner_other_emails": [OWNER_PERSONAL_EMAIL], "people": people, "seed": seed,
                "generator": "bench/make_sample.py",
                "files": [p.relative_to(MANIFEST_PATH.parent).as_posix() for p in written]}
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")


def summary(sample: Sample, world: World | None, files: dict[str, bytes]) -> str:
    msgs = sample.messages
    convs = {m.conversation_id for m in msgs}
    groups = {m.conversation_id for m in msgs if len(m.recipients) > 1}
    tiers = Counter(p.tier for p in sample.people)
    quiet = Counter(p.tier for p in sample.people if p.quiet_days)
    lines = [
        f"owner: {sample.owner.name} <{sample.owner.url}> <{OWNER_EMAIL}>",
        "tiers: " + ", ".join(f"{t}={n} ({quiet[t]} quiet)" for t, n in tiers.items()),
        f"connections: {len(sample.people)} people + {len(sample.ghost_dates)} ghost rows,"
        f" {sum(bool(p.email) for p in sample.people)} e-mails",
        f"messages: {len(msgs)} rows in {len(convs)} conversations ({len(groups)} group),"
        f" {sum(m.is_draft for m in msgs)} drafts,"
        f" {sum(m.sender.name == 'LinkedIn Member' for m in msgs)} LinkedIn Member rows",
        f"invitations: {len(sample.invitations)}",
    ]
    if world is not None:
        lines += world_summary(world)
    lines.append("bytes: " + ", ".join(f"{name}={len(data):,}" for name, data in files.items()))
    return "\n".join(lines)


def world_summary(world: World) -> list[str]:
    rows = [c for c in world.google if c.role != "duplicate"]
    google = {c.key for c in rows}
    apple = {c.key for c in world.vcards}
    cal: set[str] = set()
    for e in world.events:
        cal |= {a.contact.key for a in e.attendees if a.contact}
    linked = {k for k in google | apple | cal if world.contacts[k].person}
    roles = Counter(c.role for c in rows)
    occ = instances(world.events)
    past = [(e, s) for e, s, st in occ if st != "CANCELLED"
            and (s.date() if isinstance(s, datetime) else s) < world.as_of]
    kinds = Counter(e.kind for e in world.events if not e.recurrence_id)
    past_kinds = Counter(e.kind for e, _ in past)
    masters = [e for e in world.events if e.rrule]
    return [
        f"google: {len(world.google)} rows = {len(google)} people ({len(google & linked)} LinkedIn:"
        + ", ".join(f" {r}={n}" for r, n in roles.items()) + ") + 1 duplicate;"
        f" {len(world.linkedin_in_google)} with LinkedIn URL",
        f"apple: {len(apple)} cards + me + 1 business; {len(apple & google)} also in Google,"
        f" {len(apple & linked)} LinkedIn; styles {dict(Counter(world.vcard_style.values()))}",
        f"calendar people: {len(cal)} ({len(cal & linked)} LinkedIn, {len(cal & google)} in Google,"
        f" {len(cal & apple)} in Apple, {len(cal - google - apple)} only in the calendar);"
        f" LinkedIn+Google+calendar: {len(cal & google & linked)}",
        f"events: {len(world.events)} VEVENTs ({sum(bool(e.recurrence_id) for e in world.events)}"
        f" overrides, {len(masters)} series); by kind " + ", ".join(
            f"{k}={n}" for k, n in sorted(kinds.items())),
        "occurrences before the export, by kind: " + ", ".join(
            f"{k}={n}" for k, n in sorted(past_kinds.items()))
        + f"; after: {sum(1 for e, s, st in occ if st != 'CANCELLED') - len(past)}",
    ]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="inbox folder (gets linkedin/, google/, apple/, calendar/)")
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="number of connections")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--export-date", type=date.fromisoformat,
                        default=date.fromisoformat(DEFAULT_EXPORT_DATE))
    parser.add_argument("--zip", action="store_true",
                        help="write linkedin/Basic_LinkedInDataExport_MM-DD-YYYY.zip instead of"
                             " loose LinkedIn files")
    parser.add_argument("--linkedin-only", action="store_true",
                        help="write only the LinkedIn export (as before the other sources)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sample = build_sample(args.people, args.seed, args.export_date)
    world = (None if args.linkedin_only
             else WorldBuilder(sample, args.seed, args.export_date).build())
    files = export_files(sample, world)
    written = write_export(files, args.out, args.export_date, args.zip)
    if args.out.resolve() == DEFAULT_OUT:
        write_manifest(sample, args.export_date, args.people, args.seed, written)
        written.append(MANIFEST_PATH)
    print(summary(sample, world, files))
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
