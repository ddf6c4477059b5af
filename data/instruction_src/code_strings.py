"""Hand-written Python tasks on strings. Tests are hand-computed; data/validate.py runs them."""

from .codelib import make_registry

TASKS, T = make_registry()

T("word_lengths", "easy",
  "Write a Python function `word_lengths(sentence)` that returns a list with the length of each word. Words are separated by whitespace.",
  "Split on whitespace (which also drops extra spaces) and take the length of each piece.",
  """
  def word_lengths(sentence):
      return [len(word) for word in sentence.split()]
  """,
  """
  assert word_lengths("the quick brown fox") == [3, 5, 5, 3]
  assert word_lengths("") == []
  assert word_lengths("  hi   there ") == [2, 5]
  """)

T("count_vowels_in", "easy",
  "I need a function `count_vowels_in(text)` that counts the vowels a, e, i, o, u in a string, ignoring case.",
  "Lower-case the text once, then count the characters that belong to the vowel set.",
  """
  def count_vowels_in(text):
      vowels = set("aeiou")
      return sum(1 for ch in text.lower() if ch in vowels)
  """,
  """
  assert count_vowels_in("Hello World") == 3
  assert count_vowels_in("") == 0
  assert count_vowels_in("AEIOU and y") == 6
  assert count_vowels_in("rhythm") == 0
  """)

T("reverse_each_word", "easy",
  "Write `reverse_each_word(s)` that reverses every word in a sentence but keeps the words in their original order. Words are separated by single spaces.",
  "Split on spaces, reverse each word with slicing, and join them back with spaces.",
  """
  def reverse_each_word(s):
      return " ".join(word[::-1] for word in s.split(" "))
  """,
  """
  assert reverse_each_word("hello world") == "olleh dlrow"
  assert reverse_each_word("a bc def") == "a cb fed"
  assert reverse_each_word("") == ""
  """)

T("reverse_word_order", "easy",
  "Create a function `reverse_word_order(sentence)` that returns the words of the sentence in reverse order, separated by single spaces.",
  "Split into words, reverse the list, and join with one space.",
  """
  def reverse_word_order(sentence):
      return " ".join(reversed(sentence.split()))
  """,
  """
  assert reverse_word_order("one two three") == "three two one"
  assert reverse_word_order("solo") == "solo"
  assert reverse_word_order("  a   b ") == "b a"
  """)

T("is_sentence_palindrome", "medium",
  "Write `is_sentence_palindrome(text)` that returns True if the text reads the same backwards when you ignore case, spaces and punctuation (keep only letters and digits).",
  "Keep only alphanumeric characters in lower case, then compare the cleaned string with its reverse.",
  """
  def is_sentence_palindrome(text):
      cleaned = [ch.lower() for ch in text if ch.isalnum()]
      return cleaned == cleaned[::-1]
  """,
  """
  assert is_sentence_palindrome("A man, a plan, a canal: Panama") is True
  assert is_sentence_palindrome("Was it a car or a cat I saw?") is True
  assert is_sentence_palindrome("hello") is False
  assert is_sentence_palindrome("") is True
  """)

T("to_snake_case", "medium",
  "Convert camelCase or PascalCase identifiers to snake_case. Implement `to_snake_case(name)`, e.g. 'userId' -> 'user_id'.",
  "Walk through the characters; before every upper-case letter that is not the first character, add an underscore, and lower-case everything.",
  """
  def to_snake_case(name):
      out = []
      for i, ch in enumerate(name):
          if ch.isupper() and i > 0:
              out.append("_")
          out.append(ch.lower())
      return "".join(out)
  """,
  """
  assert to_snake_case("userId") == "user_id"
  assert to_snake_case("HttpServerError") == "http_server_error"
  assert to_snake_case("already") == "already"
  """)

T("to_camel_case", "medium",
  "Write a function `to_camel_case(name)` that turns a snake_case string like 'max_retry_count' into camelCase ('maxRetryCount').",
  "Split on underscores, keep the first part lower-case and capitalize the first letter of every following part.",
  """
  def to_camel_case(name):
      parts = [p for p in name.split("_") if p]
      if not parts:
          return ""
      return parts[0].lower() + "".join(p[0].upper() + p[1:].lower() for p in parts[1:])
  """,
  """
  assert to_camel_case("max_retry_count") == "maxRetryCount"
  assert to_camel_case("name") == "name"
  assert to_camel_case("__private_value") == "privateValue"
  assert to_camel_case("") == ""
  """)

T("title_case_small_words", "hard",
  "Implement `headline(text)`: capitalize each word, except the small words 'a', 'an', 'the', 'of', 'and', 'in' which stay lower-case unless they are the first word.",
  "Lower-case each word, capitalize it unless it is a small word in a non-first position, then rejoin.",
  """
  def headline(text):
      small = {"a", "an", "the", "of", "and", "in"}
      words = text.lower().split()
      out = []
      for i, word in enumerate(words):
          if i > 0 and word in small:
              out.append(word)
          else:
              out.append(word.capitalize())
      return " ".join(out)
  """,
  """
  assert headline("the lord of the rings") == "The Lord of the Rings"
  assert headline("war AND peace") == "War and Peace"
  assert headline("a tale in time") == "A Tale in Time"
  """)

