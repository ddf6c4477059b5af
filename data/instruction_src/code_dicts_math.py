"""Hand-written Python tasks on dicts, numbers and parsing. Tests are hand-computed."""

from .codelib import make_registry

TASKS, T = make_registry()

# ----------------------------------------------------------------------------- dicts
T("invert_dict", "easy",
  "Swap the keys and values of a dict. Assume the values are unique and hashable. Function: `invert(d)`.",
  "A dict comprehension over d.items() with value and key swapped.",
  """
  def invert(d):
      return {v: k for k, v in d.items()}
  """,
  """
  assert invert({"a": 1, "b": 2}) == {1: "a", 2: "b"}
  assert invert({}) == {}
  """)

T("invert_dict_multi", "medium",
  "Invert a dict whose values may repeat: map each value to a sorted list of the keys that had it. Function: `group_keys_by_value(d)`.",
  "Append each key to a list stored under its value, then sort each list.",
  """
  def group_keys_by_value(d):
      out = {}
      for k, v in d.items():
          out.setdefault(v, []).append(k)
      return {v: sorted(ks) for v, ks in out.items()}
  """,
  """
  assert group_keys_by_value({"x": 1, "y": 2, "z": 1}) == {1: ["x", "z"], 2: ["y"]}
  assert group_keys_by_value({}) == {}
  """)

T("merge_dicts_sum", "easy",
  "Merge two dicts of numbers; when a key exists in both, add the values. Function: `merge_add(a, b)`.",
  "Copy the first dict and add every value from the second with get(key, 0).",
  """
  def merge_add(a, b):
      out = dict(a)
      for k, v in b.items():
          out[k] = out.get(k, 0) + v
      return out
  """,
  """
  assert merge_add({"a": 1, "b": 2}, {"b": 3, "c": 4}) == {"a": 1, "b": 5, "c": 4}
  assert merge_add({}, {}) == {}
  """)

T("group_by_length", "easy",
  "Group words by their length into a dict like {3: ['cat', 'dog'], 5: ['horse']}. Keep the original order inside each group. Function: `group_by_len(words)`.",
  "Use setdefault to create each length's list the first time and append words to it.",
  """
  def group_by_len(words):
      groups = {}
      for w in words:
          groups.setdefault(len(w), []).append(w)
      return groups
  """,
  """
  assert group_by_len(["cat", "horse", "dog"]) == {3: ["cat", "dog"], 5: ["horse"]}
  assert group_by_len([]) == {}
  """)

T("group_anagrams", "medium",
  "Group words that are anagrams of each other. Return a list of groups, each group in input order, groups ordered by the first appearance of their first word. Function: `anagram_groups(words)`.",
  "Use the sorted letters of a word as the dict key; dicts keep insertion order, so groups come out in first-seen order.",
  """
  def anagram_groups(words):
      groups = {}
      for w in words:
          groups.setdefault("".join(sorted(w)), []).append(w)
      return list(groups.values())
  """,
  """
  assert anagram_groups(["eat", "tea", "tan", "ate", "nat", "bat"]) == [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]
  assert anagram_groups([]) == []
  """)

T("dict_filter_values", "easy",
  "Keep only the entries of a dict whose value is at least a given minimum. Function: `at_least(scores, minimum)`.",
  "A dict comprehension with a condition on the value.",
  """
  def at_least(scores, minimum):
      return {name: s for name, s in scores.items() if s >= minimum}
  """,
  """
  assert at_least({"ann": 82, "bo": 55, "cy": 70}, 70) == {"ann": 82, "cy": 70}
  assert at_least({}, 1) == {}
  """)

T("key_with_max_value", "easy",
  "Return the key with the highest value in a dict, or None if the dict is empty. Function: `best_key(d)`.",
  "`max(d, key=d.get)` compares keys by their values; guard the empty case first.",
  """
  def best_key(d):
      if not d:
          return None
      return max(d, key=d.get)
  """,
  """
  assert best_key({"red": 3, "blue": 7, "green": 5}) == "blue"
  assert best_key({}) is None
  """)

T("nested_get", "medium",
  "Read a value from nested dicts using a dotted path like 'user.address.city'; return a default if any key is missing. Function: `get_path(data, path, default=None)`.",
  "Walk down one key at a time and stop with the default as soon as a level is not a dict or lacks the key.",
  """
  def get_path(data, path, default=None):
      current = data
      for key in path.split("."):
          if not isinstance(current, dict) or key not in current:
              return default
          current = current[key]
      return current
  """,
  """
  cfg = {"user": {"address": {"city": "Oslo"}, "age": 30}}
  assert get_path(cfg, "user.address.city") == "Oslo"
  assert get_path(cfg, "user.phone", "n/a") == "n/a"
  assert get_path(cfg, "user.age.years") is None
  """)

T("flatten_dict", "medium",
  "Flatten a nested dict into one level with dotted keys: {'a': {'b': 1, 'c': {'d': 2}}} -> {'a.b': 1, 'a.c.d': 2}. Function: `flatten_dict(d)`.",
  "Recurse into dict values, prefixing their keys with the parent key and a dot.",
  """
  def flatten_dict(d, prefix=""):
      flat = {}
      for k, v in d.items():
          key = f"{prefix}.{k}" if prefix else k
          if isinstance(v, dict):
              flat.update(flatten_dict(v, key))
          else:
              flat[key] = v
      return flat
  """,
  """
  assert flatten_dict({"a": {"b": 1, "c": {"d": 2}}, "e": 3}) == {"a.b": 1, "a.c.d": 2, "e": 3}
  assert flatten_dict({}) == {}
  """)

T("unflatten_dict", "medium",
  "Turn a dict with dotted keys back into nested dicts: {'a.b': 1, 'a.c': 2} -> {'a': {'b': 1, 'c': 2}}. Function: `unflatten(flat)`.",
  "For each key, walk/create the intermediate dicts with setdefault and set the last part.",
  """
  def unflatten(flat):
      root = {}
      for dotted, value in flat.items():
          parts = dotted.split(".")
          node = root
          for part in parts[:-1]:
              node = node.setdefault(part, {})
          node[parts[-1]] = value
      return root
  """,
  """
  assert unflatten({"a.b": 1, "a.c": 2, "d": 3}) == {"a": {"b": 1, "c": 2}, "d": 3}
  assert unflatten({}) == {}
  """)

