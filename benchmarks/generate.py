"""Deterministic corpus of N seed-like dumps for benchmarks (run by hand).

    python benchmarks/generate.py 10000 /tmp/provlint-bench-10k

Seed-sized (about 2.9 KB each, like the seed). Variety: dumps in eight outlets and seven
languages with shuffled block orders, CRLF line ends on every 11th, dates varying by
index, and titles, descriptions and bodies of their own (sentences drawn at random), so
only an outlet's boilerplate repeats across dumps. A few percent carry defects: every
40th is the seed itself (placeholders, duplicated blocks, glued sentences), and about
3% of the others get one defect (an XPath placeholder, modified before published, a
missing author).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = (HERE.parent / "seeds" / "000_f05103ceb859ce66.txt").read_text(encoding="utf-8")
OUTLETS = [("fr.sputniknews.com", "Sputnik France", "fr_FR"), ("www.lemonde.fr", "Le Monde", "fr_FR"),
           ("www.spiegel.de", "Spiegel Online", "de_DE"), ("ria.ru", "РИА Новости", "ru_RU"),
           ("www.bbc.co.uk", "BBC News", "en_GB"), ("elpais.com", "El País", "es_ES"),
           ("www.pravda.com.ua", "Українська правда", "uk_UA"), ("news.yahoo.co.jp", "Yahoo.co.jp", "ja_JP")]
# Sentences a body is drawn from, with a number that varies by dump, so that, as in a
# real corpus, no two bodies, titles or descriptions are the same while the outlet's
# boilerplate (publisher, locale, section, image size) repeats from dump to dump.
SENTENCES = {
    "fr_FR": ["Selon le ministère, la réforme entrera en vigueur le {n} mai.",
              "Les syndicats ont annoncé une grève de {n} heures.",
              "Le texte a été adopté par {n} voix, a indiqué le président de la commission.",
              "La mesure concerne environ {n} 000 ménages, d'après l'Insee.",
              "L'opposition dénonce un projet précipité et réclame {n} amendements.",
              "Le gouvernement doit présenter un bilan dans {n} mois."],
    "de_DE": ["Die Regierung hat am Montag {n} neue Maßnahmen beschlossen, sagte der Sprecher.",
              "Die Opposition kritisiert das Paket als unzureichend.",
              "Nach Angaben des Ministeriums sind rund {n} 000 Haushalte betroffen.",
              "Der Bundestag soll in {n} Wochen darüber abstimmen.",
              "Die Kosten belaufen sich laut Finanzministerium auf {n} Millionen Euro.",
              "Mehrere Verbände kündigten Widerstand an."],
    "ru_RU": ["Правительство одобрило законопроект, заявил министр.",
              "Документ вступит в силу {n} мая.",
              "По данным ведомства, изменения затронут около {n} тысяч семей.",
              "Депутаты рассмотрят поправки в течение {n} недель.",
              "Расходы составят {n} миллионов рублей, сообщили в Минфине.",
              "Оппозиция раскритиковала инициативу."],
    "en_GB": ["The government approved the bill on Monday, the minister said.",
              "It takes effect on {n} May.",
              "About {n},000 households are affected, according to the department.",
              "MPs will vote on the amendments within {n} weeks.",
              "The plan will cost {n} million pounds, the Treasury said.",
              "Opposition parties criticised the timetable."],
    "es_ES": ["El Gobierno aprobó el proyecto el lunes, según el ministro.",
              "Entrará en vigor el {n} de mayo.",
              "Unos {n} 000 hogares se verán afectados, según datos oficiales.",
              "El Congreso votará las enmiendas en {n} semanas.",
              "El coste será de {n} millones de euros, informó Hacienda.",
              "La oposición criticó el calendario."],
    "uk_UA": ["Уряд схвалив законопроєкт, заявив міністр.",
              "Документ набуде чинності {n} травня.",
              "За даними відомства, зміни стосуються близько {n} тисяч родин.",
              "Депутати розглянуть поправки протягом {n} тижнів.",
              "Витрати складуть {n} мільйонів гривень, повідомили в Мінфіні.",
              "Опозиція розкритикувала ініціативу."],
    "ja_JP": ["政府は月曜日に法案を承認したと大臣が述べた。",
              "{n}日に施行される。",
              "省によると、約{n}万世帯が対象となる。",
              "国会は{n}週間以内に修正案を審議する。",
              "費用は{n}億円になると財務省が発表した。",
              "野党は日程を批判した。"],
}
TITLES = {
    "fr_FR": "Réforme n°{n}: ce qui change", "de_DE": "Reform Nr. {n}: was sich ändert",
    "ru_RU": "Реформа №{n}: что изменится", "en_GB": "Reform No. {n}: what changes",
    "es_ES": "Reforma n.º {n}: qué cambia", "uk_UA": "Реформа №{n}: що зміниться",
    "ja_JP": "改革第{n}号：何が変わるか",
}
AUTHORS = ["Anna Martin", "Jonas Weber", "Olga Ivanova", "Sam Clarke", "Lucía Gómez", "Taras Koval", "Yuki Sato"]
SECTIONS = ["politique", "économie", "international", "société"]


def body(locale: str, rng: random.Random) -> str:
    """An article body about as long as the seed's (its dump is 2.9 KB), unique to its dump."""
    sentences: list[str] = []
    while len(" ".join(sentences).encode("utf-8")) < 2200:
        sentences.append(rng.choice(SENTENCES[locale]).format(n=rng.randint(2, 99)))
    return " ".join(sentences)