T("char_frequency", "easy",
  "Write `char_frequency(s)` returning a dict that maps each character of `s` to how many times it occurs.",
  "Go through the string and increase a counter in a dict with `dict.get` and a default of 0.",
  """
  def char_frequency(s):
      counts = {}
      for ch in s:
          counts[ch] = counts.get(ch, 0) + 1
      return counts
  """,
  """
  assert char_frequency("banana") == {"b": 1, "a": 3, "n": 2}
  assert char_frequency("") == {}
  assert char_frequency("aA") == {"a": 1, "A": 1}
  """)

T("first_unique_char", "medium",
  "Given a string, return the first character that appears exactly once. Write `first_unique_char(s)`; return None if every character repeats.",
  "Count all characters first, then scan the string in order and return the first one whose count is 1.",
  """
  from collections import Counter

  def first_unique_char(s):
      counts = Counter(s)
      for ch in s:
          if counts[ch] == 1:
              return ch
      return None
  """,
  """
  assert first_unique_char("swiss") == "w"
  assert first_unique_char("aabb") is None
  assert first_unique_char("x") == "x"
  assert first_unique_char("") is None
  """)

T("compress_runs", "medium",
  "Write a run-length encoder `compress_runs(s)` that turns 'aaabccdddd' into 'a3b1c2d4'.",
  "Walk through the string keeping the current character and its run length; emit character plus count whenever the run ends.",
  """
  def compress_runs(s):
      if not s:
          return ""
      out = []
      current, count = s[0], 1
      for ch in s[1:]:
          if ch == current:
              count += 1
          else:
              out.append(f"{current}{count}")
              current, count = ch, 1
      out.append(f"{current}{count}")
      return "".join(out)
  """,
  """
  assert compress_runs("aaabccdddd") == "a3b1c2d4"
  assert compress_runs("") == ""
  assert compress_runs("z") == "z1"
  assert compress_runs("abab") == "a1b1a1b1"
  """)

T("expand_runs", "medium",
  "Write `expand_runs(code)` that decodes strings like 'a3b1c2' back into 'aaabcc'. Counts can have more than one digit, e.g. 'x12'.",
  "Read a letter, then read all following digits as the count, and repeat the letter that many times.",
  """
  def expand_runs(code):
      out = []
      i = 0
      while i < len(code):
          letter = code[i]
          i += 1
          start = i
          while i < len(code) and code[i].isdigit():
              i += 1
          out.append(letter * int(code[start:i]))
      return "".join(out)
  """,
  """
  assert expand_runs("a3b1c2") == "aaabcc"
  assert expand_runs("x12") == "x" * 12
  assert expand_runs("") == ""
  """)

T("are_anagrams", "easy",
  "Check whether two words are anagrams of each other, ignoring case and spaces. Function name: `are_anagrams(a, b)`.",
  "Normalize both strings (lower-case, no spaces) and compare their sorted characters.",
  """
  def are_anagrams(a, b):
      def norm(s):
          return sorted(s.replace(" ", "").lower())
      return norm(a) == norm(b)
  """,
  """
  assert are_anagrams("Listen", "Silent") is True
  assert are_anagrams("dormitory", "dirty room") is True
  assert are_anagrams("abc", "abd") is False
  """)

T("longest_word", "easy",
  "Write `longest_word(sentence)` that returns the longest word in a sentence. If several words tie, return the first one. Return an empty string for an empty sentence.",
  "`max` with `key=len` returns the first maximal element, which handles ties; a default covers the empty case.",
  """
  def longest_word(sentence):
      return max(sentence.split(), key=len, default="")
  """,
  """
  assert longest_word("I love programming in Python") == "programming"
  assert longest_word("cat dog") == "cat"
  assert longest_word("") == ""
  """)

T("mask_card_number", "easy",
  "Write a function `mask_card_number(number)` that replaces all but the last four characters of a string with '*'.",
  "Keep the last four characters and put one '*' for each character before them.",
  """
  def mask_card_number(number):
      hidden = max(len(number) - 4, 0)
      return "*" * hidden + number[hidden:]
  """,
  """
  assert mask_card_number("4556364607935616") == "************5616"
  assert mask_card_number("1234") == "1234"
  assert mask_card_number("12") == "12"
  """)

T("caesar_shift", "medium",
  "Implement a Caesar cipher: `caesar_shift(text, k)` shifts each letter k places forward in the alphabet, wrapping around, keeping case, and leaving other characters unchanged.",
  "For each letter, find its offset from 'a' or 'A', add k modulo 26, and convert back; non-letters pass through.",
  """
  def caesar_shift(text, k):
      out = []
      for ch in text:
          if ch.isalpha() and ch.isascii():
              base = ord("A") if ch.isupper() else ord("a")
              out.append(chr((ord(ch) - base + k) % 26 + base))
          else:
              out.append(ch)
      return "".join(out)
  """,
  """
  assert caesar_shift("abc", 1) == "bcd"
  assert caesar_shift("Hello, World!", 3) == "Khoor, Zruog!"
  assert caesar_shift("xyz", 3) == "abc"
  assert caesar_shift(caesar_shift("Round Trip", 5), -5) == "Round Trip"
  """)