T("deep_merge", "hard",
  "Deep-merge two dicts: nested dicts are merged recursively, other values from the second dict win. Don't modify the inputs. Function: `deep_merge(base, override)`.",
  "Copy the base; for each key of the override, recurse when both sides hold dicts, otherwise take the override's value.",
  """
  def deep_merge(base, override):
      out = dict(base)
      for k, v in override.items():
          if isinstance(v, dict) and isinstance(out.get(k), dict):
              out[k] = deep_merge(out[k], v)
          else:
              out[k] = v
      return out
  """,
  """
  a = {"db": {"host": "x", "port": 1}, "debug": False}
  b = {"db": {"port": 2}, "debug": True}
  assert deep_merge(a, b) == {"db": {"host": "x", "port": 2}, "debug": True}
  assert a["db"]["port"] == 1
  """)

T("count_by_key", "easy",
  "Given a list of dicts, count how many have each value of a given key: count_by([{'t': 'a'}, {'t': 'b'}, {'t': 'a'}], 't') -> {'a': 2, 'b': 1}. Skip dicts without the key. Function: `count_by(records, key)`.",
  "Loop over the records, skip those missing the key, and count values in a dict.",
  """
  def count_by(records, key):
      counts = {}
      for r in records:
          if key in r:
              counts[r[key]] = counts.get(r[key], 0) + 1
      return counts
  """,
  """
  assert count_by([{"t": "a"}, {"t": "b"}, {"t": "a"}, {}], "t") == {"a": 2, "b": 1}
  assert count_by([], "t") == {}
  """)

T("sum_by_category", "easy",
  "Total the amounts per category from a list of (category, amount) pairs. Function: `totals_by_category(rows)`.",
  "Accumulate into a dict with get(category, 0) + amount.",
  """
  def totals_by_category(rows):
      totals = {}
      for category, amount in rows:
          totals[category] = totals.get(category, 0) + amount
      return totals
  """,
  """
  assert totals_by_category([("food", 12), ("rent", 800), ("food", 8)]) == {"food": 20, "rent": 800}
  assert totals_by_category([]) == {}
  """)

T("dict_diff", "medium",
  "Compare two dicts and return a dict with three sorted lists of keys: 'added' (only in new), 'removed' (only in old) and 'changed' (in both with different values). Function: `dict_diff(old, new)`.",
  "Use set operations on the keys, and compare values for keys in the intersection.",
  """
  def dict_diff(old, new):
      return {
          "added": sorted(new.keys() - old.keys()),
          "removed": sorted(old.keys() - new.keys()),
          "changed": sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
      }
  """,
  """
  assert dict_diff({"a": 1, "b": 2, "c": 3}, {"b": 2, "c": 4, "d": 5}) == {"added": ["d"], "removed": ["a"], "changed": ["c"]}
  assert dict_diff({}, {}) == {"added": [], "removed": [], "changed": []}
  """)

T("sorted_by_value", "easy",
  "Return the items of a dict as a list of (key, value) pairs sorted by value, largest first. Function: `ranked(d)`.",
  "Sort d.items() with a key on the value and reverse=True.",
  """
  def ranked(d):
      return sorted(d.items(), key=lambda kv: kv[1], reverse=True)
  """,
  """
  assert ranked({"a": 2, "b": 9, "c": 5}) == [("b", 9), ("c", 5), ("a", 2)]
  assert ranked({}) == []
  """)

T("index_records_by_id", "easy",
  "Turn a list of user dicts into a dict keyed by their 'id' field. Function: `index_by_id(users)`.",
  "A dict comprehension mapping each record's id to the record.",
  """
  def index_by_id(users):
      return {u["id"]: u for u in users}
  """,
  """
  users = [{"id": 7, "name": "Kim"}, {"id": 3, "name": "Lee"}]
  assert index_by_id(users)[3]["name"] == "Lee"
  assert index_by_id([]) == {}
  """)

T("letter_score", "easy",
  "Score a word with letter values a=1, b=2, ..., z=26 (ignore case and non-letters). Function: `word_score(word)`.",
  "For each ASCII letter, its value is ord(lower-case letter) - ord('a') + 1.",
  """
  def word_score(word):
      return sum(ord(ch) - ord("a") + 1 for ch in word.lower() if "a" <= ch <= "z")
  """,
  """
  assert word_score("abc") == 6
  assert word_score("Zz!") == 52
  assert word_score("") == 0
  """)

T("default_config", "easy",
  "Fill in missing settings from defaults: return a new dict with the defaults, overridden by the user's settings. Function: `with_defaults(user, defaults)`.",
  "Unpack defaults first and the user dict second so user values win.",
  """
  def with_defaults(user, defaults):
      return {**defaults, **user}
  """,
  """
  assert with_defaults({"theme": "dark"}, {"theme": "light", "lang": "en"}) == {"theme": "dark", "lang": "en"}
  assert with_defaults({}, {}) == {}
  """)

T("two_level_counts", "medium",
  "Given (city, product) sales records, build a nested count dict {city: {product: count}}. Function: `sales_matrix(records)`.",
  "Use setdefault for the inner dict and get for the count.",
  """
  def sales_matrix(records):
      table = {}
      for city, product in records:
          inner = table.setdefault(city, {})
          inner[product] = inner.get(product, 0) + 1
      return table
  """,
  """
  recs = [("Rome", "tea"), ("Oslo", "tea"), ("Rome", "tea"), ("Rome", "cake")]
  assert sales_matrix(recs) == {"Rome": {"tea": 2, "cake": 1}, "Oslo": {"tea": 1}}
  """)

T("common_keys", "easy",
  "Return a sorted list of the keys that appear in every dict of a list. Function: `keys_in_all(dicts)`; return [] for an empty list.",
  "Intersect the key sets of all dicts.",
  """
  def keys_in_all(dicts):
      if not dicts:
          return []
      common = set(dicts[0])
      for d in dicts[1:]:
          common &= set(d)
      return sorted(common)
  """,
  """
  assert keys_in_all([{"a": 1, "b": 2}, {"b": 3, "a": 0, "c": 1}, {"a": 5, "b": 1}]) == ["a", "b"]
  assert keys_in_all([]) == []
  """)

T("remove_none_values", "easy",
  "Drop every entry whose value is None from a dict, recursively for nested dicts. Function: `drop_none(d)`.",
  "Rebuild the dict, skipping None values and recursing into values that are dicts.",
  """
  def drop_none(d):
      return {k: drop_none(v) if isinstance(v, dict) else v for k, v in d.items() if v is not None}
  """,
  """
  assert drop_none({"a": 1, "b": None, "c": {"d": None, "e": 2}}) == {"a": 1, "c": {"e": 2}}
  assert drop_none({}) == {}
  """)

