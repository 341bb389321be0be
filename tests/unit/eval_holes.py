"""Three small holes the tests of the ghost-text evaluation families share: a blank line in a
Python body, a mid-line hole with a real suffix, and a C block body written with tabs."""

from __future__ import annotations

from ghost_eval.holes import Cut

DOC = (
    "def total(prices, rate):",
    "    subtotal = sum(prices)",
    "    if subtotal > 100:",
    "        subtotal = subtotal * (1 - rate)",
    "    ",
    "",
    "",
    "def main():",
    "    print(total([1, 2], 0.5))",
)
BLANK = Cut("python", "shop.py", "blank", DOC, 4, 4, "return round(subtotal, 2)")
MID_DOC = (
    "def price(item, rate):",
    "    base = item.cost",
    "    return round(apply_discount(), 2)",
    "",
)
MID = Cut("python", "shop.py", "mid", MID_DOC, 2, 32, "base, rate")
BLOCK_DOC = (
    "int main(void) {",
    "\tint n = 0;",
    "\tfor (int i = 0; i < 4; i++) {",
    "\t}",
    "\treturn n;",
    "}",
)
BLOCK = Cut("c", "main.c", "block", BLOCK_DOC, 2, 30, '\n\t\tn += i;\n\t\tprintf("%d", n);')
HOLES = (BLANK, MID, BLOCK)
