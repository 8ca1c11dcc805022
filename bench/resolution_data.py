#!/usr/bin/env python3
"""Labelled contact-like exports for measuring kith's entity resolution (invented people only).

``generate(out_dir, people, seed)`` draws ``people`` true people and writes each of them into
1 to 5 of kith's real input formats (in ``out_dir/exports/``), with the corruptions real
address books carry, plus ``out_dir/labels.csv``, naming the true person behind every record
kith will store, and ``out_dir/manifest.json`` (sizes, rates, corruption counts):

* ``Connections.csv``: LinkedIn Connections (3-line ``Notes:`` preamble, URL column, LF, no
  final newline, ``05 Feb 2014`` dates, e-mail on ~2% of rows, a few ghost rows);
* ``google.csv``: Google Contacts CSV, current layout (two e-mail, two phone groups,
  `` ::: `` multi-values, LinkedIn URL as a website on some rows);
* ``outlook.csv``: Outlook.com 61-column CSV (UTF-8 BOM, CRLF, company switchboard numbers);
* ``contacts.vcf``: Apple vCard 3.0 (``itemN.`` groups, ``X-ABLabel``, ``\\:`` in URLs, CRLF);
* ``calendar.ics``: Google Calendar export; every person seen there is an attendee (CN
  ``First Last``, ``Last, First`` or the bare address) of meetings with the owner.

Every person has a unique LinkedIn slug, unique work and personal addresses and unique
phone numbers; what is shared on purpose is *names* (namesakes, some at the same company)
and, in Outlook's ``Company Main Phone``, a company switchboard number. Phones are written
with ``+CC`` except US numbers, which are often written without it: ingest with
``ParseContext(phone_region="US")``.

``labels.csv`` has ``file_name,record_key,true_id``; ``record_key`` is kith's: the 1-based
data record number for CSV rows and vCards, the lower-cased address for a calendar attendee.
Rows deliberately broken (LinkedIn ghost rows) are listed in ``manifest.json`` as
``injected_rejects``, not in the labels.

Usage: python bench/resolution_data.py OUT_DIR [--people 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

# ------------------------------------------------------------------ corruption rates (per record)

RATES = {
    "nickname": 0.12,        # a nickname instead of the given name (when the name has one)
    "typo": 0.05,            # one edit (substitute, drop, double, transpose) in the first or last name
    "swap": 0.03,            # first and last name swapped
    "drop_accents": 0.35,    # accents dropped (when the name has any)
    "credential": 0.06,      # ", PhD" / " MBA" / an emoji after the last name (LinkedIn: x2)
    "middle_initial": 0.08,  # "Anna K. Berg"
    "personal_email": 0.25,  # the personal address instead of the work one (when the person has one)
    "old_job": 0.5,          # an older source shows the previous company and address (when there was one)
    "no_email": 0.10,        # contact rows with no address at all
    "no_phone": 0.35,        # contact rows with no phone
    "no_company": 0.08,
    "within_file_duplicate": 0.02,  # a second Google row for the same person (a real Contacts habit)
}
# How often a person is in each source; a person in none is put into one at random.
COVERAGE = {"linkedin": 0.70, "google": 0.42, "outlook": 0.25, "vcard": 0.28, "calendar": 0.35}
NAMESAKE_SHARE = 0.02       # people given the full name of an earlier person on purpose
NAMESAKE_SAME_COMPANY = 0.10  # of those, share at the namesake's company
JOB_CHANGE = 0.25           # people with a previous employer (and address there)
PERSONAL_EMAIL = 0.45       # people with a personal address
SECOND_PHONE = 0.20
GHOST_ROWS = 0.004          # LinkedIn ghost rows (only Connected On): injected rejects
OWNER = "owner@bench-owner.example"
FILES = ("Connections.csv", "google.csv", "outlook.csv", "contacts.vcf", "calendar.ics")

# ------------------------------------------------------------------ names

# (given names, surnames, surname prefixes, surname suffixes): the prefix x suffix products
# widen each culture's surname pool the way its real surnames are built.
CULTURES: dict[str, tuple[str, str, str, str]] = {
    "anglo": ("James Robert John Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew "
              "Anthony Andrew Joshua Kevin Brian Edward Ronald Timothy Jason Jeffrey Jacob Nicholas Jonathan "
              "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Margaret Sandra "
              "Ashley Kimberly Emily Donna Michelle Katherine Rebecca Samantha Deborah Stephanie Victoria Abigail",
              "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin "
              "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams",
              "Ash Black Brad Brook Chad Clay Cole Crawl Dun East Fair Fox Hart Haw Holl Lang Mar Nor Pen Red "
              "Rod Ry Stan Sutt Thorn Wad Wake West Whit Win Wood",
              "ford ley ton well wood worth by field more ham ridge dale wick land shaw"),
    "french": ("Amélie Aurélie Céline Chloé Élodie Émilie Hélène Inès Léa Mathilde Océane Solène Zoé Camille "
               "Éric François Grégoire Jérôme Léo Loïc Maël Noël Rémi Stéphane Théo Benoît Gaël Hervé Étienne",
               "Lefèvre Dubois Moreau Girard Rousseau Mercier Chevalier Bérénger Lemaître Fournier Gauthier "
               "Bonnet Dupré Faure Lacroix Roussel Marchand Mathieu Bélanger Côté Gagné Pelletier",
               "Beau Bel Bon Cha Du Fon Gar La Le Mal Mon Per Ri Ro Va Vil",
               "champ court fort lier mont noir pré ville vert net ard ois"),
    "spanish": ("José María Lucía Martín Sofía Andrés Álvaro Inés Raúl Julián Mónica Ramón Begoña Iñaki "
                "Jesús Ángela Víctor Adrián Nicolás Tomás Sebastián Valentín Rocío Belén Joaquín Elena",
                "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz "
                "Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez",
                "Al Bel Car Cas Cor Es Fer Gal Her Mar Mon Nar Or Pa Ri San Val Vi",
                "ares arro illo ero eda ino ueta anes ado uela"),
    "portuguese": ("João Antônio Conceição Gonçalo Inês Leonor Sebastião Tânia Vitória Luís Simão Catarina "
                   "Beatriz Mariana Rafael Tiago Duarte Rodrigo Matilde Lourenço",
                   "Gonçalves Conceição Magalhães Simões Lourenço Guimarães Araújo Brandão Falcão Gusmão "
                   "Carvalho Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Lopes",
                   "Ba Ca Fa Ga Lo Ma Pa Ro Sa Te Va",
                   "lhão rães rão cedo deira queira tins nho"),
    "german": ("Jürgen Jörg Björn Günter Käthe Jörn Sören Uwe Lukas Maximilian Felix Jonas Leonie Hannah "
               "Lena Katharina Johanna Friederike Matthias Stefan Tobias Wolfgang Ulrike Dörte Mareike",
               "Müller Schäfer Schröder Köhler Böhm Krüger Weiß Groß Fuchs Vogel Becker Hoffmann Schulz "
               "Zimmermann Braun Krause Lehmann Schmitt Wolf Neumann Schwarz Hartmann",
               "Alt Berg Brand Eich Feld Gold Grün Hahn Holz Kirch Lind Mühl Ober Rosen Stein Wald Wein",
               "mann bauer berger hofer meier huber bach hausen brunner müller"),
    "nordic": ("Åsa Björn Sigrid Linnéa Sölvi Ingrid Astrid Søren Jørgen Øystein Mikkel Freja Nils Elin "
               "Oskar Maja Eero Aino Ville Sanna Jukka Annika Kristján Guðrún Þórunn Halldóra",
               "Åberg Lindqvist Bjørnstad Sørensen Løvgren Nyström Hägglund Söderberg Holm Berg Virtanen "
               "Korhonen Mäkinen Nieminen Hämäläinen Jónsdóttir Guðmundsson",
               "Ahl Berg Dahl Ek Fors Gran Hag Lind Ljung Löf Norr Sand Sjö Ström Wall Ås Öst",
               "berg gren lund qvist ström sson sen dahl holm mark"),
    "polish": ("Łukasz Paweł Michał Wojciech Małgorzata Agnieszka Krzysztof Zofia Bartłomiej Jędrzej Ewa "
               "Katarzyna Tomasz Piotr Magdalena Joanna Stanisław Grzegorz Dorota Aleksandra",
               "Kowalczyk Wiśniewski Wójcik Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski "
               "Kozłowski Jankowski Mazur Krawczyk Nowak Piotrowski Grabowski Pawłowski Michalski",
               "Bor Brzez Dąb Gór Jabł Kal Kos Krzy Lip Mał Now Ols Pol Sos Wil Zaj",
               "owski ewski ański ińska ecki czak czyk ak ek iak"),
    "czech": ("Jiří Tomáš Lukáš Petr Jana Tereza Kateřina Markéta Ondřej Vojtěch Zdeněk Barbora Šárka",
              "Novák Svoboda Dvořák Černý Procházka Kučera Veselý Horák Němec Pokorný Marek Růžička",
              "Hrub Kova Krej Mach Ptá Smo Sta Vl Zele",
              "ček šek ník ář ovský ec ák"),
    "turkish": ("Ayşe Çağla Gülşen Özlem Şebnem Öykü İlkay Mehmet Mustafa Ahmet Emre Barış Burak Çağrı "
                "Gökhan Oğuz Selim Elif Zeynep Merve Büşra Ümit Tuğba Doğan",
                "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç "
                "Aslan Çetin Kara Koç Kurt Özkan Şimşek",
                "Ak Al Bal Çak Dem Er Gök Kar Kay Öz Sar Tek Uy Yal",
                "soy oğlu han kaya tepe türk bay demir"),
    "vietnamese": ("Anh Bảo Châu Dũng Hà Hải Hiếu Hương Khánh Linh Minh Ngọc Phương Quân Thảo Trang Tuấn "
                   "Việt Vy Yến Đức Huy Long Nam",
                   "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Lương",
                   "", ""),
    "chinese": ("Wei Fang Jing Li Min Jie Lei Yan Hui Ying Hao Yun Xin Chen Tao Ming Bo Hong Ling Qiang "
                "Xiaoming Zihan Yuxuan Haoran Yichen Zhiwei Meiling Xiuying Jiahui Shuang",
                "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo "
                "Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang",
                "", ""),
    "japanese": ("Haruto Yuto Sota Yuki Hayato Takumi Ren Kaito Riku Sakura Yui Aoi Hina Rin Yuna Mio Saki "
                 "Kenji Hiroshi Akira Naoko Emi Shinji Kazuki Ayaka",
                 "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada "
                 "Sasaki Matsumoto Inoue Kimura Shimizu Hayashi Saito",
                 "Aka Fuji Hara Hashi Hira Ishi Iwa Kawa Kita Koba Kuro Matsu Miya Mori Naka Nishi Oka Saka "
                 "Shima Taka Uchi Yama Yoshi",
                 "moto mura da no ta kawa zaki hara shima yama gawa oka"),
    "korean": ("Min-jun Seo-yeon Ji-hoon Ha-eun Do-yun Ji-woo Seo-jun Su-bin Hyun-woo Eun-ji Jae-won "
               "Ye-jin Sung-min Hye-jin Dong-hyun Yu-na Jin-ho Soo-ah Tae-yang Na-rae",
               "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong",
               "", ""),
    "indian": ("Aarav Vivaan Aditya Arjun Sai Rohan Ishaan Priya Ananya Diya Kavya Aadhya Saanvi Meera "
               "Lakshmi Venkatesh Srinivas Rajesh Sunita Deepika Harpreet Gurpreet Nikhil Shreya Vikram",
               "Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Menon Rao Joshi Desai Mehta Shah Chopra "
               "Kapoor Malhotra Banerjee Chatterjee Mukherjee Pillai Krishnan Subramanian Venkataraman",
               "Agar Bhat Chand Dev Gan Jag Kris Lal Nag Pra Raj Ram Sri Sub Ven",
               "wal nathan murthy swamy raman kar pal appa esh"),
    "arabic": ("Mohammed Ahmed Omar Youssef Khalid Hassan Ali Ibrahim Karim Tariq Fatima Aisha Layla Noor "
               "Yasmin Mariam Zainab Huda Rania Salma Abdullah Hamza",
               "Al-Sayed Haddad Khoury Mansour Nasser Saleh Hamdan Farouk Aziz Rahman Khalil Abboud "
               "Al-Masri Darwish Haddadin Qasim Shammas Tahan Zayed",
               "Al-Bak Al-Har Al-Ja Al-Mu Al-Na Al-Qa Al-Ra Al-Sha Al-Za",
               "ri bari hami zaidi shimi mi wi"),
    "russian": ("Aleksandr Dmitry Sergei Andrei Alexei Ivan Mikhail Nikolai Pavel Yulia Anastasia Olga "
                "Tatiana Natalia Ekaterina Svetlana Irina Vladimir Yevgeny Ksenia",
                "Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov "
                "Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov",
                "Bel Bog Gor Kras Lys Mal Med Orl Sav Sid Tar Zhu",
                "ov ev in enko sky ykin ukhin"),
    "greek": ("Giorgos Dimitris Konstantinos Yannis Nikos Eleni Maria Katerina Sofia Vasiliki Christos "
              "Panagiotis Athanasios Ioanna Despina",
              "Papadopoulos Georgiou Nikolaidis Konstantinou Dimitriou Vlachos Oikonomou Papageorgiou "
              "Karagiannis Christodoulou Alexiou",
              "Anagno Chatzi Kara Makri Papa Stavro Theo Vasil Zaf",
              "poulos idis akis iou opoulou"),
    "african": ("Chidi Ngozi Oluwaseun Adebayo Chiamaka Emeka Funmilayo Kwame Ama Kofi Abena Thabo Lerato "
                "Sipho Nomvula Wanjiru Kamau Amara Tunde Folake Yaw",
                "Okafor Adeyemi Okonkwo Eze Nwosu Mensah Asante Boateng Dlamini Nkosi Mokoena Kamau Otieno "
                "Mwangi Achieng Balogun Olawale",
                "Ade Ako Bab Ige Nwa Obi Ode Olu Ona Osa",
                "nyi bayo ola kunle yemi wale chukwu"),
}

# Given names built from syllables, as they are in these cultures (widens the name space).
SYLLABLES = {
    "chinese": ("Xiao Ming Hui Jia Yu Zi Hao Yi Chen Wen Jun Lin Xin Yan Qing Rui Kai Ning Shu Tian Yang Zhi Hong "
                "Bo Lei Mei Hua Jing Feng Guo Dan Xue Rong Peng".split(), "{a}{b}"),
    "korean": ("Min Seo Ji Ha Do Su Hyun Eun Jae Ye Sung Hye Dong Yu Jin Tae Na Woo Hee Young Joon Ah Bin Yeon "
               "Kyung Sang".split(), "{a}-{b}"),
    "vietnamese": ("Văn Thị Minh Ngọc Thanh Hữu Đức Quốc Kim Xuân Bảo Gia".split(), "{a} {c}"),
}


# Nicknames commonly used for a given name. The ``nicknames`` package (Carlton Northern's
# table) is used when installed; this short table is the fallback.
_NICK_FALLBACK = {
    "robert": ["Bob", "Rob", "Bobby"], "william": ["Bill", "Will", "Billy"], "elizabeth": ["Liz", "Beth", "Lizzie"],
    "james": ["Jim", "Jimmy", "Jamie"], "michael": ["Mike", "Mick"], "richard": ["Rick", "Dick", "Rich"],
    "joseph": ["Joe", "Joey"], "thomas": ["Tom", "Tommy"], "charles": ["Charlie", "Chuck"],
    "christopher": ["Chris", "Topher"], "daniel": ["Dan", "Danny"], "matthew": ["Matt"], "anthony": ["Tony"],
    "andrew": ["Andy", "Drew"], "joshua": ["Josh"], "edward": ["Ed", "Ted", "Eddie"], "timothy": ["Tim"],
    "nicholas": ["Nick"], "jonathan": ["Jon"], "jennifer": ["Jen", "Jenny"], "patricia": ["Pat", "Patty"],
    "margaret": ["Maggie", "Peggy", "Meg"], "katherine": ["Kate", "Kathy", "Katie"], "rebecca": ["Becky"],
    "samantha": ["Sam"], "deborah": ["Debbie", "Deb"], "stephanie": ["Steph"], "victoria": ["Vicky", "Tori"],
    "abigail": ["Abby"], "kimberly": ["Kim"], "susan": ["Sue"], "alexander": ["Alex"], "aleksandr": ["Sasha"],
    "dmitry": ["Dima"], "ekaterina": ["Katya"], "mikhail": ["Misha"], "natalia": ["Natasha"],
    "katharina": ["Kathi"], "maximilian": ["Max"], "francois": ["Francis"], "jose": ["Pepe"],
}


def _nickname_table() -> dict[str, list[str]]:
    try:
        from nicknames import NickNamer
    except ImportError:
        return _NICK_FALLBACK
    namer = NickNamer()
    table: dict[str, list[str]] = {}
    for pool in CULTURES.values():
        for given in pool[0].split():
            key = _ascii(given).lower()
            nicks = sorted(n for n in namer.nicknames_of(key) if len(n) >= 2)
            if nicks:
                table[key] = [n.capitalize() for n in nicks]
    for key, nicks in _NICK_FALLBACK.items():
        table.setdefault(key, nicks)
    return table


@lru_cache(maxsize=None)
def _ascii(text: str) -> str:
    """Accents dropped, the way people type a name on an English keyboard."""
    special = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "ı": "i", "æ": "ae",
               "Æ": "Ae", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th"}
    text = "".join(special.get(ch, ch) for ch in text)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=None)
def _slugify(text: str) -> str:
    return "".join(ch for ch in _ascii(text).lower() if ch.isalnum() or ch == "-")


COMPANY_WORDS_A = ("Blue Harbor Lumen Tidewater Halcyon Meridian Stellwerk Kumo Vela Northwind Copperline Quillon "
                   "Ardent Bright Cedar Delta Ember Fjord Granite Helix Iris Juniper Kestrel Lattice Mistral Nimbus "
                   "Orbit Pioneer Quartz Riverstone Summit Tandem Umber Vantage Willow Xylo Yonder Zephyr Aurora "
                   "Basalt Cobalt Driftwood Evergreen Foxglove Gossamer Harbinger Indigo Jetstream Keystone").split()
COMPANY_WORDS_B = ("Labs Foundry Logistics Bio Loop Daten Works Mobility Analytics Systems Health Capital Robotics "
                   "Energy Media Partners Software Networks Studio Ventures Therapeutics Foods Materials Security "
                   "Payments Cloud Design Consulting Retail Aerospace").split()
LEGAL = ["", "", "", " Inc.", " GmbH", " Ltd", " S.A.", " K.K.", " LLC", " AB", " Sp. z o.o."]
TITLES = ("Software Engineer|Senior Software Engineer|Staff Engineer|Engineering Manager|Product Manager|"
          "Senior Product Manager|Director of Engineering|VP Sales|Account Executive|Data Scientist|"
          "Head of Marketing|Designer|UX Researcher|Recruiter|CFO|CTO|Founder|Co-Founder & CEO|Consultant|"
          "Operations Lead|Customer Success Manager|Research Scientist|Partner|Analyst").split("|")
# Real providers' domains: what makes a personal address personal is its provider, and kith
# knows the providers by their real domains. (The addresses are invented and never leave the
# run's folder; company domains stay under .example.)
FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "gmx.de", "web.de",
             "naver.com", "qq.com"]
CREDENTIALS = [", PhD", ", MBA", " MBA", ", CPA", " PMP", ", MSc", " Jr.", ", P.Eng.", " 🚀", " 🌍", " ✨", ", CFA"]
US_AREAS = [201, 206, 212, 213, 214, 303, 305, 312, 404, 408, 415, 425, 503, 512, 617, 646, 650, 702, 718, 773,
            801, 858, 917, 949]
# (country code, written prefix, digits after the prefix)
INTL = [("44", "+44 20 ", 8), ("49", "+49 30 ", 8), ("33", "+33 1 ", 8), ("81", "+81 3 ", 8),
        ("91", "+91 98", 8), ("46", "+46 70 ", 7), ("34", "+34 6", 8), ("55", "+55 11 9", 8)]


class FastRandom(random.Random):
    """random.Random with a cheaper integer draw (a float scaled down, not rejection
    sampling): choice, randrange, sample and shuffle all go through it. The bias is
    below 2**-40, and it is as deterministic for a seed."""

    def _randbelow(self, n: int) -> int:  # type: ignore[override]
        return int(self.random() * n)

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]


@dataclass
class Person:
    id: int
    first: str
    last: str
    culture: str
    company: int
    title: str
    work_email: str
    slug: str
    phones: list[tuple[str, str]]  # (kind 'us'|'intl', digits or formatted +CC text)
    personal_email: str | None = None
    old_company: int | None = None
    old_email: str | None = None
    middle: str = ""
    namesake_of: int | None = None


@dataclass
class Population:
    people: list[Person]
    companies: list[tuple[str, str, str]]  # (name, domain, switchboard digits)
    namesake_people: int = 0
    stats: dict = field(default_factory=dict)


def _company_list(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    seen, out = set(), []
    while len(out) < n:
        a, b = rng.choice(COMPANY_WORDS_A), rng.choice(COMPANY_WORDS_B)
        name = f"{a} {b}"
        if name in seen:
            name = f"{a} {b} {len(out)}"
        seen.add(name)
        # the domain follows the (unique) name, as employers' domains mostly do: two
        # companies never share one, and the address's domain names the employer
        domain = f"{_slugify(name).replace('-', '')}.example"
        switchboard = f"{rng.choice(US_AREAS)}{rng.randrange(200, 999)}{rng.randrange(0, 10000):04d}"
        out.append((name + rng.choice(LEGAL), domain, switchboard))
    return out


def _surname_pool(culture: tuple[str, str, str, str]) -> list[str]:
    real = culture[1].split()
    built = [p + s for p in culture[2].split() for s in culture[3].split()]
    return real + built


def _email_local(first: str, last: str, style: int) -> str:
    f, l_ = _slugify(first).replace("-", ""), _slugify(last).replace("-", "")
    return (f"{f}.{l_}", f"{f[:1]}{l_}", f"{f}{l_[:1]}", f"{f}_{l_}", f"{f}")[style]


def population(n: int, seed: int) -> Population:
    """The true people: names, companies, addresses, phones and profile slugs, all unique
    except the names (namesakes drawn on purpose, and natural collisions)."""
    rng = FastRandom(seed)
    companies = _company_list(rng, max(20, n // 40))
    styles = [rng.choice((0, 0, 0, 1, 1, 2, 3)) for _ in companies]  # each company's address convention
    pools = {name: (c[0].split(), _surname_pool(c)) for name, c in CULTURES.items()}
    culture_names = list(CULTURES)
    weights = [4 if c in ("anglo", "chinese", "indian", "spanish") else 2 for c in culture_names]
    cum_weights = [sum(weights[:i + 1]) for i in range(len(weights))]
    used_emails: set[str] = set()
    used_slugs: set[str] = set()
    used_phones: set[str] = set()
    name_count: dict[tuple[str, str], int] = {}
    people: list[Person] = []
    company_size = [0] * len(companies)

    def unique_email(local: str, domain: str) -> str:
        email, k = f"{local}@{domain}", 1
        while email in used_emails:
            k += 1
            email = f"{local}{k}@{domain}"
        used_emails.add(email)
        return email

    def new_phone() -> tuple[str, str]:
        while True:
            if rng.random() < 0.75:
                digits = f"{rng.choice(US_AREAS)}{rng.randrange(200, 999)}{rng.randrange(0, 10000):04d}"
                kind = "us"
            else:
                cc, prefix, width = rng.choice(INTL)
                digits = prefix + "".join(str(rng.randrange(10)) for _ in range(width))
                kind = "intl"
            if digits not in used_phones:
                used_phones.add(digits)
                return kind, digits

    def draw_name() -> tuple[str, str, str]:
        culture = rng.choices(culture_names, cum_weights=cum_weights)[0]
        given_pool = pools[rng.choice(culture_names)][0] if rng.random() < 0.15 else pools[culture][0]
        first = rng.choice(given_pool)
        if culture in SYLLABLES and rng.random() < 0.7:
            syllables, pattern = SYLLABLES[culture]
            a, b = rng.sample(syllables, 2)
            first = pattern.format(a=a, b=b.lower(), c=first)
        last = rng.choice(pools[culture][1])
        if culture in ("spanish", "portuguese") and rng.random() < 0.3:
            last = f"{last} {rng.choice(pools[culture][1])}"  # two surnames
        return culture, first, last

    namesakes = 0
    for pid in range(n):
        template = people[rng.randrange(len(people))] if people and rng.random() < NAMESAKE_SHARE else None
        if template is not None:
            culture, first, last = template.culture, template.first, template.last
            namesakes += 1
        else:
            for _attempt in range(12):  # natural namesakes only when the name space is crowded
                culture, first, last = draw_name()
                if (first, last) not in name_count:
                    break
        if template is not None and rng.random() < NAMESAKE_SAME_COMPANY:
            company = template.company
        else:
            company = rng.randrange(len(companies))
        company_size[company] += 1
        key = (first, last)
        name_count[key] = name_count.get(key, 0) + 1
        base_slug = f"{_slugify(first)}-{_slugify(last).replace(' ', '-')}"
        slug = base_slug
        if slug in used_slugs or rng.random() < 0.5:  # LinkedIn's -1a2b3c4d suffixes
            while slug in used_slugs or slug == base_slug:
                slug = f"{base_slug}-{rng.getrandbits(32):08x}"[: len(base_slug) + rng.choice((7, 9))]
        used_slugs.add(slug)
        style = styles[company]
        work_email = unique_email(_email_local(first, last.split()[0], style), companies[company][1])
        p = Person(pid, first, last, culture, company, rng.choice(TITLES), work_email, slug, [new_phone()])
        if rng.random() < SECOND_PHONE:
            p.phones.append(new_phone())
        if rng.random() < PERSONAL_EMAIL:
            local = rng.choice((f"{_email_local(first, last.split()[0], 0)}",
                                f"{_email_local(first, last.split()[0], 2)}{rng.randrange(10, 99)}",
                                f"{_slugify(first).replace('-', '')}{rng.randrange(1960, 2005)}"))
            p.personal_email = unique_email(local, rng.choice(FREE_MAIL))
        if rng.random() < JOB_CHANGE:
            p.old_company = rng.randrange(len(companies))
            if p.old_company != company:
                p.old_email = unique_email(_email_local(first, last.split()[0], styles[p.old_company]),
                                           companies[p.old_company][1])
            else:
                p.old_company = None
        if rng.random() < 0.1:
            p.middle = rng.choice("ABCDEFGHJKLMNPRSTW")
        p.namesake_of = template.id if template is not None else None
        people.append(p)
    with_namesake = sum(c for c in name_count.values() if c > 1)
    pop = Population(people, companies, namesakes)
    pop.stats = {"people": n, "companies": len(companies), "deliberate_namesakes": namesakes,
                 "people_sharing_full_name": with_namesake,
                 "namesake_share": round(with_namesake / max(n, 1), 4)}
    return pop


# ------------------------------------------------------------------ corruption


class Corruptor:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.nicks = _nickname_table()
        self.counts: dict[str, int] = {}

    def _hit(self, what: str, scale: float = 1.0) -> bool:
        if self.rng.random() < RATES[what] * scale:
            self.counts[what] = self.counts.get(what, 0) + 1
            return True
        return False

    def typo(self, word: str) -> str:
        if len(word) < 3:
            return word
        rng, i = self.rng, self.rng.randrange(1, len(word))
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + rng.choice("aeinorstlu") + word[i + 1:]
        if kind == 1:
            return word[:i] + word[i + 1:]
        if kind == 2:
            return word[:i] + word[i] + word[i:]
        if i < len(word) - 1:
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        return word[:i] + word[i] * 2

    def name(self, p: Person, linkedin: bool = False) -> tuple[str, str]:
        """(first, last) as this record writes them."""
        first, last = p.first, p.last
        if self._hit("nickname", 0.5 if linkedin else 1.0):
            nicks = self.nicks.get(_ascii(first).lower())
            if nicks:
                first = self.rng.choice(nicks)
        if self._hit("drop_accents") and _ascii(first + last) != first + last:
            first, last = _ascii(first), _ascii(last)
        if self._hit("typo"):
            if self.rng.random() < 0.5:
                first = self.typo(first)
            else:
                last = self.typo(last)
        if self._hit("middle_initial") or (p.middle and self.rng.random() < 0.3):
            first = f"{first} {p.middle or self.rng.choice('ABCDEFGHJKLMNPRSTW')}."
        if self._hit("credential", 2.0 if linkedin else 0.5):
            last += self.rng.choice(CREDENTIALS)
        if self._hit("swap", 0.3 if linkedin else 1.0):
            first, last = last, first
        return first, last

    def phone(self, kind: str, digits: str) -> str:
        if kind == "intl":
            return digits
        a, b, c = digits[:3], digits[3:6], digits[6:]
        return self.rng.choice((f"+1 {a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"+1 ({a}) {b}-{c}",
                                f"{a}-{b}-{c}", f"+1{a}{b}{c}", f"1-{a}-{b}-{c}"))

    def emails(self, p: Person, older: bool) -> list[str]:
        """The addresses a contact record holds, best first ([] when missing)."""
        if self._hit("no_email"):
            return []
        work = p.old_email if older and p.old_email and self._hit("old_job") else p.work_email
        if p.personal_email and self._hit("personal_email"):
            return [p.personal_email] + ([work] if self.rng.random() < 0.3 else [])
        return [work] + ([p.personal_email] if p.personal_email and self.rng.random() < 0.2 else [])

    def phones(self, p: Person) -> list[str]:
        if self._hit("no_phone"):
            return []
        chosen = p.phones if self.rng.random() < 0.5 else p.phones[:1]
        return [self.phone(kind, digits) for kind, digits in chosen]


# ------------------------------------------------------------------ writers


def _csv_cell(value: str) -> str:
    if not value:
        return ""
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _row(cells: list[str] | tuple[str, ...]) -> str:
    line = ",".join(cells)
    if '"' not in line and "\n" not in line and line.count(",") == len(cells) - 1:
        return line  # nothing to quote: the common case
    return ",".join(_csv_cell(c) for c in cells)


LINKEDIN_PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or download "
    "their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more "
    'here https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

GOOGLE_HEADER = ("First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
                 "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
                 "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
                 "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
                 "Website 1 - Label,Website 1 - Value")
OUTLOOK_HEADER = ("First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,"
                  "E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,Business Phone 2,"
                  "Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,Home Fax,Other Fax,"
                  "Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,Job Title,Department,"
                  "Company,Office Location,Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,"
                  "Business Street,Business City,Business State,Business Postal Code,Business Country/Region,"
                  "Home Street,Home City,Home State,Home Postal Code,Home Country/Region,Other Street,Other City,"
                  "Other State,Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,"
                  "Location,Web Page,Birthday,Anniversary,Notes")
_OUTLOOK_COLS = OUTLOOK_HEADER.split(",")
_OUT = {name: i for i, name in enumerate(_OUTLOOK_COLS)}


def _profile_url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{quote(slug, safe='-')}"


class _Labels:
    def __init__(self, path: Path):
        self.f = path.open("w", encoding="utf-8", newline="")
        self.f.write("file_name,record_key,true_id\n")
        self.n = 0

    def add(self, file_name: str, key: str, pid: int) -> None:
        self.f.write(f"{file_name},{_csv_cell(key)},{pid}\n")
        self.n += 1

    def close(self) -> None:
        self.f.close()


def _vcard_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """RFC 5545 folding at 75 octets (never inside a UTF-8 sequence)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    out, start, width = [], 0, 75
    while len(data) - start > width:
        cut = start + width
        while 0x80 <= data[cut] < 0xC0:  # a continuation byte: back up to the character's start
            cut -= 1
        out.append(data[start:cut])
        start, width = cut, 74
    out.append(data[start:])
    return b"\r\n ".join(out).decode("utf-8")