T("lookup_phone", "easy",
  "Write `phone_of(book, name)` that looks up a name in a phone book dict case-insensitively and returns 'unknown' when it isn't there.",
  "Build a lower-cased view of the keys, then use get with the default.",
  """
  def phone_of(book, name):
      lowered = {k.lower(): v for k, v in book.items()}
      return lowered.get(name.lower(), "unknown")
  """,
  """
  book = {"Alice": "555-1234", "Bob": "555-9876"}
  assert phone_of(book, "alice") == "555-1234"
  assert phone_of(book, "Eve") == "unknown"
  """)

T("inventory_update", "medium",
  "Apply orders to an inventory dict: each order is (item, qty) and reduces stock. Return the names of the orders that could not be filled (not enough stock or unknown item) and leave their stock untouched. Function: `fill_orders(stock, orders)`; it updates stock in place.",
  "For each order, check availability first; subtract only when there is enough, otherwise record the item as failed.",
  """
  def fill_orders(stock, orders):
      failed = []
      for item, qty in orders:
          if stock.get(item, 0) >= qty:
              stock[item] -= qty
          else:
              failed.append(item)
      return failed
  """,
  """
  stock = {"apple": 5, "pear": 1}
  assert fill_orders(stock, [("apple", 3), ("pear", 2), ("kiwi", 1), ("apple", 2)]) == ["pear", "kiwi"]
  assert stock == {"apple": 0, "pear": 1}
  """)

T("char_to_positions", "easy",
  "Map each character of a string to the list of positions where it occurs. Function: `char_positions(s)`.",
  "Enumerate the string and append each index to its character's list.",
  """
  def char_positions(s):
      out = {}
      for i, ch in enumerate(s):
          out.setdefault(ch, []).append(i)
      return out
  """,
  """
  assert char_positions("abca") == {"a": [0, 3], "b": [1], "c": [2]}
  assert char_positions("") == {}
  """)

# ----------------------------------------------------------------------------- numbers
T("digit_sum_loop", "easy",
  "Return the sum of the decimal digits of a non-negative integer using arithmetic (no str()). Function: `sum_of_digits(n)`.",
  "Repeatedly take n % 10 for the last digit and drop it with n //= 10.",
  """
  def sum_of_digits(n):
      total = 0
      while n > 0:
          total += n % 10
          n //= 10
      return total
  """,
  """
  assert sum_of_digits(1234) == 10
  assert sum_of_digits(0) == 0
  assert sum_of_digits(9005) == 14
  """)

T("digital_root", "easy",
  "Keep summing the digits of a non-negative number until a single digit remains (the digital root). Function: `digital_root(n)`.",
  "Loop while n has more than one digit, replacing it with the sum of its digits.",
  """
  def digital_root(n):
      while n >= 10:
          n = sum(int(d) for d in str(n))
      return n
  """,
  """
  assert digital_root(16) == 7
  assert digital_root(942) == 6
  assert digital_root(0) == 0
  """)

T("reverse_integer", "easy",
  "Reverse the digits of an integer, keeping the sign: 123 -> 321, -450 -> -54. Function: `reverse_digits(n)`.",
  "Reverse the string of the absolute value, convert back to int (which drops leading zeros), and restore the sign.",
  """
  def reverse_digits(n):
      sign = -1 if n < 0 else 1
      return sign * int(str(abs(n))[::-1])
  """,
  """
  assert reverse_digits(123) == 321
  assert reverse_digits(-450) == -54
  assert reverse_digits(0) == 0
  """)

T("is_number_palindrome", "easy",
  "Check whether a non-negative integer reads the same backwards, without converting it to a string. Function: `mirror_number(n)`.",
  "Build the reversed number digit by digit and compare with the original.",
  """
  def mirror_number(n):
      original, rev = n, 0
      while n > 0:
          rev = rev * 10 + n % 10
          n //= 10
      return rev == original
  """,
  """
  assert mirror_number(12321) is True
  assert mirror_number(10) is False
  assert mirror_number(0) is True
  """)

T("lcm_list", "medium",
  "Return the least common multiple of a list of positive integers. Function: `lcm_all(nums)`.",
  "lcm(a, b) = a * b // gcd(a, b); fold it over the list starting from 1.",
  """
  from math import gcd

  def lcm_all(nums):
      result = 1
      for n in nums:
          result = result * n // gcd(result, n)
      return result
  """,
  """
  assert lcm_all([4, 6]) == 12
  assert lcm_all([2, 3, 5, 7]) == 210
  assert lcm_all([]) == 1
  """)

T("next_prime", "medium",
  "Return the smallest prime strictly greater than n. Function: `next_prime(n)`.",
  "Test candidates n+1, n+2, ... with trial division up to the square root.",
  """
  def next_prime(n):
      def prime(k):
          if k < 2:
              return False
          i = 2
          while i * i <= k:
              if k % i == 0:
                  return False
              i += 1
          return True

      candidate = n + 1
      while not prime(candidate):
          candidate += 1
      return candidate
  """,
  """
  assert next_prime(7) == 11
  assert next_prime(0) == 2
  assert next_prime(13) == 17
  """)

T("divisors_of", "easy",
  "List all positive divisors of a positive integer in increasing order. Function: `divisors(n)`.",
  "Check every i up to the square root; when i divides n, both i and n // i are divisors.",
  """
  def divisors(n):
      small, large = [], []
      i = 1
      while i * i <= n:
          if n % i == 0:
              small.append(i)
              if i != n // i:
                  large.append(n // i)
          i += 1
      return small + large[::-1]
  """,
  """
  assert divisors(12) == [1, 2, 3, 4, 6, 12]
  assert divisors(1) == [1]
  assert divisors(49) == [1, 7, 49]
  """)

T("perfect_number", "easy",
  "A perfect number equals the sum of its proper divisors (6 = 1 + 2 + 3). Write `is_perfect(n)` for positive n.",
  "Add up the divisors smaller than n and compare with n.",
  """
  def is_perfect(n):
      return n > 1 and sum(d for d in range(1, n) if n % d == 0) == n
  """,
  """
  assert is_perfect(6) is True
  assert is_perfect(28) is True
  assert is_perfect(12) is False
  assert is_perfect(1) is False
  """)

T("armstrong_number", "easy",
  "An Armstrong number equals the sum of its digits each raised to the number of digits (153 = 1^3 + 5^3 + 3^3). Write `is_armstrong(n)`.",
  "Convert to a string to get the digits and their count, then compare the power sum with n.",
  """
  def is_armstrong(n):
      digits = str(n)
      power = len(digits)
      return sum(int(d) ** power for d in digits) == n
  """,
  """
  assert is_armstrong(153) is True
  assert is_armstrong(9474) is True
  assert is_armstrong(100) is False
  """)