T("rot13", "easy",
  "Write `rot13(s)`: replace each letter with the one 13 places later in the alphabet (wrapping around), preserving case. Applying it twice gives back the original.",
  "Shift letters by 13 modulo 26 relative to 'a' or 'A'; since 13 + 13 = 26 the function is its own inverse.",
  """
  def rot13(s):
      result = []
      for ch in s:
          if "a" <= ch <= "z":
              result.append(chr((ord(ch) - 97 + 13) % 26 + 97))
          elif "A" <= ch <= "Z":
              result.append(chr((ord(ch) - 65 + 13) % 26 + 65))
          else:
              result.append(ch)
      return "".join(result)
  """,
  """
  assert rot13("Hello") == "Uryyb"
  assert rot13(rot13("Secret message 42")) == "Secret message 42"
  assert rot13("") == ""
  """)

T("acronym", "easy",
  "Make an acronym from a phrase: `acronym('portable network graphics')` should return 'PNG'. Hyphens separate words too.",
  "Treat hyphens as spaces, split into words, and join the upper-cased first letters.",
  """
  def acronym(phrase):
      words = phrase.replace("-", " ").split()
      return "".join(word[0].upper() for word in words)
  """,
  """
  assert acronym("portable network graphics") == "PNG"
  assert acronym("Complementary metal-oxide semiconductor") == "CMOS"
  assert acronym("") == ""
  """)

T("remove_duplicate_chars", "easy",
  "Write `dedupe_chars(s)` that removes repeated characters from a string, keeping only the first occurrence of each and the original order.",
  "Track the characters already seen in a set and keep a character only the first time it appears.",
  """
  def dedupe_chars(s):
      seen = set()
      out = []
      for ch in s:
          if ch not in seen:
              seen.add(ch)
              out.append(ch)
      return "".join(out)
  """,
  """
  assert dedupe_chars("programming") == "progamin"
  assert dedupe_chars("aaaa") == "a"
  assert dedupe_chars("") == ""
  """)

T("is_pangram", "easy",
  "Does a sentence use every letter of the English alphabet at least once? Write `is_pangram(sentence)`.",
  "Collect the lower-case letters of the sentence into a set and check that all 26 letters are in it.",
  """
  import string

  def is_pangram(sentence):
      return set(string.ascii_lowercase) <= set(sentence.lower())
  """,
  """
  assert is_pangram("The quick brown fox jumps over the lazy dog") is True
  assert is_pangram("Hello world") is False
  assert is_pangram("") is False
  """)

T("is_isogram", "easy",
  "An isogram is a word with no repeating letters (case-insensitive; hyphens and spaces may repeat). Write `is_isogram(word)`.",
  "Keep only the letters in lower case and compare how many there are with how many distinct ones there are.",
  """
  def is_isogram(word):
      letters = [ch.lower() for ch in word if ch.isalpha()]
      return len(letters) == len(set(letters))
  """,
  """
  assert is_isogram("lumberjacks") is True
  assert is_isogram("six-year-old") is True
  assert is_isogram("Alphabet") is False
  """)

T("truncate_words", "easy",
  "Write `shorten(text, max_words)` that keeps only the first `max_words` words of the text and adds '...' if anything was cut off.",
  "Split into words; if there are more than the limit, join the first `max_words` and append '...'.",
  """
  def shorten(text, max_words):
      words = text.split()
      if len(words) <= max_words:
          return " ".join(words)
      return " ".join(words[:max_words]) + "..."
  """,
  """
  assert shorten("one two three four", 2) == "one two..."
  assert shorten("one two", 5) == "one two"
  assert shorten("a b c", 3) == "a b c"
  """)

T("center_pad", "easy",
  "Write `pad_left(s, width, fill)` that pads the string on the left with the fill character until it is `width` long. Longer strings are returned unchanged. Don't use str.rjust.",
  "Compute how many fill characters are missing (never negative) and put them in front.",
  """
  def pad_left(s, width, fill):
      missing = max(width - len(s), 0)
      return fill * missing + s
  """,
  """
  assert pad_left("42", 5, "0") == "00042"
  assert pad_left("hello", 3, "*") == "hello"
  assert pad_left("", 2, "-") == "--"
  """)

T("count_words_case_insensitive", "medium",
  "Write `word_counts(text)` that returns a dict of word -> count. Ignore case and strip the punctuation characters .,!? from the ends of words.",
  "Lower-case the text, split it, strip the punctuation from each word, skip empty results, and count with a dict.",
  """
  def word_counts(text):
      counts = {}
      for raw in text.lower().split():
          word = raw.strip(".,!?")
          if word:
              counts[word] = counts.get(word, 0) + 1
      return counts
  """,
  """
  assert word_counts("The cat and the hat.") == {"the": 2, "cat": 1, "and": 1, "hat": 1}
  assert word_counts("Wow! wow, WOW?") == {"wow": 3}
  assert word_counts("") == {}
  """)

T("most_common_word", "medium",
  "Return the most frequent word in a text (lower-cased). If two words tie, return the one that appears first. Function: `most_common_word(text)`; assume the text has at least one word.",
  "Count with a dict (which keeps insertion order), then pick the maximum count; `max` over the dict keys returns the earliest word among ties.",
  """
  def most_common_word(text):
      counts = {}
      for word in text.lower().split():
          counts[word] = counts.get(word, 0) + 1
      return max(counts, key=counts.get)
  """,
  """
  assert most_common_word("a b b a c a") == "a"
  assert most_common_word("Red blue RED") == "red"
  assert most_common_word("x y") == "x"
  """)

