# A program written for pprocess 0.5.1 (after a syntax-only port to Python 3), left unchanged.
import pprocess

LINES = ["the quick brown fox", "jumps over", "the lazy dog"]


def word_count(line):
    return len(line.split())


def report(channel, line):
    channel.send(line)


class Longest(pprocess.Exchange):
    "Keeps the longest line that a created process reports."

    def store_data(self, channel):
        line = channel.receive()
        if len(line) > len(self.longest):
            self.longest = line


if __name__ == "__main__":
    print("words per line:", list(pprocess.pmap(word_count, LINES, limit=2)))
    exchange = Longest(limit=2)
    exchange.longest = ""
    for line in LINES:
        exchange.start(report, line)
    exchange.finish()
    print("longest line:", exchange.longest)