T("collatz_steps", "easy",
  "Count the steps the Collatz process needs to reach 1 (n -> n/2 if even, 3n+1 if odd). Function: `collatz_length(n)` for n >= 1.",
  "Apply the rule in a loop and count iterations until n becomes 1.",
  """
  def collatz_length(n):
      steps = 0
      while n != 1:
          n = n // 2 if n % 2 == 0 else 3 * n + 1
          steps += 1
      return steps
  """,
  """
  assert collatz_length(1) == 0
  assert collatz_length(6) == 8
  assert collatz_length(27) == 111
  """)

T("int_to_binary_manual", "easy",
  "Convert a non-negative integer to its binary string without bin() or format(). Function: `to_binary(n)`.",
  "Collect n % 2 while dividing by 2, then reverse the collected bits; 0 is a special case.",
  """
  def to_binary(n):
      if n == 0:
          return "0"
      bits = []
      while n:
          bits.append(str(n % 2))
          n //= 2
      return "".join(reversed(bits))
  """,
  """
  assert to_binary(10) == "1010"
  assert to_binary(0) == "0"
  assert to_binary(255) == "11111111"
  """)

T("count_set_bits", "easy",
  "Count how many 1 bits are in the binary form of a non-negative integer. Function: `popcount(n)`.",
  "n & (n - 1) clears the lowest set bit, so count how many times we can do that before n is 0.",
  """
  def popcount(n):
      count = 0
      while n:
          n &= n - 1
          count += 1
      return count
  """,
  """
  assert popcount(0) == 0
  assert popcount(7) == 3
  assert popcount(1024) == 1
  """)

T("power_of_two", "easy",
  "Is a given integer a power of two? Write `is_power_of_two(n)` (1 counts as 2^0; 0 and negatives do not).",
  "A power of two has exactly one set bit, so n & (n - 1) is zero for it.",
  """
  def is_power_of_two(n):
      return n > 0 and n & (n - 1) == 0
  """,
  """
  assert is_power_of_two(1) is True
  assert is_power_of_two(64) is True
  assert is_power_of_two(6) is False
  assert is_power_of_two(0) is False
  """)

T("fast_power", "medium",
  "Compute base**exp for a non-negative integer exponent using exponentiation by squaring (no ** or pow). Function: `fast_pow(base, exp)`.",
  "Square the base and halve the exponent each step; multiply the result in whenever the current exponent is odd.",
  """
  def fast_pow(base, exp):
      result = 1
      while exp > 0:
          if exp % 2 == 1:
              result *= base
          base *= base
          exp //= 2
      return result
  """,
  """
  assert fast_pow(2, 10) == 1024
  assert fast_pow(3, 0) == 1
  assert fast_pow(5, 3) == 125
  """)

T("integer_sqrt", "medium",
  "Return the integer square root of a non-negative n (largest r with r*r <= n) using binary search. Function: `isqrt_floor(n)`.",
  "Binary-search r in [0, n]: move up when mid*mid <= n, otherwise down.",
  """
  def isqrt_floor(n):
      lo, hi = 0, n
      while lo < hi:
          mid = (lo + hi + 1) // 2
          if mid * mid <= n:
              lo = mid
          else:
              hi = mid - 1
      return lo
  """,
  """
  assert isqrt_floor(16) == 4
  assert isqrt_floor(17) == 4
  assert isqrt_floor(0) == 0
  assert isqrt_floor(1) == 1
  """)

T("fizzbuzz_custom", "easy",
  "Return a list for 1..n where multiples of 3 become 'Tick', multiples of 7 become 'Tock', multiples of both become 'TickTock', and other numbers become their string. Function: `tick_tock(n)`.",
  "Build the word from the two checks; if it stays empty use the number itself.",
  """
  def tick_tock(n):
      out = []
      for i in range(1, n + 1):
          word = ("Tick" if i % 3 == 0 else "") + ("Tock" if i % 7 == 0 else "")
          out.append(word or str(i))
      return out
  """,
  """
  assert tick_tock(7) == ["1", "2", "Tick", "4", "5", "Tick", "Tock"]
  assert tick_tock(21)[-1] == "TickTock"
  assert tick_tock(0) == []
  """)

T("celsius_to_fahrenheit", "easy",
  "Convert a list of Celsius temperatures to Fahrenheit, rounded to one decimal. Function: `c_to_f(temps)`.",
  "Apply F = C * 9/5 + 32 to each value and round.",
  """
  def c_to_f(temps):
      return [round(c * 9 / 5 + 32, 1) for c in temps]
  """,
  """
  assert c_to_f([0, 100, -40, 37]) == [32.0, 212.0, -40.0, 98.6]
  assert c_to_f([]) == []
  """)

T("bmi_category", "easy",
  "Return a BMI category from weight in kg and height in m: below 18.5 'under', below 25 'normal', below 30 'over', else 'obese'. Function: `bmi_class(weight, height)`.",
  "Compute weight / height**2 and compare with the thresholds in increasing order.",
  """
  def bmi_class(weight, height):
      bmi = weight / height ** 2
      if bmi < 18.5:
          return "under"
      if bmi < 25:
          return "normal"
      if bmi < 30:
          return "over"
      return "obese"
  """,
  """
  assert bmi_class(50, 1.80) == "under"
  assert bmi_class(70, 1.75) == "normal"
  assert bmi_class(85, 1.75) == "over"
  assert bmi_class(110, 1.70) == "obese"
  """)

T("leap_year_check", "easy",
  "Write `is_leap(year)`: divisible by 4, except centuries, which must be divisible by 400.",
  "Combine the three rules: year % 4 == 0 and (year % 100 != 0 or year % 400 == 0).",
  """
  def is_leap(year):
      return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
  """,
  """
  assert is_leap(2024) is True
  assert is_leap(1900) is False
  assert is_leap(2000) is True
  assert is_leap(2023) is False
  """)

T("days_in_month", "medium",
  "Return the number of days in a month (1-12) of a given year, handling leap years, without the calendar module. Function: `month_days(year, month)`.",
  "Use a table for the normal lengths and add one day to February in leap years.",
  """
  def month_days(year, month):
      lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
      leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
      if month == 2 and leap:
          return 29
      return lengths[month - 1]
  """,
  """
  assert month_days(2023, 2) == 28
  assert month_days(2024, 2) == 29
  assert month_days(2023, 4) == 30
  assert month_days(1900, 2) == 28
  """)

T("compound_interest", "easy",
  "Compute the balance after compound interest: principal, yearly rate in percent, years, compounded yearly, rounded to 2 decimals. Function: `grow(principal, rate_pct, years)`.",
  "Balance = principal * (1 + rate/100) ** years.",
  """
  def grow(principal, rate_pct, years):
      return round(principal * (1 + rate_pct / 100) ** years, 2)
  """,
  """
  assert grow(1000, 5, 2) == 1102.5
  assert grow(500, 0, 10) == 500
  assert grow(100, 10, 3) == 133.1
  """)