T("wrap_text", "hard",
  "Write `wrap_text(text, width)` that breaks text into lines of at most `width` characters without splitting words (a single word longer than width goes on its own line). Return a list of lines.",
  "Add words greedily to the current line; when the next word would push it past the width, start a new line.",
  """
  def wrap_text(text, width):
      lines, current = [], ""
      for word in text.split():
          if not current:
              current = word
          elif len(current) + 1 + len(word) <= width:
              current += " " + word
          else:
              lines.append(current)
              current = word
      if current:
          lines.append(current)
      return lines
  """,
  """
  assert wrap_text("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]
  assert wrap_text("extraordinary day", 5) == ["extraordinary", "day"]
  assert wrap_text("", 5) == []
  """)

T("common_prefix", "medium",
  "Find the longest common prefix of a list of strings. Write `common_prefix(words)`; return '' for an empty list.",
  "Start with the first word as the prefix and shorten it until every other word starts with it.",
  """
  def common_prefix(words):
      if not words:
          return ""
      prefix = words[0]
      for word in words[1:]:
          while not word.startswith(prefix):
              prefix = prefix[:-1]
      return prefix
  """,
  """
  assert common_prefix(["flower", "flow", "flight"]) == "fl"
  assert common_prefix(["dog", "racecar"]) == ""
  assert common_prefix(["same", "same"]) == "same"
  assert common_prefix([]) == ""
  """)

T("is_rotation", "medium",
  "Check if string b is a rotation of string a (for example 'erbottlewat' is a rotation of 'waterbottle'). Write `is_rotation(a, b)`.",
  "Every rotation of `a` is a substring of `a + a`, so compare lengths and then search in the doubled string.",
  """
  def is_rotation(a, b):
      return len(a) == len(b) and b in a + a
  """,
  """
  assert is_rotation("waterbottle", "erbottlewat") is True
  assert is_rotation("abc", "acb") is False
  assert is_rotation("", "") is True
  assert is_rotation("ab", "aba") is False
  """)

T("alternate_caps", "easy",
  "Write `spongebob(text)` that alternates letter case starting with lower case: 'hello' -> 'hElLo'. Count only letters when alternating.",
  "Keep a flag that flips after every letter; non-letters are copied without changing the flag.",
  """
  def spongebob(text):
      out = []
      upper = False
      for ch in text:
          if ch.isalpha():
              out.append(ch.upper() if upper else ch.lower())
              upper = not upper
          else:
              out.append(ch)
      return "".join(out)
  """,
  """
  assert spongebob("hello") == "hElLo"
  assert spongebob("a b c") == "a B c"
  assert spongebob("") == ""
  """)

T("count_upper_lower", "easy",
  "Return a tuple (uppercase_count, lowercase_count) for a string. Name it `case_counts(s)`.",
  "Count characters with isupper and islower in two generator expressions.",
  """
  def case_counts(s):
      upper = sum(1 for ch in s if ch.isupper())
      lower = sum(1 for ch in s if ch.islower())
      return upper, lower
  """,
  """
  assert case_counts("Hello World") == (2, 8)
  assert case_counts("123") == (0, 0)
  """)

T("initials", "easy",
  "Given a full name like 'ada king lovelace', return the initials with dots: 'A.K.L.'. Write `initials(name)`.",
  "Take the first letter of each word, upper-case it, and add a dot after each.",
  """
  def initials(name):
      return "".join(part[0].upper() + "." for part in name.split())
  """,
  """
  assert initials("ada king lovelace") == "A.K.L."
  assert initials("Grace Hopper") == "G.H."
  assert initials("") == ""
  """)

T("pig_latin_word", "medium",
  "Translate one lower-case word to Pig Latin: if it starts with a vowel add 'way'; otherwise move the leading consonants to the end and add 'ay' ('string' -> 'ingstray'). Function: `pig_latin(word)`.",
  "Find the index of the first vowel; move everything before it to the end. A word starting with a vowel just gets 'way'.",
  """
  def pig_latin(word):
      vowels = "aeiou"
      if word[0] in vowels:
          return word + "way"
      for i, ch in enumerate(word):
          if ch in vowels:
              return word[i:] + word[:i] + "ay"
      return word + "ay"
  """,
  """
  assert pig_latin("string") == "ingstray"
  assert pig_latin("apple") == "appleway"
  assert pig_latin("pig") == "igpay"
  assert pig_latin("rhythm") == "rhythmay"
  """)

T("remove_vowels_keep_first", "easy",
  "Write `strip_inner_vowels(word)` that removes every vowel (aeiou, any case) except the first letter of the word, which is always kept. Example: 'Apple' -> 'Appl'.",
  "Keep the first character as is and filter vowels out of the rest.",
  """
  def strip_inner_vowels(word):
      if not word:
          return word
      return word[0] + "".join(ch for ch in word[1:] if ch.lower() not in "aeiou")
  """,
  """
  assert strip_inner_vowels("Apple") == "Appl"
  assert strip_inner_vowels("banana") == "bnn"
  assert strip_inner_vowels("") == ""
  """)

T("duplicate_encode", "medium",
  "Write `dup_encode(word)`: each character becomes '(' if it appears only once in the word and ')' if it appears more than once, ignoring case. 'Success' -> ')())())'.",
  "Count the lower-cased characters first, then map each character by its count.",
  """
  from collections import Counter

  def dup_encode(word):
      counts = Counter(word.lower())
      return "".join("(" if counts[ch] == 1 else ")" for ch in word.lower())
  """,
  """
  assert dup_encode("din") == "((("
  assert dup_encode("recede") == "()()()"
  assert dup_encode("Success") == ")())())"
  """)

