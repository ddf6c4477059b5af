"""More hand-written Python tasks (everyday utilities, number puzzles, small classes)."""

from .codelib import make_registry

TASKS, T = make_registry()

T("to_24_hour", "medium",
  "Convert a 12-hour time like '07:05 PM' or '12:30 AM' to 24-hour 'HH:MM'. Function: `to_24h(t)`.",
  "Split off AM/PM; 12 AM becomes 00, 12 PM stays 12, and other PM hours get 12 added.",
  """
  def to_24h(t):
      clock, period = t.split()
      h, m = map(int, clock.split(":"))
      if period.upper() == "AM":
          h = 0 if h == 12 else h
      else:
          h = 12 if h == 12 else h + 12
      return f"{h:02d}:{m:02d}"
  """,
  """
  assert to_24h("07:05 PM") == "19:05"
  assert to_24h("12:30 AM") == "00:30"
  assert to_24h("12:00 PM") == "12:00"
  assert to_24h("9:15 am") == "09:15"
  """)

T("weekday_after", "easy",
  "Given a weekday name and a number of days n, return the weekday n days later. Function: `weekday_after(day, n)`.",
  "Find the day's index in the week list and move (index + n) % 7.",
  """
  def weekday_after(day, n):
      week = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
      return week[(week.index(day) + n) % 7]
  """,
  """
  assert weekday_after("Monday", 3) == "Thursday"
  assert weekday_after("Saturday", 10) == "Tuesday"
  assert weekday_after("Sunday", -1) == "Saturday"
  """)

T("split_bill", "easy",
  "Split a restaurant bill: given the total, the number of people and a tip percentage, return what each person pays, rounded to 2 decimals. Function: `share_per_person(total, people, tip_pct)`.",
  "Add the tip to the total and divide by the number of people.",
  """
  def share_per_person(total, people, tip_pct):
      return round(total * (1 + tip_pct / 100) / people, 2)
  """,
  """
  assert share_per_person(100, 4, 20) == 30.0
  assert share_per_person(45.5, 2, 10) == 25.03
  assert share_per_person(60, 3, 0) == 20.0
  """)

T("identity_matrix", "easy",
  "Return an n x n identity matrix as a list of lists. Function: `identity(n)`.",
  "A nested comprehension puts 1 where the row index equals the column index.",
  """
  def identity(n):
      return [[1 if i == j else 0 for j in range(n)] for i in range(n)]
  """,
  """
  assert identity(3) == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
  assert identity(0) == []
  """)

T("bucket_histogram", "medium",
  "Count values into buckets of a given width: with width 10, 3 goes to bucket 0, 17 to bucket 10, 20 to bucket 20. Return a dict sorted by bucket. Function: `bucket_counts(values, width)`.",
  "The bucket start is (v // width) * width; count per bucket and rebuild the dict in sorted key order.",
  """
  def bucket_counts(values, width):
      counts = {}
      for v in values:
          start = (v // width) * width
          counts[start] = counts.get(start, 0) + 1
      return dict(sorted(counts.items()))
  """,
  """
  assert bucket_counts([3, 17, 20, 11, 5], 10) == {0: 2, 10: 2, 20: 1}
  assert bucket_counts([], 5) == {}
  """)

T("dedupe_emails", "easy",
  "Remove duplicate email addresses, comparing case-insensitively and ignoring surrounding spaces; keep the first spelling seen. Function: `unique_emails(emails)`.",
  "Normalize each address for the comparison only, and track normalized forms in a set.",
  """
  def unique_emails(emails):
      seen, out = set(), []
      for e in emails:
          key = e.strip().lower()
          if key not in seen:
              seen.add(key)
              out.append(e.strip())
      return out
  """,
  """
  assert unique_emails(["Ann@x.com", "ann@X.com ", "bo@y.org"]) == ["Ann@x.com", "bo@y.org"]
  assert unique_emails([]) == []
  """)

T("zip_fill", "easy",
  "Pair up two lists of different lengths, filling the missing side with a given value. Function: `pair_longest(a, b, fill)`.",
  "itertools.zip_longest with fillvalue does exactly this.",
  """
  from itertools import zip_longest

  def pair_longest(a, b, fill):
      return list(zip_longest(a, b, fillvalue=fill))
  """,
  """
  assert pair_longest([1, 2, 3], ["x"], None) == [(1, "x"), (2, None), (3, None)]
  assert pair_longest([], [], 0) == []
  """)