T("clamp_value", "easy",
  "Clamp a number into the range [low, high]. Function: `clamp(x, low, high)`.",
  "Take max with low and then min with high.",
  """
  def clamp(x, low, high):
      return min(max(x, low), high)
  """,
  """
  assert clamp(5, 0, 10) == 5
  assert clamp(-3, 0, 10) == 0
  assert clamp(42, 0, 10) == 10
  """)

T("mean_median_mode", "medium",
  "Return (mean, median, mode) of a non-empty list of numbers. For an even count the median is the average of the two middle values; for the mode return the smallest among the most frequent values. Function: `describe(nums)`.",
  "Sort once for the median, use sum/len for the mean, and count frequencies for the mode.",
  """
  from collections import Counter

  def describe(nums):
      s = sorted(nums)
      n = len(s)
      mean = sum(s) / n
      median = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
      counts = Counter(s)
      top = max(counts.values())
      mode = min(v for v, c in counts.items() if c == top)
      return mean, median, mode
  """,
  """
  assert describe([1, 2, 2, 3, 4]) == (2.4, 2, 2)
  assert describe([4, 1, 3, 2]) == (2.5, 2.5, 1)
  """)

T("std_dev_population", "medium",
  "Compute the population standard deviation of a non-empty list, rounded to 3 decimals. Function: `pop_std(values)`.",
  "Average the squared deviations from the mean and take the square root.",
  """
  def pop_std(values):
      mean = sum(values) / len(values)
      variance = sum((v - mean) ** 2 for v in values) / len(values)
      return round(variance ** 0.5, 3)
  """,
  """
  assert pop_std([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0
  assert pop_std([1, 1, 1]) == 0.0
  assert pop_std([1, 2]) == 0.5
  """)

T("triangle_type", "easy",
  "Classify a triangle by its side lengths: 'equilateral', 'isosceles', 'scalene', or 'invalid' if the sides can't form a triangle. Function: `triangle_kind(a, b, c)`.",
  "Sort the sides; it's invalid if the two short sides don't exceed the longest. Then count distinct lengths.",
  """
  def triangle_kind(a, b, c):
      x, y, z = sorted((a, b, c))
      if x <= 0 or x + y <= z:
          return "invalid"
      distinct = len({a, b, c})
      return {1: "equilateral", 2: "isosceles", 3: "scalene"}[distinct]
  """,
  """
  assert triangle_kind(3, 3, 3) == "equilateral"
  assert triangle_kind(3, 4, 4) == "isosceles"
  assert triangle_kind(3, 4, 5) == "scalene"
  assert triangle_kind(1, 2, 3) == "invalid"
  """)

T("distance_points", "easy",
  "Return the Euclidean distance between two 2D points given as tuples, rounded to 2 decimals. Function: `distance(p, q)`.",
  "Use the Pythagorean theorem on the coordinate differences; math.hypot does it directly.",
  """
  import math

  def distance(p, q):
      return round(math.hypot(q[0] - p[0], q[1] - p[1]), 2)
  """,
  """
  assert distance((0, 0), (3, 4)) == 5.0
  assert distance((1, 1), (1, 1)) == 0.0
  assert distance((-1, 2), (2, -2)) == 5.0
  """)

T("roman_to_int_value", "medium",
  "Convert a valid Roman numeral string to an integer. Function: `roman_value(s)`.",
  "Add each symbol's value, but subtract it when a larger symbol follows (as in IV or CM).",
  """
  def roman_value(s):
      values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
      total = 0
      for i, ch in enumerate(s):
          v = values[ch]
          if i + 1 < len(s) and values[s[i + 1]] > v:
              total -= v
          else:
              total += v
      return total
  """,
  """
  assert roman_value("MCMXCIV") == 1994
  assert roman_value("III") == 3
  assert roman_value("XLII") == 42
  """)

T("number_to_words_small", "hard",
  "Spell out an integer from 0 to 99 in English words, e.g. 42 -> 'forty-two', 13 -> 'thirteen'. Function: `spell_number(n)`.",
  "Use a table for 0-19 and one for the tens; join tens and ones with a hyphen when the ones digit isn't zero.",
  """
  def spell_number(n):
      ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
              "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
      tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
      if n < 20:
          return ones[n]
      t, o = divmod(n, 10)
      return tens[t] if o == 0 else f"{tens[t]}-{ones[o]}"
  """,
  """
  assert spell_number(42) == "forty-two"
  assert spell_number(13) == "thirteen"
  assert spell_number(90) == "ninety"
  assert spell_number(0) == "zero"
  """)

T("fraction_simplify", "medium",
  "Reduce a fraction to lowest terms and return (numerator, denominator) with a positive denominator. Function: `reduce_fraction(num, den)`; den is never 0.",
  "Divide both parts by their GCD and move a negative sign to the numerator.",
  """
  from math import gcd

  def reduce_fraction(num, den):
      g = gcd(num, den)
      num, den = num // g, den // g
      if den < 0:
          num, den = -num, -den
      return num, den
  """,
  """
  assert reduce_fraction(6, 8) == (3, 4)
  assert reduce_fraction(3, -9) == (-1, 3)
  assert reduce_fraction(0, 5) == (0, 1)
  """)

T("sum_multiples_below", "easy",
  "Sum all natural numbers below n that are multiples of 4 or 6. Function: `sum_multiples_4_6(n)`.",
  "Loop over range(n) and add numbers divisible by 4 or by 6; numbers divisible by both are counted once.",
  """
  def sum_multiples_4_6(n):
      return sum(i for i in range(n) if i % 4 == 0 or i % 6 == 0)
  """,
  """
  assert sum_multiples_4_6(13) == 30
  assert sum_multiples_4_6(1) == 0
  assert sum_multiples_4_6(25) == 4 + 6 + 8 + 12 + 16 + 18 + 20 + 24
  """)

T("average_ignore_none", "easy",
  "Average a list of readings, skipping None values; return None if there are no valid readings. Function: `mean_of_readings(readings)`.",
  "Filter out the Nones first, then divide the sum by the count.",
  """
  def mean_of_readings(readings):
      valid = [r for r in readings if r is not None]
      return sum(valid) / len(valid) if valid else None
  """,
  """
  assert mean_of_readings([10, None, 20]) == 15
  assert mean_of_readings([None]) is None
  assert mean_of_readings([]) is None
  """)

