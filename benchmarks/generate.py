"""Deterministic corpus of N seed-like dumps for benchmarks (run by hand).

    python benchmarks/generate.py 10000 /tmp/provlint-bench-10k

Seed-sized (about 2.9 KB each, like the seed). Variety: dumps in eight outlets and seven languages with shuffled block orders, CRLF
line ends on every 11th, dates varying by index. A few percent carry defects: every
40th is the seed itself (placeholders, duplicated blocks, glued sentences), and about
3% of the others get one defect (an XPath placeholder, modified before published, a
missing author).
"""

from __future__ import annotations

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
BODIES = {
    "fr_FR": "Selon le ministère, la réforme entrera en vigueur en mai. Les syndicats ont annoncé une grève.",
    "de_DE": "Die Regierung hat am Montag neue Maßnahmen beschlossen, sagte der Sprecher. Die Opposition kritisiert das.",
    "ru_RU": "Правительство одобрило законопроект, заявил министр. Документ вступит в силу в мае.",
    "en_GB": "The government approved the bill on Monday, the minister said. It takes effect in May.",
    "es_ES": "El Gobierno aprobó el proyecto el lunes, según el ministro. Entrará en vigor en mayo.",
    "uk_UA": "Уряд схвалив законопроєкт, заявив міністр. Документ набуде чинності у травні.",
    "ja_JP": "政府は月曜日に法案を承認した。五月に施行される。",
}


def body(locale: str) -> str:
    """An article body about as long as the seed's (its dump is 2.9 KB)."""
    sentences = [BODIES[locale]]
    while len(" ".join(sentences).encode("utf-8")) < 2200:
        sentences.append(BODIES[locale])
    return " ".join(sentences)


def dump(index: int, rng: random.Random) -> str:
    host, outlet, locale = OUTLETS[index % len(OUTLETS)]
    if index % 40 == 0:
        text = SEED
    else:
        published = datetime(2021, 1, 1, 8, tzinfo=timezone(timedelta(hours=1))) + timedelta(hours=index * 7)
        stamp = published.strftime("%Y-%m-%dT%H:%M%z")
        later = (published + timedelta(minutes=44)).strftime("%Y-%m-%dT%H:%M%z")
        blocks = [f" date {published:%Y-%m} https://{host}/{published:%Y%m%d}/article-{index}.html",
                  f"Article {index}: la réforme et ses suites", BODIES[locale][:90] + f" {published:%d.%m.%Y}, {outlet}",
                  stamp, stamp, later, "politique", f"https://{host}/img/{index}.jpg", body(locale),
                  f"{outlet} https://{host}/", str(published.year), "Anna Martin", "Actus", locale, "1920 1080 true"]
        if rng.random() < 0.03:
            defect = rng.choice(["xpath", "modified", "author"])
            if defect == "xpath":
                blocks.insert(8, "/html/head/meta[@name='og:title']/@content")
            elif defect == "modified":
                blocks[5] = (published - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M%z")
            else:
                blocks.remove("Anna Martin")
        head, rest = blocks[:6], blocks[6:]
        rng.shuffle(rest)
        text = "\n\n".join(head + rest)
    if index % 11 == 0:
        text = text.replace("\n", "\r\n")
    return text


def write_corpus(count: int, target: Path) -> None:
    """`count` dumps in folders of 1,000; the same files for the same count, always."""
    rng = random.Random(20220221)
    for index in range(count):
        folder = target / f"{index // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{index:06d}.txt").write_text(dump(index, rng), encoding="utf-8", newline="")


def main() -> int:
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    write_corpus(count, target)
    print(f"{count} dumps in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