T("row_and_column_sums", "easy",
  "Return (row_sums, column_sums) for a rectangular matrix. Function: `margins(matrix)`.",
  "Sum each row directly; zip(*matrix) gives the columns to sum.",
  """
  def margins(matrix):
      rows = [sum(r) for r in matrix]
      cols = [sum(c) for c in zip(*matrix)]
      return rows, cols
  """,
  """
  assert margins([[1, 2, 3], [4, 5, 6]]) == ([6, 15], [5, 7, 9])
  assert margins([]) == ([], [])
  """)

T("unique_sorted_words", "easy",
  "Return the distinct words of a text in alphabetical order, lower-cased. Function: `vocabulary(text)`.",
  "Lower-case, split, put the words in a set and sort it.",
  """
  def vocabulary(text):
      return sorted(set(text.lower().split()))
  """,
  """
  assert vocabulary("the Cat and the hat") == ["and", "cat", "hat", "the"]
  assert vocabulary("") == []
  """)

T("gcd_of_many", "easy",
  "Return the greatest common divisor of a non-empty list of positive integers. Function: `gcd_many(nums)`.",
  "Fold math.gcd over the list with functools.reduce.",
  """
  from functools import reduce
  from math import gcd

  def gcd_many(nums):
      return reduce(gcd, nums)
  """,
  """
  assert gcd_many([12, 18, 24]) == 6
  assert gcd_many([7]) == 7
  assert gcd_many([9, 28]) == 1
  """)

T("happy_number", "medium",
  "A happy number eventually reaches 1 when you repeatedly replace it with the sum of the squares of its digits; unhappy numbers loop forever. Write `is_happy_number(n)`.",
  "Iterate the digit-square sum and remember the values seen; reaching 1 means happy, seeing a value again means a loop.",
  """
  def is_happy_number(n):
      seen = set()
      while n != 1 and n not in seen:
          seen.add(n)
          n = sum(int(d) ** 2 for d in str(n))
      return n == 1
  """,
  """
  assert is_happy_number(19) is True
  assert is_happy_number(1) is True
  assert is_happy_number(2) is False
  assert is_happy_number(7) is True
  """)

T("harshad_number", "easy",
  "A Harshad number is divisible by the sum of its digits (18: 1 + 8 = 9 divides 18). Write `is_harshad(n)` for positive n.",
  "Compute the digit sum and test n % digit_sum == 0.",
  """
  def is_harshad(n):
      return n % sum(int(d) for d in str(n)) == 0
  """,
  """
  assert is_harshad(18) is True
  assert is_harshad(19) is False
  assert is_harshad(1729) is True
  """)

T("triangular_numbers", "easy",
  "Return the first n triangular numbers (1, 3, 6, 10, ...). Function: `triangulars(n)`.",
  "The k-th triangular number is k * (k + 1) // 2.",
  """
  def triangulars(n):
      return [k * (k + 1) // 2 for k in range(1, n + 1)]
  """,
  """
  assert triangulars(5) == [1, 3, 6, 10, 15]
  assert triangulars(0) == []
  """)

T("swap_pairs", "easy",
  "Swap every two adjacent elements of a list: [1, 2, 3, 4, 5] -> [2, 1, 4, 3, 5]. Function: `swap_adjacent(items)`.",
  "Copy the list and swap positions i and i+1 for i = 0, 2, 4, ... while a partner exists.",
  """
  def swap_adjacent(items):
      out = list(items)
      for i in range(0, len(out) - 1, 2):
          out[i], out[i + 1] = out[i + 1], out[i]
      return out
  """,
  """
  assert swap_adjacent([1, 2, 3, 4, 5]) == [2, 1, 4, 3, 5]
  assert swap_adjacent([]) == []
  assert swap_adjacent(["a", "b"]) == ["b", "a"]
  """)

T("group_by_initial", "easy",
  "Group words by their first letter (lower-cased) into a dict of sorted lists. Function: `by_initial(words)`.",
  "setdefault collects the words under their first letter; sort each list at the end.",
  """
  def by_initial(words):
      groups = {}
      for w in words:
          groups.setdefault(w[0].lower(), []).append(w)
      return {k: sorted(v) for k, v in groups.items()}
  """,
  """
  assert by_initial(["banana", "Apple", "avocado", "blueberry"]) == {"b": ["banana", "blueberry"], "a": ["Apple", "avocado"]}
  assert by_initial([]) == {}
  """)