def generate(out_dir: Path, people: int, seed: int = 1) -> dict:
    """Write the five exports and labels.csv into ``out_dir``; returns the manifest."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    exports = out_dir / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    pop = population(people, seed)
    rng = FastRandom(seed * 7919 + 17)
    cor = Corruptor(rng)
    companies = pop.companies
    labels = _Labels(out_dir / "labels.csv")
    written = {f: 0 for f in FILES}
    injected = 0

    # who is where
    where: dict[str, list[Person]] = {s: [] for s in COVERAGE}
    sources = list(COVERAGE)
    for p in pop.people:
        chosen = [s for s in sources if rng.random() < COVERAGE[s]]
        if not chosen:
            chosen = [rng.choice(sources)]
        for s in chosen:
            where[s].append(p)
    for s in where:
        rng.shuffle(where[s])

    # LinkedIn Connections: current company, names as people write them on LinkedIn
    with (exports / "Connections.csv").open("w", encoding="utf-8", newline="") as f:
        f.write(LINKEDIN_PREAMBLE + "First Name,Last Name,URL,Email Address,Company,Position,Connected On")
        key = 0
        day0 = date(2026, 11, 1)
        for i, p in enumerate(where["linkedin"]):
            connected = day0 - timedelta(days=int(i * 5000 / max(len(where["linkedin"]), 1)))
            when = f"{connected.day:02d} {MONTHS[connected.month - 1]} {connected.year}"
            if rng.random() < GHOST_ROWS:
                key += 1
                injected += 1
                f.write(f"\n,,,,,,{when}")
            first, last = cor.name(p, linkedin=True)
            email = p.personal_email or p.work_email if rng.random() < 0.02 else ""
            company = "" if cor._hit("no_company", 0.4) else companies[p.company][0]
            key += 1
            f.write("\n" + _row((first, last, _profile_url(p.slug), email, company, p.title, when)))
            labels.add("Connections.csv", str(key), p.id)
        written["Connections.csv"] = key - injected  # labelled records; the ghost rows are extra

    # Google CSV: an older snapshot (old jobs show), personal addresses, phones
    with (exports / "google.csv").open("w", encoding="utf-8", newline="") as f:
        f.write(GOOGLE_HEADER + "\n")
        key = 0
        for p in where["google"]:
            for _ in range(2 if rng.random() < RATES["within_file_duplicate"] else 1):
                first, last = cor.name(p)
                emails = cor.emails(p, older=True)
                older = bool(emails) and emails[0] == p.old_email
                company = "" if cor._hit("no_company") else companies[p.old_company if older else p.company][0]
                phones = cor.phones(p)
                cells = [""] * 27
                middle = ""
                if " " in first and first.endswith(".") and rng.random() < 0.5:
                    first, middle = first.rsplit(" ", 1)
                cells[0], cells[1], cells[2] = first, middle, last
                cells[10], cells[11] = company, p.title if company else ""
                cells[16] = "* myContacts" if rng.random() < 0.8 else "Work ::: * myContacts"
                for n, email in enumerate(emails[:2]):
                    label = "Home" if email == p.personal_email else "Work"
                    cells[17 + 2 * n], cells[18 + 2 * n] = ("* " + label if n == 0 else label), email
                if len(phones) == 2 and rng.random() < 0.3:
                    cells[21], cells[22] = "Mobile", " ::: ".join(phones)
                else:
                    for n, phone in enumerate(phones[:2]):
                        cells[21 + 2 * n], cells[22 + 2 * n] = ("Mobile", "Work")[n], phone
                if rng.random() < 0.15:
                    cells[25], cells[26] = "Profile", _profile_url(p.slug)
                if rng.random() < 0.1:
                    cells[13] = f"19{rng.randrange(50, 99)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                key += 1
                f.write(_row(cells) + "\n")
                labels.add("google.csv", str(key), p.id)
        written["google.csv"] = key

    # Outlook.com CSV: work addresses, business phones, company switchboard numbers
    with (exports / "outlook.csv").open("w", encoding="utf-8-sig", newline="") as f:
        f.write(OUTLOOK_HEADER + "\r\n")
        key = 0
        for p in where["outlook"]:
            first, last = cor.name(p)
            emails = cor.emails(p, older=True)
            older = bool(emails) and emails[0] == p.old_email
            company_ix = p.old_company if older else p.company
            cells = [""] * len(_OUTLOOK_COLS)
            if " " in first and first.endswith("."):
                first, cells[_OUT["Middle Name"]] = first.rsplit(" ", 1)
            cells[_OUT["First Name"]], cells[_OUT["Last Name"]] = first, last
            for n, email in enumerate(emails[:3]):
                cells[_OUT[("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")[n]]] = email
            for n, phone in enumerate(cor.phones(p)[:2]):
                cells[_OUT[("Mobile Phone", "Business Phone")[n]]] = phone
            if not cor._hit("no_company"):
                cells[_OUT["Company"]], cells[_OUT["Job Title"]] = companies[company_ix][0], p.title
                if rng.random() < 0.15:
                    cells[_OUT["Company Main Phone"]] = cor.phone("us", companies[company_ix][2])
            key += 1
            f.write(_row(cells) + "\r\n")
            labels.add("outlook.csv", str(key), p.id)
        written["outlook.csv"] = key

    # Apple vCard 3.0
    with (exports / "contacts.vcf").open("w", encoding="utf-8", newline="") as f:
        key = 0
        for p in where["vcard"]:
            first, last = cor.name(p)
            emails = cor.emails(p, older=True)
            older = bool(emails) and emails[0] == p.old_email
            lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.0//EN",
                     f"N:{_vcard_escape(last)};{_vcard_escape(first)};;;",
                     f"FN:{_vcard_escape(f'{first} {last}')}"]
            if not cor._hit("no_company"):
                lines.append(f"ORG:{_vcard_escape(companies[p.old_company if older else p.company][0])};")
                lines.append(f"TITLE:{_vcard_escape(p.title)}")
            for n, email in enumerate(emails):
                kind = "HOME" if email == p.personal_email else "WORK"
                lines.append(f"item{n + 1}.EMAIL;type=INTERNET;type={kind}{';type=pref' if n == 0 else ''}:{email}")
                lines.append(f"item{n + 1}.X-ABLabel:_$!<{kind.capitalize()}>!$_")
            for n, phone in enumerate(cor.phones(p)):
                lines.append(f"TEL;type={('CELL', 'WORK')[min(n, 1)]};type=VOICE{';type=pref' if n == 0 else ''}:{phone}")
            if rng.random() < 0.2:
                lines.append(f"item9.URL;type=pref:{_profile_url(p.slug).replace('://', chr(92) + '://')}")
                lines.append("item9.X-ABLabel:LinkedIn")
            if rng.random() < 0.1:
                lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}")
            lines.append(f"X-ABUID:{p.id:08X}-BENCH-0000-0000-{key:012d}\\:ABPerson")
            lines.append("END:VCARD")
            key += 1
            f.write("\r\n".join(lines) + "\r\n")
            labels.add("contacts.vcf", str(key), p.id)
        written["contacts.vcf"] = key

    # Google Calendar: each person in it is an attendee of 1-3 meetings with the owner
    attendees: list[tuple[Person, str, str]] = []  # (person, address, CN)
    for p in where["calendar"]:
        if p.personal_email and rng.random() < 0.2:
            email = p.personal_email
        elif p.old_email and rng.random() < 0.3:
            email = p.old_email
        else:
            email = p.work_email
        style = rng.random()
        first, last = cor.name(p)
        cn = email if style < 0.25 else f"{last}, {first}" if style < 0.4 else f"{first} {last}"
        attendees.append((p, email, cn))
    slots = [a for a in attendees for _ in range(rng.choice((1, 1, 2, 3)))]
    rng.shuffle(slots)
    start = datetime(2023, 11, 1, 8, 0)
    with (exports / "calendar.ics").open("w", encoding="utf-8", newline="") as f:
        f.write("BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
                f"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:{OWNER}\r\nX-WR-TIMEZONE:UTC\r\n")
        i, n_events = 0, 0
        while i < len(slots):
            size = rng.choice((1, 1, 2, 2, 3, 4))
            group, i = slots[i:i + size], i + size
            begin = start + timedelta(minutes=30 * rng.randrange(0, 3 * 365 * 20))
            length = rng.choice((30, 30, 60, 45))
            parts = [f"BEGIN:VEVENT\r\nDTSTART:{begin:%Y%m%dT%H%M%S}Z\r\n"
                     f"DTEND:{begin + timedelta(minutes=length):%Y%m%dT%H%M%S}Z\r\n"
                     f"DTSTAMP:20261101T000000Z\r\nORGANIZER;CN=Bench Owner:mailto:{OWNER}\r\n"
                     f"UID:rb{seed}x{n_events}@google.com\r\n"
                     f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Bench Owner;"
                     f"X-NUM-GUESTS=0:mailto:{OWNER}\r\n"]
            seen = set()
            for p, email, cn in group:
                if email in seen:
                    continue
                seen.add(email)
                cn_param = f'"{cn}"' if any(ch in cn for ch in ",;:") else cn
                parts.append(_fold(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;"
                                   f"CN={cn_param};X-NUM-GUESTS=0:mailto:{email}") + "\r\n")
            parts.append(f"CREATED:20231101T000000Z\r\nLAST-MODIFIED:20261101T000000Z\r\nSEQUENCE:0\r\n"
                         f"STATUS:CONFIRMED\r\nSUMMARY:Catch-up {n_events % 997}\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n")
            f.write("".join(parts))
            n_events += 1
        f.write("END:VCALENDAR\r\n")
    emails_seen: set[str] = set()
    for p, email, cn in attendees:
        if email not in emails_seen:
            emails_seen.add(email)
            labels.add("calendar.ics", email, p.id)
    written["calendar.ics"] = len(emails_seen)
    labels.close()

    manifest = {
        "seed": seed, **pop.stats,
        "records": written, "total_records": sum(written.values()), "calendar_events": n_events,
        "injected_rejects": {"Connections.csv": injected}, "labels": labels.n,
        "corruptions": dict(sorted(cor.counts.items())), "rates": RATES, "coverage": COVERAGE,
        "owner": OWNER, "phone_region": "US",
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def records_per_person() -> float:
    """Expected records (labels) per person, for sizing a run by total records."""
    p_none = math.prod(1 - c for c in COVERAGE.values())
    expected = sum(COVERAGE.values()) + p_none * (sum(1 for _ in COVERAGE) / len(COVERAGE))
    return expected + COVERAGE["google"] * RATES["within_file_duplicate"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.people, args.seed)
    json.dump(manifest, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