T("sort_letters", "easy",
  "Write `sort_letters(word)` that returns the letters of a word sorted alphabetically, case-insensitively, as a lower-case string.",
  "Lower-case the word and join the result of `sorted`.",
  """
  def sort_letters(word):
      return "".join(sorted(word.lower()))
  """,
  """
  assert sort_letters("Python") == "hnopty"
  assert sort_letters("") == ""
  """)

T("is_valid_identifier_simple", "medium",
  "Without using str.isidentifier, write `looks_like_identifier(name)`: True if the name is non-empty, starts with a letter or underscore, and contains only letters, digits and underscores (ASCII only).",
  "Check the first character separately, then check every character against the allowed set.",
  """
  import string

  def looks_like_identifier(name):
      allowed = set(string.ascii_letters + string.digits + "_")
      if not name or not (name[0].isalpha() or name[0] == "_") or not name[0].isascii():
          return False
      return all(ch in allowed for ch in name)
  """,
  """
  assert looks_like_identifier("total_2") is True
  assert looks_like_identifier("_private") is True
  assert looks_like_identifier("2fast") is False
  assert looks_like_identifier("has-dash") is False
  assert looks_like_identifier("") is False
  """)

T("hamming_distance", "easy",
  "Compute the Hamming distance between two equal-length strings: the number of positions where they differ. Raise ValueError if the lengths differ. Name: `hamming(a, b)`.",
  "Zip the strings together and count the pairs that differ, after checking the lengths.",
  """
  def hamming(a, b):
      if len(a) != len(b):
          raise ValueError("strings must have equal length")
      return sum(1 for x, y in zip(a, b) if x != y)
  """,
  """
  assert hamming("karolin", "kathrin") == 3
  assert hamming("", "") == 0
  try:
      hamming("a", "ab")
      raise AssertionError("expected ValueError")
  except ValueError:
      pass
  """)

T("levenshtein", "hard",
  "Write `edit_distance(a, b)` that returns the Levenshtein distance (minimum number of single-character insertions, deletions or substitutions to turn a into b).",
  "Use dynamic programming row by row: each cell is the cheapest of deleting, inserting or substituting (free when the characters match).",
  """
  def edit_distance(a, b):
      prev = list(range(len(b) + 1))
      for i, ca in enumerate(a, start=1):
          cur = [i]
          for j, cb in enumerate(b, start=1):
              cost = 0 if ca == cb else 1
              cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost))
          prev = cur
      return prev[-1]
  """,
  """
  assert edit_distance("kitten", "sitting") == 3
  assert edit_distance("", "abc") == 3
  assert edit_distance("flaw", "lawn") == 2
  assert edit_distance("same", "same") == 0
  """)

T("longest_palindromic_substring", "hard",
  "Find the longest palindromic substring of a string. Write `longest_palindrome_sub(s)`; if there are several of the same length, return the one that starts first.",
  "Expand around every centre (a character or a gap between two characters) and keep the longest palindrome found; only a strictly longer one replaces the current best.",
  """
  def longest_palindrome_sub(s):
      best = ""
      for center in range(2 * len(s) - 1):
          left = center // 2
          right = left + center % 2
          while left >= 0 and right < len(s) and s[left] == s[right]:
              left -= 1
              right += 1
          candidate = s[left + 1:right]
          if len(candidate) > len(best):
              best = candidate
      return best
  """,
  """
  assert longest_palindrome_sub("babad") == "bab"
  assert longest_palindrome_sub("cbbd") == "bb"
  assert longest_palindrome_sub("a") == "a"
  assert longest_palindrome_sub("") == ""
  """)

T("longest_unique_run", "hard",
  "Return the length of the longest substring without repeating characters. Function: `longest_unique_run(s)`.",
  "Slide a window: remember the last index of each character and move the window start past a repeated character.",
  """
  def longest_unique_run(s):
      last_seen = {}
      start = best = 0
      for i, ch in enumerate(s):
          if ch in last_seen and last_seen[ch] >= start:
              start = last_seen[ch] + 1
          last_seen[ch] = i
          best = max(best, i - start + 1)
      return best
  """,
  """
  assert longest_unique_run("abcabcbb") == 3
  assert longest_unique_run("bbbbb") == 1
  assert longest_unique_run("pwwkew") == 3
  assert longest_unique_run("") == 0
  """)

T("balanced_brackets", "medium",
  "Write `brackets_balanced(s)` that checks whether (), [] and {} in a string are balanced and properly nested. Other characters are ignored.",
  "Push opening brackets on a stack; each closing bracket must match the top of the stack, and the stack must be empty at the end.",
  """
  def brackets_balanced(s):
      pairs = {")": "(", "]": "[", "}": "{"}
      stack = []
      for ch in s:
          if ch in "([{":
              stack.append(ch)
          elif ch in pairs:
              if not stack or stack.pop() != pairs[ch]:
                  return False
      return not stack
  """,
  """
  assert brackets_balanced("{[()()]}") is True
  assert brackets_balanced("f(x[1]) + {y}") is True
  assert brackets_balanced("([)]") is False
  assert brackets_balanced("((") is False
  assert brackets_balanced("") is True
  """)