T("change_coins_greedy", "medium",
  "Return how many coins of each value (25, 10, 5, 1 cents) make up an amount, using as many large coins as possible. Return a dict {coin: count} without zero counts. Function: `make_change(cents)`.",
  "Greedy works for these US coin values: divmod by each coin from largest to smallest.",
  """
  def make_change(cents):
      result = {}
      for coin in (25, 10, 5, 1):
          count, cents = divmod(cents, coin)
          if count:
              result[coin] = count
      return result
  """,
  """
  assert make_change(68) == {25: 2, 10: 1, 5: 1, 1: 3}
  assert make_change(0) == {}
  assert make_change(30) == {25: 1, 5: 1}
  """)

T("min_coins_dp", "hard",
  "Find the minimum number of coins needed to make an amount from given coin values (unlimited supply); return -1 if impossible. Function: `fewest_coins(coins, amount)`.",
  "Dynamic programming: best[a] = 1 + min(best[a - c]) over coins c <= a, building up from 0.",
  """
  def fewest_coins(coins, amount):
      inf = float("inf")
      best = [0] + [inf] * amount
      for a in range(1, amount + 1):
          for c in coins:
              if c <= a and best[a - c] + 1 < best[a]:
                  best[a] = best[a - c] + 1
      return best[amount] if best[amount] != inf else -1
  """,
  """
  assert fewest_coins([1, 2, 5], 11) == 3
  assert fewest_coins([2], 3) == -1
  assert fewest_coins([1, 3, 4], 6) == 2
  assert fewest_coins([7], 0) == 0
  """)

T("staircase_ways", "medium",
  "Count the ways to climb n stairs taking 1 or 2 steps at a time. Function: `stair_ways(n)`.",
  "ways(n) = ways(n-1) + ways(n-2), a Fibonacci-style recurrence; iterate with two variables.",
  """
  def stair_ways(n):
      a, b = 1, 1
      for _ in range(n):
          a, b = b, a + b
      return a
  """,
  """
  assert stair_ways(0) == 1
  assert stair_ways(1) == 1
  assert stair_ways(4) == 5
  assert stair_ways(10) == 89
  """)

T("grid_paths", "medium",
  "Count the paths from the top-left to the bottom-right of a rows x cols grid moving only right or down. Function: `grid_paths(rows, cols)`.",
  "Each cell's count is the sum of the counts above and to the left; the first row and column have one path each.",
  """
  def grid_paths(rows, cols):
      counts = [1] * cols
      for _ in range(1, rows):
          for j in range(1, cols):
              counts[j] += counts[j - 1]
      return counts[-1]
  """,
  """
  assert grid_paths(3, 3) == 6
  assert grid_paths(1, 5) == 1
  assert grid_paths(3, 7) == 28
  """)

T("seconds_to_hms", "easy",
  "Format a number of seconds as 'H:MM:SS'. Function: `hms(seconds)`.",
  "Use divmod twice to split into hours, minutes and seconds, and zero-pad minutes and seconds.",
  """
  def hms(seconds):
      hours, rest = divmod(seconds, 3600)
      minutes, secs = divmod(rest, 60)
      return f"{hours}:{minutes:02d}:{secs:02d}"
  """,
  """
  assert hms(3725) == "1:02:05"
  assert hms(59) == "0:00:59"
  assert hms(86400) == "24:00:00"
  """)

T("add_minutes_clock", "medium",
  "Add a number of minutes to a 24-hour time string 'HH:MM' and return the new time, wrapping past midnight. Function: `add_minutes(time_str, minutes)`.",
  "Convert to minutes since midnight, add, take modulo 1440, and format back with zero padding.",
  """
  def add_minutes(time_str, minutes):
      h, m = map(int, time_str.split(":"))
      total = (h * 60 + m + minutes) % (24 * 60)
      return f"{total // 60:02d}:{total % 60:02d}"
  """,
  """
  assert add_minutes("09:45", 30) == "10:15"
  assert add_minutes("23:50", 20) == "00:10"
  assert add_minutes("00:00", -1) == "23:59"
  """)

# ----------------------------------------------------------------------------- parsing
T("parse_key_values", "easy",
  "Parse a string like 'name=Ann; age=31; city=Rome' into a dict of strings. Ignore empty parts and spaces around keys and values. Function: `parse_pairs(text)`.",
  "Split on ';', skip blank pieces, split each piece once on '=' and strip both sides.",
  """
  def parse_pairs(text):
      result = {}
      for part in text.split(";"):
          if part.strip():
              key, value = part.split("=", 1)
              result[key.strip()] = value.strip()
      return result
  """,
  """
  assert parse_pairs("name=Ann; age=31; city=Rome") == {"name": "Ann", "age": "31", "city": "Rome"}
  assert parse_pairs("") == {}
  assert parse_pairs("a=b=c;") == {"a": "b=c"}
  """)

T("parse_query_string", "medium",
  "Parse a URL query string like 'q=cats&page=2&tag=a&tag=b' into a dict; keys that repeat collect their values in a list. Function: `parse_query(qs)`.",
  "Split on '&' and then on the first '='; on a repeated key, turn the stored value into a list and append.",
  """
  def parse_query(qs):
      out = {}
      for pair in filter(None, qs.split("&")):
          key, _, value = pair.partition("=")
          if key in out:
              if not isinstance(out[key], list):
                  out[key] = [out[key]]
              out[key].append(value)
          else:
              out[key] = value
      return out
  """,
  """
  assert parse_query("q=cats&page=2&tag=a&tag=b") == {"q": "cats", "page": "2", "tag": ["a", "b"]}
  assert parse_query("") == {}
  assert parse_query("flag") == {"flag": ""}
  """)

T("parse_csv_line", "hard",
  "Split one CSV line into fields, handling double-quoted fields that may contain commas (no escaped quotes needed). Function: `split_csv_line(line)`.",
  "Scan character by character, toggling an in-quotes flag on '\"' and splitting on commas only when outside quotes.",
  """
  def split_csv_line(line):
      fields, current, quoted = [], [], False
      for ch in line:
          if ch == '"':
              quoted = not quoted
          elif ch == "," and not quoted:
              fields.append("".join(current))
              current = []
          else:
              current.append(ch)
      fields.append("".join(current))
      return fields
  """,
  """
  assert split_csv_line('a,b,c') == ["a", "b", "c"]
  assert split_csv_line('1,"Smith, John",42') == ["1", "Smith, John", "42"]
  assert split_csv_line('') == [""]
  """)