T("max_ones_run", "easy",
  "Return the length of the longest run of consecutive 1s in a list of 0s and 1s. Function: `longest_ones(bits)`.",
  "Count the current run, reset it on a 0, and keep the maximum.",
  """
  def longest_ones(bits):
      best = current = 0
      for b in bits:
          current = current + 1 if b == 1 else 0
          best = max(best, current)
      return best
  """,
  """
  assert longest_ones([1, 1, 0, 1, 1, 1]) == 3
  assert longest_ones([0, 0]) == 0
  assert longest_ones([]) == 0
  """)

T("valid_username", "medium",
  "Validate usernames with a regex: 3 to 16 characters, only lower-case letters, digits and underscores, starting with a letter. Function: `username_ok(name)`.",
  "One anchored pattern: a letter, then 2 to 15 allowed characters.",
  """
  import re

  def username_ok(name):
      return re.fullmatch(r"[a-z][a-z0-9_]{2,15}", name) is not None
  """,
  """
  assert username_ok("max_99") is True
  assert username_ok("ab") is False
  assert username_ok("9lives") is False
  assert username_ok("Upper") is False
  assert username_ok("a" * 16) is True and username_ok("a" * 17) is False
  """)

T("parse_temperature_string", "medium",
  "Parse temperature strings like '72F', '-5C' or '21.5 c' and return the value in Celsius rounded to 1 decimal. Function: `celsius_from(text)`.",
  "The last character is the unit; convert Fahrenheit with (F - 32) * 5/9.",
  """
  def celsius_from(text):
      text = text.strip()
      value, unit = float(text[:-1]), text[-1].upper()
      if unit == "F":
          value = (value - 32) * 5 / 9
      return round(value, 1)
  """,
  """
  assert celsius_from("72F") == 22.2
  assert celsius_from("-5C") == -5.0
  assert celsius_from("21.5 c") == 21.5
  assert celsius_from("212f") == 100.0
  """)

T("stopwatch_class", "medium",
  "Write a `Stopwatch` class where start(t) and stop(t) take timestamps in seconds and `elapsed` accumulates the total running time over several start/stop cycles. Calling stop without start raises RuntimeError.",
  "Remember the start time while running; on stop, add the difference to the total and clear the start.",
  """
  class Stopwatch:
      def __init__(self):
          self.elapsed = 0
          self._started = None

      def start(self, t):
          self._started = t

      def stop(self, t):
          if self._started is None:
              raise RuntimeError("stopwatch not running")
          self.elapsed += t - self._started
          self._started = None
  """,
  """
  sw = Stopwatch()
  sw.start(10)
  sw.stop(15)
  sw.start(20)
  sw.stop(22)
  assert sw.elapsed == 7
  try:
      sw.stop(30)
      raise AssertionError("expected RuntimeError")
  except RuntimeError:
      pass
  """)

T("library_class", "medium",
  "Write a `Library` class: add_book(title) adds a copy, checkout(title) returns True and takes a copy if one is available (else False), and give_back(title) returns a copy. Track copies per title.",
  "Keep a dict title -> available copies and adjust it in each method.",
  """
  class Library:
      def __init__(self):
          self.copies = {}

      def add_book(self, title):
          self.copies[title] = self.copies.get(title, 0) + 1

      def checkout(self, title):
          if self.copies.get(title, 0) > 0:
              self.copies[title] -= 1
              return True
          return False

      def give_back(self, title):
          self.copies[title] = self.copies.get(title, 0) + 1
  """,
  """
  lib = Library()
  lib.add_book("Dune")
  assert lib.checkout("Dune") is True
  assert lib.checkout("Dune") is False
  lib.give_back("Dune")
  assert lib.checkout("Dune") is True
  assert lib.checkout("Emma") is False
  """)

T("count_primes_range", "medium",
  "Count the primes p with a <= p <= b. Function: `primes_between(a, b)`.",
  "Check each number with trial division up to its square root; numbers below 2 are not prime.",
  """
  def primes_between(a, b):
      def prime(n):
          if n < 2:
              return False
          i = 2
          while i * i <= n:
              if n % i == 0:
                  return False
              i += 1
          return True
      return sum(1 for n in range(a, b + 1) if prime(n))
  """,
  """
  assert primes_between(10, 20) == 4
  assert primes_between(0, 2) == 1
  assert primes_between(14, 16) == 0
  """)