T("slugify", "medium",
  "Write `slugify(title)` for URLs: lower-case, keep letters and digits, turn every run of other characters into a single hyphen, and strip hyphens from both ends. 'Hello, World!' -> 'hello-world'.",
  "Build the slug character by character, adding a hyphen only when the previous output character isn't already one, then strip the ends.",
  """
  def slugify(title):
      out = []
      for ch in title.lower():
          if ch.isascii() and ch.isalnum():
              out.append(ch)
          elif out and out[-1] != "-":
              out.append("-")
      return "".join(out).strip("-")
  """,
  """
  assert slugify("Hello, World!") == "hello-world"
  assert slugify("  10 Tips & Tricks -- 2024 ") == "10-tips-tricks-2024"
  assert slugify("***") == ""
  """)

T("vowel_positions", "easy",
  "Return the indexes of all vowels (aeiou, lower or upper case) in a string. Function: `vowel_positions(s)`.",
  "Enumerate the characters and keep the index of each vowel.",
  """
  def vowel_positions(s):
      return [i for i, ch in enumerate(s) if ch.lower() in "aeiou"]
  """,
  """
  assert vowel_positions("banana") == [1, 3, 5]
  assert vowel_positions("Ice") == [0, 2]
  assert vowel_positions("xyz") == []
  """)

T("digits_only", "easy",
  "Write `keep_digits(s)` that returns only the digit characters of a string, e.g. '(555) 123-4567' -> '5551234567'.",
  "Filter the characters with str.isdigit and join them.",
  """
  def keep_digits(s):
      return "".join(ch for ch in s if ch.isdigit())
  """,
  """
  assert keep_digits("(555) 123-4567") == "5551234567"
  assert keep_digits("no digits") == ""
  """)

T("repeat_chars", "easy",
  "Write `stretch(s, n)` that repeats every character of s n times: stretch('abc', 2) -> 'aabbcc'.",
  "Multiply each character by n and join the pieces.",
  """
  def stretch(s, n):
      return "".join(ch * n for ch in s)
  """,
  """
  assert stretch("abc", 2) == "aabbcc"
  assert stretch("hi", 0) == ""
  assert stretch("", 5) == ""
  """)

T("interleave_strings", "easy",
  "Interleave two strings character by character; when one runs out, append the rest of the other. `interleave('abc', '12345')` -> 'a1b2c345'.",
  "Take characters pairwise up to the shorter length, then add whatever is left of the longer string.",
  """
  def interleave(a, b):
      n = min(len(a), len(b))
      mixed = "".join(x + y for x, y in zip(a[:n], b[:n]))
      return mixed + a[n:] + b[n:]
  """,
  """
  assert interleave("abc", "12345") == "a1b2c345"
  assert interleave("", "xy") == "xy"
  assert interleave("ab", "") == "ab"
  """)

T("count_sentences", "easy",
  "Count the sentences in a text, where a sentence ends with '.', '!' or '?'. A run like '?!' or '...' ends only one sentence. Function: `count_sentences(text)`.",
  "Count end characters that are not immediately followed by another end character.",
  """
  def count_sentences(text):
      ends = ".!?"
      count = 0
      for i, ch in enumerate(text):
          if ch in ends and (i + 1 == len(text) or text[i + 1] not in ends):
              count += 1
      return count
  """,
  """
  assert count_sentences("Hi. How are you? Great!") == 3
  assert count_sentences("Wait... what?!") == 2
  assert count_sentences("no end") == 0
  """)

T("is_subsequence", "medium",
  "Write `is_subsequence(small, big)`: True if all characters of `small` appear in `big` in the same order (not necessarily next to each other).",
  "Walk through `big` with a pointer into `small`, advancing it on every match; success means the pointer reached the end.",
  """
  def is_subsequence(small, big):
      i = 0
      for ch in big:
          if i < len(small) and ch == small[i]:
              i += 1
      return i == len(small)
  """,
  """
  assert is_subsequence("ace", "abcde") is True
  assert is_subsequence("aec", "abcde") is False
  assert is_subsequence("", "abc") is True
  """)

T("capitalize_sentences", "medium",
  "Write `capitalize_sentences(text)` that upper-cases the first letter of the text and the first letter after each '. ', '! ' or '? '.",
  "Keep a flag that says the next letter starts a sentence; set it at the start and after sentence-ending punctuation.",
  """
  def capitalize_sentences(text):
      out = []
      start = True
      for ch in text:
          if start and ch.isalpha():
              out.append(ch.upper())
              start = False
          else:
              out.append(ch)
              if ch in ".!?":
                  start = True
      return "".join(out)
  """,
  """
  assert capitalize_sentences("hello. how are you? fine!") == "Hello. How are you? Fine!"
  assert capitalize_sentences("") == ""
  """)

T("char_histogram", "medium",
  "Write `letter_bars(word)` that returns lines like 'a: ***' for each distinct letter of the word in alphabetical order, with one star per occurrence. Return the lines joined by newlines.",
  "Count letters, sort the keys, and build one line per letter.",
  """
  from collections import Counter

  def letter_bars(word):
      counts = Counter(word)
      return "\\n".join(f"{letter}: {'*' * counts[letter]}" for letter in sorted(counts))
  """,
  """
  assert letter_bars("banana") == "a: ***\\nb: *\\nn: **"
  assert letter_bars("") == ""
  """)

