"""Shared pools (names, places, items) and the Item record used by the templated generators."""

from __future__ import annotations

from dataclasses import dataclass, field

NAMES = [
    "Ada", "Bram", "Chen", "Dana", "Elif", "Femi", "Gita", "Hugo", "Ines", "Jonas", "Kai", "Lena", "Mateo",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Ximena", "Yuki", "Zane",
    "Aiko", "Bilal", "Carmen", "Dev", "Esra", "Finn", "Grace", "Hana", "Ivan", "Jada", "Kofi", "Lucia", "Milo",
    "Noor", "Oskar", "Paula", "Raj", "Sofia", "Theo", "Uma", "Victor", "Wanjiru", "Yara", "Zoe", "Marta", "Leo",
    "Ana", "Ben", "Cleo", "Diego", "Emma", "Farah", "Gus", "Hiro", "Isla", "Jamal", "Kira", "Liam", "Mei",
]

CITIES = [
    "Lisbon", "Nairobi", "Osaka", "Toronto", "Lima", "Oslo", "Hanoi", "Denver", "Porto", "Accra", "Seville",
    "Krakow", "Austin", "Dublin", "Quito", "Perth", "Bergen", "Tallinn", "Cusco", "Leeds", "Kyoto", "Lyon",
    "Chicago", "Madrid", "Munich", "Seoul", "Cairo", "Bogota", "Manila", "Zurich",
]


@dataclass
class Item:
    """One generated example before it becomes a JSONL row."""

    template: str
    difficulty: str
    question: str
    steps: list[str]
    answer: str
    rubric: str = ""
    extra: dict = field(default_factory=dict)

    def response(self) -> str:
        return "\n".join(self.steps + [f"Answer: {self.answer}"])


def pick_names(rng, k):
    return rng.sample(NAMES, k)


def join_and(items):
    items = list(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]