T("csv_to_dicts", "medium",
  "Given CSV text whose first line is a header, return a list of dicts (one per row) using the csv module. Function: `rows_as_dicts(text)`.",
  "csv.DictReader over io.StringIO reads the header and maps each row's values to the column names.",
  """
  import csv
  import io

  def rows_as_dicts(text):
      return [dict(row) for row in csv.DictReader(io.StringIO(text))]
  """,
  """
  text = "name,score\\nAnn,9\\nBo,7\\n"
  assert rows_as_dicts(text) == [{"name": "Ann", "score": "9"}, {"name": "Bo", "score": "7"}]
  assert rows_as_dicts("a,b\\n") == []
  """)

T("parse_duration", "medium",
  "Parse durations like '1h30m', '45m', '2h' or '90s' into a total number of seconds. Function: `duration_seconds(text)`.",
  "Read digits into a number; when a unit letter (h, m, s) follows, multiply by its size and add to the total.",
  """
  def duration_seconds(text):
      units = {"h": 3600, "m": 60, "s": 1}
      total, number = 0, ""
      for ch in text:
          if ch.isdigit():
              number += ch
          else:
              total += int(number) * units[ch]
              number = ""
      return total
  """,
  """
  assert duration_seconds("1h30m") == 5400
  assert duration_seconds("45m") == 2700
  assert duration_seconds("2h5s") == 7205
  """)

T("parse_log_levels", "easy",
  "Count log lines by level. Each line looks like '2024-05-01 12:00:01 ERROR message'. Return {level: count}. Function: `level_counts(lines)`.",
  "The level is the third whitespace-separated field; count it in a dict.",
  """
  def level_counts(lines):
      counts = {}
      for line in lines:
          parts = line.split()
          if len(parts) >= 3:
              counts[parts[2]] = counts.get(parts[2], 0) + 1
      return counts
  """,
  """
  logs = ["2024-05-01 12:00:01 ERROR disk full", "2024-05-01 12:00:02 INFO ok", "2024-05-01 12:00:03 ERROR again"]
  assert level_counts(logs) == {"ERROR": 2, "INFO": 1}
  assert level_counts([]) == {}
  """)

T("parse_version", "easy",
  "Compare two version strings like '1.10.2' and '1.9'. Return -1, 0 or 1 like a classic cmp (missing parts count as 0). Function: `compare_versions(a, b)`.",
  "Turn each version into a list of ints, pad the shorter with zeros, and compare the lists.",
  """
  def compare_versions(a, b):
      pa = [int(x) for x in a.split(".")]
      pb = [int(x) for x in b.split(".")]
      n = max(len(pa), len(pb))
      pa += [0] * (n - len(pa))
      pb += [0] * (n - len(pb))
      return (pa > pb) - (pa < pb)
  """,
  """
  assert compare_versions("1.10.2", "1.9") == 1
  assert compare_versions("2.0", "2") == 0
  assert compare_versions("0.9.9", "1.0") == -1
  """)

T("parse_ini", "hard",
  "Parse simple INI text into nested dicts: '[section]' lines start a section, 'key = value' lines belong to the current section, and lines starting with ';' or '#' and blank lines are ignored. Function: `parse_ini(text)`.",
  "Track the current section name; create its dict on a header line and store stripped key/value pairs under it.",
  """
  def parse_ini(text):
      data, section = {}, None
      for raw in text.splitlines():
          line = raw.strip()
          if not line or line[0] in ";#":
              continue
          if line.startswith("[") and line.endswith("]"):
              section = line[1:-1].strip()
              data.setdefault(section, {})
          elif "=" in line and section is not None:
              key, value = line.split("=", 1)
              data[section][key.strip()] = value.strip()
      return data
  """,
  """
  text = "; comment\\n[db]\\nhost = localhost\\nport=5432\\n\\n[app]\\ndebug = true\\n"
  assert parse_ini(text) == {"db": {"host": "localhost", "port": "5432"}, "app": {"debug": "true"}}
  assert parse_ini("") == {}
  """)

T("eval_rpn", "medium",
  "Evaluate an expression in Reverse Polish Notation given as a list of tokens (integers and + - * /, where / truncates toward zero). Function: `eval_rpn(tokens)`.",
  "Push numbers on a stack; for an operator pop two values (the second pop is the left operand) and push the result.",
  """
  def eval_rpn(tokens):
      stack = []
      for tok in tokens:
          if tok in ("+", "-", "*", "/"):
              b, a = stack.pop(), stack.pop()
              if tok == "+":
                  stack.append(a + b)
              elif tok == "-":
                  stack.append(a - b)
              elif tok == "*":
                  stack.append(a * b)
              else:
                  stack.append(int(a / b))
          else:
              stack.append(int(tok))
      return stack[0]
  """,
  """
  assert eval_rpn(["2", "1", "+", "3", "*"]) == 9
  assert eval_rpn(["4", "13", "5", "/", "+"]) == 6
  assert eval_rpn(["7", "-2", "/"]) == -3
  """)

T("simple_calculator", "hard",
  "Evaluate a string with non-negative integers, + and - and parentheses, like '10 - (2 + 3) + 1'. Don't use eval. Function: `calc(expr)`.",
  "Scan once with a stack: keep a running result and sign; on '(' push the current state, on ')' fold the inner result into the outer one.",
  """
  def calc(expr):
      result, number, sign = 0, 0, 1
      stack = []
      for ch in expr:
          if ch.isdigit():
              number = number * 10 + int(ch)
          elif ch in "+-":
              result += sign * number
              number = 0
              sign = 1 if ch == "+" else -1
          elif ch == "(":
              stack.append((result, sign))
              result, sign = 0, 1
          elif ch == ")":
              result += sign * number
              number = 0
              prev_result, prev_sign = stack.pop()
              result = prev_result + prev_sign * result
      return result + sign * number
  """,
  """
  assert calc("10 - (2 + 3) + 1") == 6
  assert calc("1 + 1") == 2
  assert calc("(1+(4+5+2)-3)+(6+8)") == 23
  assert calc("7") == 7
  """)

T("parse_money", "medium",
  "Convert price strings like '$1,234.50', '€99' or '12.3' into a float. Function: `money_to_float(text)`.",
  "Keep only digits and the decimal point (which drops currency symbols and thousands separators), then convert.",
  """
  def money_to_float(text):
      cleaned = "".join(ch for ch in text if ch.isdigit() or ch == ".")
      return float(cleaned)
  """,
  """
  assert money_to_float("$1,234.50") == 1234.5
  assert money_to_float("€99") == 99.0
  assert money_to_float("12.3") == 12.3
  """)

T("parse_date_parts", "easy",
  "Turn a date string 'DD/MM/YYYY' into a tuple of ints (year, month, day). Function: `parse_dmy(s)`.",
  "Split on '/' and reorder the integer parts.",
  """
  def parse_dmy(s):
      day, month, year = (int(p) for p in s.split("/"))
      return year, month, day
  """,
  """
  assert parse_dmy("05/11/2023") == (2023, 11, 5)
  assert parse_dmy("31/12/1999") == (1999, 12, 31)
  """)