T("csv_line_writer", "medium",
  "Turn a list of fields into one CSV line: fields containing a comma or a double quote are wrapped in quotes, and quotes inside are doubled. Function: `to_csv_line(fields)`.",
  "Convert each field to a string; when it needs quoting, double its quotes and surround it with quotes.",
  """
  def to_csv_line(fields):
      out = []
      for f in fields:
          s = str(f)
          if "," in s or '"' in s:
              s = '"' + s.replace('"', '""') + '"'
          out.append(s)
      return ",".join(out)
  """,
  '''
  assert to_csv_line(["a", 1, "b,c"]) == 'a,1,"b,c"'
  assert to_csv_line(['say "hi"']) == '"say ""hi"""'
  assert to_csv_line([]) == ""
  ''')

T("percent_change", "easy",
  "Return the percentage change from an old value to a new value, rounded to 1 decimal (raise ValueError if old is 0). Function: `pct_change(old, new)`.",
  "(new - old) / old * 100, with a guard for a zero base.",
  """
  def pct_change(old, new):
      if old == 0:
          raise ValueError("old value must not be zero")
      return round((new - old) / old * 100, 1)
  """,
  """
  assert pct_change(50, 75) == 50.0
  assert pct_change(80, 60) == -25.0
  assert pct_change(3, 4) == 33.3
  """)

T("sort_by_last_letter", "easy",
  "Sort words by their last letter, keeping the original order for ties. Function: `by_last_letter(words)`.",
  "sorted is stable, so a key on the last character keeps tied words in input order.",
  """
  def by_last_letter(words):
      return sorted(words, key=lambda w: w[-1])
  """,
  """
  assert by_last_letter(["cat", "dog", "bee", "ant"]) == ["bee", "dog", "cat", "ant"]
  assert by_last_letter([]) == []
  """)

T("count_capitalized", "easy",
  "Count the words in a sentence that start with a capital letter. Function: `capitalized_count(sentence)`.",
  "Split into words and test the first character of each with isupper.",
  """
  def capitalized_count(sentence):
      return sum(1 for w in sentence.split() if w[0].isupper())
  """,
  """
  assert capitalized_count("Alice met Bob in paris") == 2
  assert capitalized_count("") == 0
  """)

T("sum_of_odd_digits", "easy",
  "Return the sum of the odd digits of a non-negative integer (0 if it has none). Function: `odd_digit_sum(n)`.",
  "Walk over the digits of str(n) and add the ones with d % 2 == 1.",
  """
  def odd_digit_sum(n):
      return sum(int(d) for d in str(n) if int(d) % 2 == 1)
  """,
  """
  assert odd_digit_sum(12345) == 9
  assert odd_digit_sum(2468) == 0
  assert odd_digit_sum(0) == 0
  """)

T("nearest_multiple", "easy",
  "Round a number to the nearest multiple of m (halves round up). Function: `round_to_multiple(x, m)`.",
  "Add half of m and floor-divide, then multiply back.",
  """
  def round_to_multiple(x, m):
      return (x + m // 2) // m * m
  """,
  """
  assert round_to_multiple(17, 5) == 15
  assert round_to_multiple(18, 5) == 20
  assert round_to_multiple(25, 10) == 30
  assert round_to_multiple(0, 7) == 0
  """)

T("matrix_search_sorted", "medium",
  "Search a value in a matrix whose rows and columns are both sorted ascending, starting from the top-right corner. Return True/False. Function: `matrix_contains(m, target)`.",
  "From the top-right, move left when the value is too big and down when it's too small; each step discards a row or a column.",
  """
  def matrix_contains(m, target):
      if not m:
          return False
      r, c = 0, len(m[0]) - 1
      while r < len(m) and c >= 0:
          v = m[r][c]
          if v == target:
              return True
          if v > target:
              c -= 1
          else:
              r += 1
      return False
  """,
  """
  m = [[1, 4, 7], [2, 5, 8], [3, 6, 9]]
  assert matrix_contains(m, 5) is True
  assert matrix_contains(m, 10) is False
  assert matrix_contains([], 1) is False
  """)