T("reverse_vowels", "medium",
  "Reverse only the vowels in a string: 'hello' -> 'holle'. Implement `reverse_vowels(s)`.",
  "Use two pointers from both ends, skipping consonants, and swap vowels when both pointers stop.",
  """
  def reverse_vowels(s):
      chars = list(s)
      vowels = set("aeiouAEIOU")
      i, j = 0, len(chars) - 1
      while i < j:
          if chars[i] not in vowels:
              i += 1
          elif chars[j] not in vowels:
              j -= 1
          else:
              chars[i], chars[j] = chars[j], chars[i]
              i += 1
              j -= 1
      return "".join(chars)
  """,
  """
  assert reverse_vowels("hello") == "holle"
  assert reverse_vowels("leetcode") == "leotcede"
  assert reverse_vowels("xyz") == "xyz"
  """)

T("string_to_int_manual", "medium",
  "Convert a string of decimal digits with an optional leading '-' into an int without calling int(). Function: `parse_int(s)`.",
  "Handle the sign, then build the number digit by digit: value = value * 10 + digit, using ord to get each digit.",
  """
  def parse_int(s):
      negative = s.startswith("-")
      digits = s[1:] if negative else s
      value = 0
      for ch in digits:
          value = value * 10 + (ord(ch) - ord("0"))
      return -value if negative else value
  """,
  """
  assert parse_int("123") == 123
  assert parse_int("-45") == -45
  assert parse_int("0") == 0
  """)

T("word_frequency_top", "medium",
  "Return the k most common words in a text as a list, most common first; break ties alphabetically. Function: `top_words(text, k)`.",
  "Count the words, then sort by (-count, word) so larger counts come first and ties are alphabetical.",
  """
  from collections import Counter

  def top_words(text, k):
      counts = Counter(text.lower().split())
      ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
      return [word for word, _ in ranked[:k]]
  """,
  """
  assert top_words("b a c a b a", 2) == ["a", "b"]
  assert top_words("x y z", 2) == ["x", "y"]
  assert top_words("", 3) == []
  """)

T("zigzag_join", "easy",
  "Write `kebab(words)` that joins a list of words into a lower-case kebab-case string, e.g. ['Hello', 'Big', 'World'] -> 'hello-big-world'.",
  "Lower-case every word and join with hyphens.",
  """
  def kebab(words):
      return "-".join(word.lower() for word in words)
  """,
  """
  assert kebab(["Hello", "Big", "World"]) == "hello-big-world"
  assert kebab([]) == ""
  """)

T("count_char_types", "medium",
  "Write `char_types(s)` returning a dict with counts for 'letters', 'digits', 'spaces' and 'other'.",
  "Classify each character with isalpha, isdigit and isspace; anything else is 'other'.",
  """
  def char_types(s):
      counts = {"letters": 0, "digits": 0, "spaces": 0, "other": 0}
      for ch in s:
          if ch.isalpha():
              counts["letters"] += 1
          elif ch.isdigit():
              counts["digits"] += 1
          elif ch.isspace():
              counts["spaces"] += 1
          else:
              counts["other"] += 1
      return counts
  """,
  """
  assert char_types("Hi 2 you!") == {"letters": 5, "digits": 1, "spaces": 2, "other": 1}
  assert char_types("") == {"letters": 0, "digits": 0, "spaces": 0, "other": 0}
  """)

T("bigrams", "easy",
  "Return the list of adjacent word pairs (bigrams) of a sentence as tuples. Function: `word_bigrams(sentence)`.",
  "Split into words and zip the list with itself shifted by one.",
  """
  def word_bigrams(sentence):
      words = sentence.split()
      return list(zip(words, words[1:]))
  """,
  """
  assert word_bigrams("I like green tea") == [("I", "like"), ("like", "green"), ("green", "tea")]
  assert word_bigrams("single") == []
  """)

T("camel_split", "medium",
  "Split a camelCase string into lower-case words: 'parseHttpResponse' -> ['parse', 'http', 'response']. Function: `split_camel(name)`.",
  "Start a new word at every upper-case letter and lower-case each word at the end.",
  """
  def split_camel(name):
      words = []
      current = ""
      for ch in name:
          if ch.isupper() and current:
              words.append(current.lower())
              current = ch
          else:
              current += ch
      if current:
          words.append(current.lower())
      return words
  """,
  """
  assert split_camel("parseHttpResponse") == ["parse", "http", "response"]
  assert split_camel("Simple") == ["simple"]
  assert split_camel("") == []
  """)

T("text_stats", "medium",
  "Write `text_stats(text)` that returns a dict with the number of words, the number of characters excluding spaces, and the average word length rounded to 2 decimals (0.0 for no words). Keys: 'words', 'chars', 'avg'.",
  "Split into words; chars is the sum of word lengths; guard against division by zero.",
  """
  def text_stats(text):
      words = text.split()
      chars = sum(len(w) for w in words)
      avg = round(chars / len(words), 2) if words else 0.0
      return {"words": len(words), "chars": chars, "avg": avg}
  """,
  """
  assert text_stats("hello big world") == {"words": 3, "chars": 13, "avg": 4.33}
  assert text_stats("") == {"words": 0, "chars": 0, "avg": 0.0}
  """)

T("censor_words", "medium",
  "Write `censor(text, banned)` that replaces every word in `banned` (case-insensitive, whole words only) with asterisks of the same length. Words are separated by single spaces.",
  "Split on spaces and replace a word when its lower-case form is in the banned set.",
  """
  def censor(text, banned):
      banned = {w.lower() for w in banned}
      return " ".join("*" * len(w) if w.lower() in banned else w for w in text.split(" "))
  """,
  """
  assert censor("what the heck is this", ["heck"]) == "what the **** is this"
  assert censor("Darn darn DARN", ["darn"]) == "**** **** ****"
  assert censor("darning socks", ["darn"]) == "darning socks"
  """)