T("day_of_year", "medium",
  "Given a date string 'YYYY-MM-DD', return the day of the year (1 for January 1st). Use the datetime module. Function: `day_of_year(s)`.",
  "Parse with datetime.strptime and read timetuple().tm_yday.",
  """
  from datetime import datetime

  def day_of_year(s):
      return datetime.strptime(s, "%Y-%m-%d").timetuple().tm_yday
  """,
  """
  assert day_of_year("2023-01-01") == 1
  assert day_of_year("2023-03-01") == 60
  assert day_of_year("2024-12-31") == 366
  """)

T("days_between", "easy",
  "Return the number of days between two 'YYYY-MM-DD' dates (always non-negative). Function: `days_apart(a, b)`.",
  "Parse both with date.fromisoformat, subtract, and take the absolute number of days.",
  """
  from datetime import date

  def days_apart(a, b):
      return abs((date.fromisoformat(b) - date.fromisoformat(a)).days)
  """,
  """
  assert days_apart("2024-01-01", "2024-03-01") == 60
  assert days_apart("2023-05-10", "2023-05-03") == 7
  assert days_apart("2020-02-02", "2020-02-02") == 0
  """)

T("weekday_name", "easy",
  "Return the English weekday name for a date string 'YYYY-MM-DD'. Function: `weekday_of(s)`.",
  "date.fromisoformat gives a date; weekday() is 0 for Monday, so index into a list of names.",
  """
  from datetime import date

  def weekday_of(s):
      names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
      return names[date.fromisoformat(s).weekday()]
  """,
  """
  assert weekday_of("2024-01-01") == "Monday"
  assert weekday_of("2000-01-01") == "Saturday"
  """)

T("parse_json_safely", "easy",
  "Parse a JSON string and return the result, or return None if the string is not valid JSON. Function: `try_json(text)`.",
  "Call json.loads inside try/except json.JSONDecodeError.",
  """
  import json

  def try_json(text):
      try:
          return json.loads(text)
      except json.JSONDecodeError:
          return None
  """,
  """
  assert try_json('{"a": [1, 2]}') == {"a": [1, 2]}
  assert try_json("{bad json}") is None
  assert try_json("3") == 3
  """)

T("parse_table_text", "medium",
  "Parse a Markdown-style table ('| a | b |' lines, with a '|---|---|' separator after the header) into a list of dicts. Function: `parse_md_table(text)`.",
  "Split each line on '|', strip the cells, use the first line as header, skip the separator line, and zip the rest with the header.",
  """
  def parse_md_table(text):
      lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]

      def cells(line):
          return [c.strip() for c in line.strip("|").split("|")]

      header = cells(lines[0])
      return [dict(zip(header, cells(line))) for line in lines[2:]]
  """,
  """
  table = "| name | qty |\\n|------|-----|\\n| nut | 3 |\\n| bolt | 10 |"
  assert parse_md_table(table) == [{"name": "nut", "qty": "3"}, {"name": "bolt", "qty": "10"}]
  """)

T("hex_color_to_rgb", "easy",
  "Convert a hex color like '#1A2B3C' (or '1a2b3c') into an (r, g, b) tuple of ints. Function: `hex_to_rgb(color)`.",
  "Strip the '#', then parse each pair of hex digits with int(pair, 16).",
  """
  def hex_to_rgb(color):
      h = color.lstrip("#")
      return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
  """,
  """
  assert hex_to_rgb("#1A2B3C") == (26, 43, 60)
  assert hex_to_rgb("ffffff") == (255, 255, 255)
  assert hex_to_rgb("#000000") == (0, 0, 0)
  """)

T("rgb_to_hex", "easy",
  "Convert r, g, b integers (0-255) to a hex color string like '#FF8000'. Clamp values outside the range. Function: `rgb_hex(r, g, b)`.",
  "Clamp each channel into 0..255 and format it with two upper-case hex digits.",
  """
  def rgb_hex(r, g, b):
      def clamp(v):
          return max(0, min(255, v))
      return "#" + "".join(f"{clamp(v):02X}" for v in (r, g, b))
  """,
  """
  assert rgb_hex(255, 128, 0) == "#FF8000"
  assert rgb_hex(-5, 300, 16) == "#00FF10"
  """)

T("parse_bool", "easy",
  "Convert strings such as 'yes', 'TRUE', '1', 'on' to True and 'no', 'false', '0', 'off' to False (case-insensitive, surrounding spaces ignored). Raise ValueError for anything else. Function: `to_bool(text)`.",
  "Normalize the text and look it up in two sets of accepted words.",
  """
  def to_bool(text):
      value = text.strip().lower()
      if value in {"yes", "true", "1", "on"}:
          return True
      if value in {"no", "false", "0", "off"}:
          return False
      raise ValueError(f"not a boolean: {text!r}")
  """,
  """
  assert to_bool(" TRUE ") is True
  assert to_bool("off") is False
  try:
      to_bool("maybe")
      raise AssertionError("expected ValueError")
  except ValueError:
      pass
  """)

T("parse_range_list", "medium",
  "Expand a page-range string like '1-3,5,8-9' into a sorted list of unique integers. Function: `expand_pages(spec)`.",
  "Split on commas; for 'a-b' add every number from a to b, otherwise add the single number; a set removes duplicates.",
  """
  def expand_pages(spec):
      pages = set()
      for part in spec.split(","):
          part = part.strip()
          if not part:
              continue
          if "-" in part:
              start, end = (int(x) for x in part.split("-"))
              pages.update(range(start, end + 1))
          else:
              pages.add(int(part))
      return sorted(pages)
  """,
  """
  assert expand_pages("1-3,5,8-9") == [1, 2, 3, 5, 8, 9]
  assert expand_pages("4,2-4") == [2, 3, 4]
  assert expand_pages("") == []
  """)

T("file_extension", "easy",
  "Return the lower-case extension of a file name without the dot ('' if there is none; a leading dot like '.bashrc' doesn't count). Function: `extension_of(name)`.",
  "Use rpartition on '.'; there is an extension only if the part before the dot is non-empty.",
  """
  def extension_of(name):
      base, dot, ext = name.rpartition(".")
      return ext.lower() if dot and base else ""
  """,
  """
  assert extension_of("Report.PDF") == "pdf"
  assert extension_of("archive.tar.gz") == "gz"
  assert extension_of(".bashrc") == ""
  assert extension_of("README") == ""
  """)
