"""pyprocessing's Pool demo: ``Pool.map`` of a palindrome check over a list of words.

Change the import line to run it on another backend; nothing else changes.
"""

from concurrent import distributed as backend  # or: processing, threading

WORDS = ["level", "python", "racecar", "pool", "rotor", "cluster", "stats", "noon", "dask"]


def is_palindrome(word: str) -> bool:
    return word == word[::-1]


def main() -> None:
    with backend.Pool() as pool:
        flags = pool.map(is_palindrome, WORDS)
    print("palindromes:", ", ".join(word for word, flag in zip(WORDS, flags) if flag))


if __name__ == "__main__":
    main()