def dump(index: int, rng: random.Random) -> str:
    host, outlet, locale = OUTLETS[index % len(OUTLETS)]
    if index % 40 == 0:
        text = SEED
    else:
        published = datetime(2021, 1, 1, 8, tzinfo=timezone(timedelta(hours=1))) + timedelta(hours=index * 7)
        stamp = published.strftime("%Y-%m-%dT%H:%M%z")
        later = (published + timedelta(minutes=44)).strftime("%Y-%m-%dT%H:%M%z")
        text = body(locale, rng)
        author = AUTHORS[index % 13 % len(AUTHORS)]
        blocks = [f" date {published:%Y-%m} https://{host}/{published:%Y%m%d}/article-{index}.html",
                  TITLES[locale].format(n=index), text.split(". ")[0][:90] + f" {published:%d.%m.%Y}, {outlet}",
                  stamp, stamp, later, SECTIONS[index % len(SECTIONS)], f"https://{host}/img/{index}.jpg", text,
                  f"{outlet} https://{host}/", str(published.year), author, "Actus", locale, "1920 1080 true"]
        if rng.random() < 0.03:
            defect = rng.choice(["xpath", "modified", "author"])
            if defect == "xpath":
                blocks.insert(8, "/html/head/meta[@name='og:title']/@content")
            elif defect == "modified":
                blocks[5] = (published - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M%z")
            else:
                blocks.remove(author)
        head, rest = blocks[:6], blocks[6:]
        rng.shuffle(rest)
        text = "\n\n".join(head + rest)
    if index % 11 == 0:
        text = text.replace("\n", "\r\n")
    return text


def numbered(target: Path, index: int, suffix: str) -> Path:
    """The path of file `index` of a generated corpus: folders of 1,000 (its folder made)."""
    folder = target / f"{index // 1000:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{index:06d}{suffix}"


def write_corpus(count: int, target: Path) -> None:
    """`count` dumps in folders of 1,000; the same files for the same count, always."""
    rng = random.Random(20220221)
    for index in range(count):
        numbered(target, index, ".txt").write_text(dump(index, rng), encoding="utf-8", newline="")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, help="how many dumps to write")
    parser.add_argument("target", type=Path, help="the folder to write them in (created)")
    args = parser.parse_args(argv)
    write_corpus(args.count, args.target)
    print(f"{args.count} dumps in {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