T("nth_word", "easy",
  "Return the n-th word (1-based) of a sentence, or None if the sentence is shorter. Function: `nth_word(sentence, n)`.",
  "Split into words and check that index n - 1 exists before returning it.",
  """
  def nth_word(sentence, n):
      words = sentence.split()
      if 1 <= n <= len(words):
          return words[n - 1]
      return None
  """,
  """
  assert nth_word("the cat sat", 2) == "cat"
  assert nth_word("the cat sat", 4) is None
  assert nth_word("x", 0) is None
  """)

T("binary_string_to_int", "easy",
  "Convert a string of 0s and 1s to its integer value without using int(s, 2). Function: `bits_to_int(bits)`.",
  "Read bits from left to right, doubling the value and adding the current bit.",
  """
  def bits_to_int(bits):
      value = 0
      for b in bits:
          value = value * 2 + (1 if b == "1" else 0)
      return value
  """,
  """
  assert bits_to_int("1011") == 11
  assert bits_to_int("0") == 0
  assert bits_to_int("11111111") == 255
  """)

T("morse_encode", "medium",
  "Encode a word in Morse code using this table for A-E only: A='.-', B='-...', C='-.-.', D='-..', E='.'. Letters are separated by a space. Write `to_morse(word)` (case-insensitive).",
  "Look each upper-cased letter up in a dict and join the codes with spaces.",
  """
  def to_morse(word):
      table = {"A": ".-", "B": "-...", "C": "-.-.", "D": "-..", "E": "."}
      return " ".join(table[ch] for ch in word.upper())
  """,
  """
  assert to_morse("bad") == "-... .- -.."
  assert to_morse("E") == "."
  assert to_morse("") == ""
  """)

T("same_letters_anywhere", "easy",
  "Write `uses_only(word, letters)` that returns True if every character of `word` is one of the characters in `letters`.",
  "Convert `letters` to a set and check all characters of the word with `all`.",
  """
  def uses_only(word, letters):
      allowed = set(letters)
      return all(ch in allowed for ch in word)
  """,
  """
  assert uses_only("hoe", "ehoy") is True
  assert uses_only("hello", "helo") is True
  assert uses_only("help", "helo") is False
  assert uses_only("", "abc") is True
  """)

T("ordinal_suffix", "medium",
  "Write `ordinal(n)` that returns a positive integer with its English suffix: 1 -> '1st', 2 -> '2nd', 3 -> '3rd', 4 -> '4th', 11 -> '11th', 22 -> '22nd', 113 -> '113th'.",
  "11, 12 and 13 (also when they end a bigger number, like 112) always take 'th'; otherwise the last digit decides.",
  """
  def ordinal(n):
      if 10 <= n % 100 <= 20:
          suffix = "th"
      else:
          suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
      return f"{n}{suffix}"
  """,
  """
  assert [ordinal(i) for i in (1, 2, 3, 4)] == ["1st", "2nd", "3rd", "4th"]
  assert ordinal(11) == "11th" and ordinal(12) == "12th" and ordinal(13) == "13th"
  assert ordinal(22) == "22nd" and ordinal(101) == "101st" and ordinal(113) == "113th"
  """)

T("plural_simple", "medium",
  "Write a simple English pluralizer `pluralize(word)`: words ending in s, x, z, ch or sh get 'es'; a consonant followed by 'y' becomes 'ies'; everything else gets 's'.",
  "Check the endings in order: the sibilant endings first, then consonant + y, then the default.",
  """
  def pluralize(word):
      if word.endswith(("s", "x", "z", "ch", "sh")):
          return word + "es"
      if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
          return word[:-1] + "ies"
      return word + "s"
  """,
  """
  assert pluralize("box") == "boxes"
  assert pluralize("church") == "churches"
  assert pluralize("city") == "cities"
  assert pluralize("day") == "days"
  assert pluralize("cat") == "cats"
  """)

T("format_list_english", "medium",
  "Join a list of names the way you'd write it in English: ['Ann'] -> 'Ann', ['Ann', 'Bo'] -> 'Ann and Bo', ['Ann', 'Bo', 'Cy'] -> 'Ann, Bo and Cy'. Function: `english_join(names)`; return '' for an empty list.",
  "Handle zero and one name directly; otherwise join all but the last with commas and add 'and' before the last.",
  """
  def english_join(names):
      if not names:
          return ""
      if len(names) == 1:
          return names[0]
      return ", ".join(names[:-1]) + " and " + names[-1]
  """,
  """
  assert english_join(["Ann"]) == "Ann"
  assert english_join(["Ann", "Bo"]) == "Ann and Bo"
  assert english_join(["Ann", "Bo", "Cy"]) == "Ann, Bo and Cy"
  assert english_join([]) == ""
  """)

T("double_letters", "easy",
  "Return True if a word has the same letter twice in a row anywhere (like 'book' or 'apple'). Name it `has_double_letter(word)`.",
  "Compare each character with the next one.",
  """
  def has_double_letter(word):
      return any(a == b for a, b in zip(word, word[1:]))
  """,
  """
  assert has_double_letter("book") is True
  assert has_double_letter("apple") is True
  assert has_double_letter("python") is False
  assert has_double_letter("") is False
  """)
