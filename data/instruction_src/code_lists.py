"""Hand-written Python tasks on lists, sorting and searching. Tests are hand-computed."""

from .codelib import make_registry

TASKS, T = make_registry()

T("second_largest", "easy",
  "Write `second_largest(nums)` that returns the second largest distinct value in a list, or None if there isn't one.",
  "Remove duplicates with a set, and if at least two values remain, sort them and take the second from the end.",
  """
  def second_largest(nums):
      distinct = sorted(set(nums))
      return distinct[-2] if len(distinct) >= 2 else None
  """,
  """
  assert second_largest([4, 1, 7, 7, 3]) == 4
  assert second_largest([5, 5]) is None
  assert second_largest([]) is None
  assert second_largest([-1, -2]) == -2
  """)

T("chunk_list", "easy",
  "Split a list into consecutive chunks of size n; the last chunk may be shorter. Write `chunked(items, n)`.",
  "Slice the list in steps of n with a list comprehension over range(0, len(items), n).",
  """
  def chunked(items, n):
      return [items[i:i + n] for i in range(0, len(items), n)]
  """,
  """
  assert chunked([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
  assert chunked([], 3) == []
  assert chunked([1, 2, 3], 3) == [[1, 2, 3]]
  """)

T("flatten_once", "easy",
  "Flatten a list of lists by one level: [[1, 2], [3], []] -> [1, 2, 3]. Function: `flatten_once(lists)`.",
  "A nested comprehension walks through each inner list and collects its items.",
  """
  def flatten_once(lists):
      return [item for inner in lists for item in inner]
  """,
  """
  assert flatten_once([[1, 2], [3], []]) == [1, 2, 3]
  assert flatten_once([]) == []
  assert flatten_once([[[1]], [2]]) == [[1], 2]
  """)

T("flatten_deep", "medium",
  "Write a recursive `flatten_all(items)` that flattens arbitrarily nested lists: [1, [2, [3, [4]]], 5] -> [1, 2, 3, 4, 5].",
  "For each element, recurse if it is a list, otherwise append it; the recursion handles any depth.",
  """
  def flatten_all(items):
      flat = []
      for item in items:
          if isinstance(item, list):
              flat.extend(flatten_all(item))
          else:
              flat.append(item)
      return flat
  """,
  """
  assert flatten_all([1, [2, [3, [4]]], 5]) == [1, 2, 3, 4, 5]
  assert flatten_all([]) == []
  assert flatten_all([[[]], ["a"]]) == ["a"]
  """)

T("rotate_right", "easy",
  "Rotate a list to the right by k steps: rotate_right([1, 2, 3, 4, 5], 2) -> [4, 5, 1, 2, 3]. k can be larger than the list length.",
  "Reduce k modulo the length, then glue the last k items in front of the rest.",
  """
  def rotate_right(items, k):
      if not items:
          return []
      k %= len(items)
      return items[-k:] + items[:-k] if k else items[:]
  """,
  """
  assert rotate_right([1, 2, 3, 4, 5], 2) == [4, 5, 1, 2, 3]
  assert rotate_right([1, 2, 3], 3) == [1, 2, 3]
  assert rotate_right([1, 2, 3], 4) == [3, 1, 2]
  assert rotate_right([], 5) == []
  """)

T("dedupe_keep_order", "easy",
  "Remove duplicates from a list while keeping the first occurrence of each item in its original position. Name: `unique_in_order(items)`.",
  "`dict.fromkeys` keeps insertion order and drops repeated keys, so converting back to a list does the job.",
  """
  def unique_in_order(items):
      return list(dict.fromkeys(items))
  """,
  """
  assert unique_in_order([3, 1, 3, 2, 1]) == [3, 1, 2]
  assert unique_in_order([]) == []
  assert unique_in_order(["a", "a"]) == ["a"]
  """)

T("running_total", "easy",
  "Given a list of numbers, return the running totals: [1, 2, 3, 4] -> [1, 3, 6, 10]. Function: `running_total(nums)`.",
  "Keep a cumulative sum and append it after adding each number.",
  """
  def running_total(nums):
      totals, acc = [], 0
      for n in nums:
          acc += n
          totals.append(acc)
      return totals
  """,
  """
  assert running_total([1, 2, 3, 4]) == [1, 3, 6, 10]
  assert running_total([]) == []
  assert running_total([5, -5, 2]) == [5, 0, 2]
  """)

T("pairwise_differences", "easy",
  "Return the differences between consecutive elements: [3, 7, 10, 9] -> [4, 3, -1]. Name the function `deltas(nums)`.",
  "Zip the list with itself shifted by one and subtract each element from the next.",
  """
  def deltas(nums):
      return [b - a for a, b in zip(nums, nums[1:])]
  """,
  """
  assert deltas([3, 7, 10, 9]) == [4, 3, -1]
  assert deltas([5]) == []
  """)

T("two_sum_indices", "medium",
  "Find two different indices i < j such that nums[i] + nums[j] == target, and return them as a tuple (or None). Write `two_sum(nums, target)` in O(n).",
  "Store each value's index in a dict; for every number, check whether its complement was already seen.",
  """
  def two_sum(nums, target):
      seen = {}
      for j, n in enumerate(nums):
          if target - n in seen:
              return seen[target - n], j
          seen[n] = j
      return None
  """,
  """
  assert two_sum([2, 7, 11, 15], 9) == (0, 1)
  assert two_sum([3, 2, 4], 6) == (1, 2)
  assert two_sum([1, 2], 10) is None
  assert two_sum([3, 3], 6) == (0, 1)
  """)

T("max_subarray_sum", "hard",
  "Return the largest sum of a non-empty contiguous sub-list (Kadane's algorithm). Function: `best_run_sum(nums)`; assume nums is not empty.",
  "Track the best sum ending at the current position (either extend the previous run or start fresh) and the best seen overall.",
  """
  def best_run_sum(nums):
      best = current = nums[0]
      for n in nums[1:]:
          current = max(n, current + n)
          best = max(best, current)
      return best
  """,
  """
  assert best_run_sum([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6
  assert best_run_sum([-3, -1, -2]) == -1
  assert best_run_sum([5]) == 5
  """)

T("merge_sorted_lists", "medium",
  "Merge two already-sorted lists into one sorted list without calling sort(). Function: `merge_sorted(a, b)`.",
  "Walk both lists with two indices, always taking the smaller head, then append whatever remains.",
  """
  def merge_sorted(a, b):
      i = j = 0
      out = []
      while i < len(a) and j < len(b):
          if a[i] <= b[j]:
              out.append(a[i])
              i += 1
          else:
              out.append(b[j])
              j += 1
      return out + a[i:] + b[j:]
  """,
  """
  assert merge_sorted([1, 4, 9], [2, 3, 10, 11]) == [1, 2, 3, 4, 9, 10, 11]
  assert merge_sorted([], [1]) == [1]
  assert merge_sorted([2, 2], [2]) == [2, 2, 2]
  """)

T("binary_search_index", "medium",
  "Implement binary search: `find_sorted(nums, target)` returns the index of target in a sorted list, or -1 if it is missing.",
  "Keep a low/high window and compare the middle element, halving the window each step.",
  """
  def find_sorted(nums, target):
      lo, hi = 0, len(nums) - 1
      while lo <= hi:
          mid = (lo + hi) // 2
          if nums[mid] == target:
              return mid
          if nums[mid] < target:
              lo = mid + 1
          else:
              hi = mid - 1
      return -1
  """,
  """
  assert find_sorted([1, 3, 5, 7, 9], 7) == 3
  assert find_sorted([1, 3, 5, 7, 9], 4) == -1
  assert find_sorted([], 1) == -1
  assert find_sorted([2], 2) == 0
  """)

T("lower_bound", "hard",
  "Write `insertion_point(nums, x)` that returns the first index where x could be inserted into the sorted list nums to keep it sorted (before any equal elements). Don't use the bisect module.",
  "Binary search for the first position whose value is >= x; the answer lies in the half-open range [lo, hi).",
  """
  def insertion_point(nums, x):
      lo, hi = 0, len(nums)
      while lo < hi:
          mid = (lo + hi) // 2
          if nums[mid] < x:
              lo = mid + 1
          else:
              hi = mid
      return lo
  """,
  """
  assert insertion_point([1, 2, 4, 4, 5], 4) == 2
  assert insertion_point([1, 2, 4], 3) == 2
  assert insertion_point([1, 2, 4], 0) == 0
  assert insertion_point([1, 2, 4], 9) == 3
  assert insertion_point([], 1) == 0
  """)

T("bubble_sort", "easy",
  "Implement bubble sort: `bubble_sort(nums)` returns a new list sorted in ascending order and stops early when a pass makes no swaps.",
  "Repeatedly swap adjacent out-of-order pairs; after each pass the largest remaining value is in place, and a pass without swaps means we're done.",
  """
  def bubble_sort(nums):
      items = list(nums)
      for end in range(len(items) - 1, 0, -1):
          swapped = False
          for i in range(end):
              if items[i] > items[i + 1]:
                  items[i], items[i + 1] = items[i + 1], items[i]
                  swapped = True
          if not swapped:
              break
      return items
  """,
  """
  assert bubble_sort([5, 1, 4, 2, 8]) == [1, 2, 4, 5, 8]
  assert bubble_sort([]) == []
  assert bubble_sort([3, 3, 1]) == [1, 3, 3]
  """)

T("insertion_sort", "easy",
  "Write `insertion_sort(nums)` that returns a sorted copy of the list using insertion sort.",
  "Take each element and shift larger elements of the sorted prefix one place right until its spot is found.",
  """
  def insertion_sort(nums):
      items = list(nums)
      for i in range(1, len(items)):
          value = items[i]
          j = i - 1
          while j >= 0 and items[j] > value:
              items[j + 1] = items[j]
              j -= 1
          items[j + 1] = value
      return items
  """,
  """
  assert insertion_sort([4, 3, 2, 10, 12, 1]) == [1, 2, 3, 4, 10, 12]
  assert insertion_sort([1]) == [1]
  assert insertion_sort([]) == []
  """)

T("selection_sort", "easy",
  "Sort a list with selection sort. Implement `selection_sort(nums)`, returning a new list.",
  "For each position, find the smallest element in the rest of the list and swap it into place.",
  """
  def selection_sort(nums):
      items = list(nums)
      for i in range(len(items)):
          smallest = min(range(i, len(items)), key=items.__getitem__)
          items[i], items[smallest] = items[smallest], items[i]
      return items
  """,
  """
  assert selection_sort([64, 25, 12, 22, 11]) == [11, 12, 22, 25, 64]
  assert selection_sort([2, 1, 2]) == [1, 2, 2]
  """)

T("merge_sort", "medium",
  "Write a recursive `merge_sort(nums)` that returns a sorted copy of the list.",
  "Split the list in half, sort each half recursively, and merge the two sorted halves.",
  """
  def merge_sort(nums):
      if len(nums) <= 1:
          return list(nums)
      mid = len(nums) // 2
      left, right = merge_sort(nums[:mid]), merge_sort(nums[mid:])
      merged = []
      i = j = 0
      while i < len(left) and j < len(right):
          if left[i] <= right[j]:
              merged.append(left[i])
              i += 1
          else:
              merged.append(right[j])
              j += 1
      return merged + left[i:] + right[j:]
  """,
  """
  assert merge_sort([38, 27, 43, 3, 9, 82, 10]) == [3, 9, 10, 27, 38, 43, 82]
  assert merge_sort([]) == []
  assert merge_sort([1, 1, 0]) == [0, 1, 1]
  """)

T("quick_sort", "medium",
  "Implement quicksort (not in place is fine): `quick_sort(nums)` returns a new sorted list.",
  "Pick a pivot, partition into smaller, equal and larger values, and sort the two outer parts recursively.",
  """
  def quick_sort(nums):
      if len(nums) <= 1:
          return list(nums)
      pivot = nums[len(nums) // 2]
      smaller = [x for x in nums if x < pivot]
      equal = [x for x in nums if x == pivot]
      larger = [x for x in nums if x > pivot]
      return quick_sort(smaller) + equal + quick_sort(larger)
  """,
  """
  assert quick_sort([3, 6, 8, 10, 1, 2, 1]) == [1, 1, 2, 3, 6, 8, 10]
  assert quick_sort([]) == []
  assert quick_sort([5, -1]) == [-1, 5]
  """)

T("counting_sort_grades", "medium",
  "Sort a list of integer scores between 0 and 10 with counting sort (no comparisons). Function: `counting_sort(scores)`.",
  "Count how often each value 0-10 occurs, then output each value as many times as it was counted.",
  """
  def counting_sort(scores):
      counts = [0] * 11
      for s in scores:
          counts[s] += 1
      out = []
      for value, c in enumerate(counts):
          out.extend([value] * c)
      return out
  """,
  """
  assert counting_sort([7, 3, 10, 3, 0]) == [0, 3, 3, 7, 10]
  assert counting_sort([]) == []
  """)

T("sort_by_length_then_alpha", "easy",
  "Sort a list of words by length, and alphabetically when lengths are equal. Function: `sort_words(words)`.",
  "Use a key that returns a tuple (length, word): tuples compare element by element.",
  """
  def sort_words(words):
      return sorted(words, key=lambda w: (len(w), w))
  """,
  """
  assert sort_words(["pear", "fig", "apple", "kiwi"]) == ["fig", "kiwi", "pear", "apple"]
  assert sort_words([]) == []
  """)

T("sort_people_by_age", "easy",
  "Given a list of (name, age) tuples, return them sorted by age descending, and by name ascending for equal ages. Function: `by_age(people)`.",
  "Sort with the key (-age, name) so that higher ages come first and names break ties.",
  """
  def by_age(people):
      return sorted(people, key=lambda p: (-p[1], p[0]))
  """,
  """
  assert by_age([("Ann", 30), ("Bob", 25), ("Cid", 30)]) == [("Ann", 30), ("Cid", 30), ("Bob", 25)]
  assert by_age([]) == []
  """)

T("sort_dicts_by_key", "easy",
  "Sort a list of product dicts by their 'price' key, cheapest first. Write `cheapest_first(products)`.",
  "Pass a key function that reads the price from each dict.",
  """
  def cheapest_first(products):
      return sorted(products, key=lambda p: p["price"])
  """,
  """
  items = [{"name": "pen", "price": 2.5}, {"name": "book", "price": 12}, {"name": "clip", "price": 0.1}]
  assert [p["name"] for p in cheapest_first(items)] == ["clip", "pen", "book"]
  assert cheapest_first([]) == []
  """)

T("kth_smallest", "medium",
  "Return the k-th smallest element (1-based) of an unsorted list using heapq. Function: `kth_smallest(nums, k)`.",
  "`heapq.nsmallest(k, nums)` returns the k smallest values in order; the last one is the answer.",
  """
  import heapq

  def kth_smallest(nums, k):
      return heapq.nsmallest(k, nums)[-1]
  """,
  """
  assert kth_smallest([7, 10, 4, 3, 20, 15], 3) == 7
  assert kth_smallest([1], 1) == 1
  assert kth_smallest([5, 5, 1], 2) == 5
  """)

T("move_zeros_end", "easy",
  "Move all zeros in a list to the end while keeping the order of the other elements. Return a new list. Function: `zeros_to_end(nums)`.",
  "Collect the non-zero values in order and append as many zeros as were removed.",
  """
  def zeros_to_end(nums):
      non_zero = [n for n in nums if n != 0]
      return non_zero + [0] * (len(nums) - len(non_zero))
  """,
  """
  assert zeros_to_end([0, 1, 0, 3, 12]) == [1, 3, 12, 0, 0]
  assert zeros_to_end([0, 0]) == [0, 0]
  assert zeros_to_end([]) == []
  """)

T("missing_number", "easy",
  "A list contains all numbers from 0 to n except one. Find the missing number. Function: `find_missing(nums)`.",
  "The full range 0..n sums to n*(n+1)/2 where n = len(nums); subtract the actual sum.",
  """
  def find_missing(nums):
      n = len(nums)
      return n * (n + 1) // 2 - sum(nums)
  """,
  """
  assert find_missing([3, 0, 1]) == 2
  assert find_missing([0, 1]) == 2
  assert find_missing([1]) == 0
  """)

T("find_duplicates", "easy",
  "Return a sorted list of the values that appear more than once in a list. Function: `repeated_values(nums)`.",
  "Count occurrences with Counter and keep the values with a count above one.",
  """
  from collections import Counter

  def repeated_values(nums):
      return sorted(v for v, c in Counter(nums).items() if c > 1)
  """,
  """
  assert repeated_values([4, 3, 2, 7, 8, 2, 3, 1]) == [2, 3]
  assert repeated_values([1, 2, 3]) == []
  assert repeated_values([5, 5, 5]) == [5]
  """)

T("intersection_keep_order", "easy",
  "Return the elements of list a that also appear in list b, in a's order and without repeats. Function: `shared_items(a, b)`.",
  "Turn b into a set for fast lookups and track what was already added.",
  """
  def shared_items(a, b):
      in_b = set(b)
      seen = set()
      out = []
      for x in a:
          if x in in_b and x not in seen:
              seen.add(x)
              out.append(x)
      return out
  """,
  """
  assert shared_items([1, 2, 2, 3, 4], [4, 2, 9]) == [2, 4]
  assert shared_items([], [1]) == []
  """)

T("list_difference", "easy",
  "Return the items of a that are not in b (keep duplicates and order). Function: `without(a, b)`.",
  "Build a set from b and filter a with a comprehension.",
  """
  def without(a, b):
      exclude = set(b)
      return [x for x in a if x not in exclude]
  """,
  """
  assert without([1, 2, 2, 3], [2]) == [1, 3]
  assert without(["a", "b"], []) == ["a", "b"]
  """)

T("zip_to_dict", "easy",
  "Build a dict from a list of keys and a list of values; if the lists differ in length, ignore the extra items. Function: `pair_up(keys, values)`.",
  "`zip` stops at the shorter list, and `dict` turns the pairs into a mapping.",
  """
  def pair_up(keys, values):
      return dict(zip(keys, values))
  """,
  """
  assert pair_up(["a", "b", "c"], [1, 2]) == {"a": 1, "b": 2}
  assert pair_up([], [1]) == {}
  """)

T("transpose_matrix", "easy",
  "Transpose a matrix given as a list of rows: [[1, 2, 3], [4, 5, 6]] -> [[1, 4], [2, 5], [3, 6]]. Function: `transpose(matrix)`.",
  "`zip(*matrix)` groups the i-th elements of every row; convert each group to a list.",
  """
  def transpose(matrix):
      return [list(col) for col in zip(*matrix)]
  """,
  """
  assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]
  assert transpose([[7]]) == [[7]]
  assert transpose([]) == []
  """)

T("matrix_multiply", "medium",
  "Multiply two matrices (lists of rows) without numpy. Function: `mat_mul(a, b)`; assume the sizes are compatible.",
  "Entry (i, j) is the dot product of row i of a with column j of b; zip(*b) gives the columns.",
  """
  def mat_mul(a, b):
      cols = list(zip(*b))
      return [[sum(x * y for x, y in zip(row, col)) for col in cols] for row in a]
  """,
  """
  assert mat_mul([[1, 2], [3, 4]], [[5, 6], [7, 8]]) == [[19, 22], [43, 50]]
  assert mat_mul([[1, 0, 2]], [[1], [2], [3]]) == [[7]]
  """)

T("spiral_order", "hard",
  "Return the elements of a matrix in clockwise spiral order. Function: `spiral(matrix)`.",
  "Repeatedly take the first row, then rotate the remaining rows counter-clockwise (transpose and reverse) so the next edge becomes the first row.",
  """
  def spiral(matrix):
      rows = [list(r) for r in matrix]
      out = []
      while rows:
          out.extend(rows.pop(0))
          rows = [list(r) for r in zip(*rows)][::-1]
      return out
  """,
  """
  assert spiral([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [1, 2, 3, 6, 9, 8, 7, 4, 5]
  assert spiral([[1, 2], [3, 4], [5, 6]]) == [1, 2, 4, 6, 5, 3]
  assert spiral([]) == []
  """)

T("rotate_matrix_90", "medium",
  "Rotate a square matrix 90 degrees clockwise and return the new matrix. Function: `rotate_clockwise(m)`.",
  "Reverse the order of the rows and then transpose: the first column read bottom-up becomes the first row.",
  """
  def rotate_clockwise(m):
      return [list(row) for row in zip(*m[::-1])]
  """,
  """
  assert rotate_clockwise([[1, 2], [3, 4]]) == [[3, 1], [4, 2]]
  assert rotate_clockwise([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [[7, 4, 1], [8, 5, 2], [9, 6, 3]]
  """)

T("diagonal_sum", "easy",
  "Sum both diagonals of a square matrix, counting the centre only once when the size is odd. Function: `diagonal_total(m)`.",
  "Add m[i][i] and m[i][n-1-i] for each row; when both indexes are the same cell, add it once.",
  """
  def diagonal_total(m):
      n = len(m)
      total = 0
      for i in range(n):
          total += m[i][i]
          if i != n - 1 - i:
              total += m[i][n - 1 - i]
      return total
  """,
  """
  assert diagonal_total([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == 25
  assert diagonal_total([[1, 1], [1, 1]]) == 4
  assert diagonal_total([[5]]) == 5
  """)

T("window_max", "hard",
  "For each window of size k sliding over a list, return the maximum, in O(n) using a deque. Function: `window_maxima(nums, k)`.",
  "Keep a deque of indexes whose values are decreasing; drop indexes that leave the window, and the front is always the current maximum.",
  """
  from collections import deque

  def window_maxima(nums, k):
      dq = deque()
      out = []
      for i, n in enumerate(nums):
          while dq and nums[dq[-1]] <= n:
              dq.pop()
          dq.append(i)
          if dq[0] <= i - k:
              dq.popleft()
          if i >= k - 1:
              out.append(nums[dq[0]])
      return out
  """,
  """
  assert window_maxima([1, 3, -1, -3, 5, 3, 6, 7], 3) == [3, 3, 5, 5, 6, 7]
  assert window_maxima([4, 2], 1) == [4, 2]
  assert window_maxima([1, 2], 3) == []
  """)

T("moving_average", "medium",
  "Compute the moving average of a list with window size k, rounded to 2 decimals. Return one value per full window. Function: `moving_average(values, k)`.",
  "Keep a running window sum: add the new value, subtract the one that left, and record the average once the window is full.",
  """
  def moving_average(values, k):
      out = []
      window_sum = 0
      for i, v in enumerate(values):
          window_sum += v
          if i >= k:
              window_sum -= values[i - k]
          if i >= k - 1:
              out.append(round(window_sum / k, 2))
      return out
  """,
  """
  assert moving_average([1, 2, 3, 4, 5], 2) == [1.5, 2.5, 3.5, 4.5]
  assert moving_average([10, 20, 30], 3) == [20.0]
  assert moving_average([1, 2], 5) == []
  """)

T("majority_element", "medium",
  "Return the element that appears more than half the time in a list, or None if there is no such element. Function: `majority(nums)`.",
  "Boyer-Moore voting finds the only possible candidate in one pass; a second pass confirms it really is a majority.",
  """
  def majority(nums):
      candidate, count = None, 0
      for n in nums:
          if count == 0:
              candidate = n
          count += 1 if n == candidate else -1
      if nums and nums.count(candidate) > len(nums) // 2:
          return candidate
      return None
  """,
  """
  assert majority([2, 2, 1, 1, 1, 2, 2]) == 2
  assert majority([1, 2, 3]) is None
  assert majority([]) is None
  assert majority([7]) == 7
  """)

T("group_consecutive", "medium",
  "Group a sorted list of integers into runs of consecutive numbers: [1, 2, 3, 7, 8, 10] -> [[1, 2, 3], [7, 8], [10]]. Function: `consecutive_runs(nums)`.",
  "Start a new group whenever the current number isn't exactly one more than the previous one.",
  """
  def consecutive_runs(nums):
      runs = []
      for n in nums:
          if runs and n == runs[-1][-1] + 1:
              runs[-1].append(n)
          else:
              runs.append([n])
      return runs
  """,
  """
  assert consecutive_runs([1, 2, 3, 7, 8, 10]) == [[1, 2, 3], [7, 8], [10]]
  assert consecutive_runs([]) == []
  assert consecutive_runs([5]) == [[5]]
  """)

T("ranges_summary", "medium",
  "Summarize a sorted list of distinct integers as range strings: [0, 1, 2, 4, 5, 7] -> ['0-2', '4-5', '7']. Function: `summary_ranges(nums)`.",
  "Find runs of consecutive numbers; write 'start-end' for runs longer than one number and just the number otherwise.",
  """
  def summary_ranges(nums):
      out = []
      i = 0
      while i < len(nums):
          j = i
          while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
              j += 1
          out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
          i = j + 1
      return out
  """,
  """
  assert summary_ranges([0, 1, 2, 4, 5, 7]) == ["0-2", "4-5", "7"]
  assert summary_ranges([]) == []
  assert summary_ranges([3]) == ["3"]
  """)

T("merge_intervals", "hard",
  "Merge overlapping intervals given as [start, end] pairs and return them sorted: [[1, 3], [2, 6], [8, 10]] -> [[1, 6], [8, 10]]. Touching intervals like [1, 4] and [4, 5] merge too. Function: `merge_intervals(intervals)`.",
  "Sort by start; extend the last merged interval when the next one starts before or at its end, otherwise start a new one.",
  """
  def merge_intervals(intervals):
      merged = []
      for start, end in sorted(intervals):
          if merged and start <= merged[-1][1]:
              merged[-1][1] = max(merged[-1][1], end)
          else:
              merged.append([start, end])
      return merged
  """,
  """
  assert merge_intervals([[1, 3], [2, 6], [8, 10]]) == [[1, 6], [8, 10]]
  assert merge_intervals([[1, 4], [4, 5]]) == [[1, 5]]
  assert merge_intervals([[5, 6], [1, 2]]) == [[1, 2], [5, 6]]
  assert merge_intervals([]) == []
  """)

T("partition_even_odd", "easy",
  "Split a list of integers into two lists, evens and odds, keeping their order. Return (evens, odds). Function: `split_parity(nums)`.",
  "Two comprehensions that test n % 2.",
  """
  def split_parity(nums):
      evens = [n for n in nums if n % 2 == 0]
      odds = [n for n in nums if n % 2 != 0]
      return evens, odds
  """,
  """
  assert split_parity([1, 2, 3, 4, 5, 6]) == ([2, 4, 6], [1, 3, 5])
  assert split_parity([]) == ([], [])
  assert split_parity([-3, 0]) == ([0], [-3])
  """)

T("product_except_self", "hard",
  "Return a list where element i is the product of all other elements, without using division. Function: `products_except_self(nums)`.",
  "First store the product of everything to the left of each position, then multiply in the product of everything to the right in a reverse pass.",
  """
  def products_except_self(nums):
      out = [1] * len(nums)
      left = 1
      for i in range(len(nums)):
          out[i] = left
          left *= nums[i]
      right = 1
      for i in range(len(nums) - 1, -1, -1):
          out[i] *= right
          right *= nums[i]
      return out
  """,
  """
  assert products_except_self([1, 2, 3, 4]) == [24, 12, 8, 6]
  assert products_except_self([2, 0, 5]) == [0, 10, 0]
  assert products_except_self([7]) == [1]
  """)

T("is_sorted_ascending", "easy",
  "Check whether a list is sorted in non-decreasing order without sorting it. Function: `is_non_decreasing(nums)`.",
  "Every element must be <= the next one; `all` over adjacent pairs checks that.",
  """
  def is_non_decreasing(nums):
      return all(a <= b for a, b in zip(nums, nums[1:]))
  """,
  """
  assert is_non_decreasing([1, 2, 2, 5]) is True
  assert is_non_decreasing([3, 1]) is False
  assert is_non_decreasing([]) is True
  """)

T("find_peak", "medium",
  "Return the index of a peak element (strictly greater than its neighbours; the ends only need to beat their one neighbour). If there are several peaks return the first. Function: `first_peak(nums)`; the list is non-empty.",
  "Scan left to right and compare each element with its neighbours, treating missing neighbours as minus infinity.",
  """
  def first_peak(nums):
      n = len(nums)
      for i in range(n):
          left = nums[i - 1] if i > 0 else float("-inf")
          right = nums[i + 1] if i < n - 1 else float("-inf")
          if nums[i] > left and nums[i] > right:
              return i
      return -1
  """,
  """
  assert first_peak([1, 3, 2, 5, 4]) == 1
  assert first_peak([5, 1]) == 0
  assert first_peak([1, 2, 3]) == 2
  assert first_peak([2, 2]) == -1
  """)

T("count_inversions", "hard",
  "Count the inversions in a list: pairs (i, j) with i < j and nums[i] > nums[j]. Do it in O(n log n) with a merge sort. Function: `inversions(nums)`.",
  "While merging two sorted halves, every time an element of the right half is taken first, it forms an inversion with all remaining elements of the left half.",
  """
  def inversions(nums):
      def sort_count(xs):
          if len(xs) <= 1:
              return xs, 0
          mid = len(xs) // 2
          left, a = sort_count(xs[:mid])
          right, b = sort_count(xs[mid:])
          merged, count, i, j = [], a + b, 0, 0
          while i < len(left) and j < len(right):
              if left[i] <= right[j]:
                  merged.append(left[i])
                  i += 1
              else:
                  merged.append(right[j])
                  count += len(left) - i
                  j += 1
          return merged + left[i:] + right[j:], count

      return sort_count(list(nums))[1]
  """,
  """
  assert inversions([2, 4, 1, 3, 5]) == 3
  assert inversions([5, 4, 3, 2, 1]) == 10
  assert inversions([1, 2, 3]) == 0
  assert inversions([]) == 0
  """)

T("longest_increasing_run", "medium",
  "Return the length of the longest strictly increasing run of adjacent elements. Function: `longest_rising_run(nums)`.",
  "Extend the current run while each element beats the previous one; reset to 1 otherwise, and keep the best length.",
  """
  def longest_rising_run(nums):
      if not nums:
          return 0
      best = current = 1
      for a, b in zip(nums, nums[1:]):
          current = current + 1 if b > a else 1
          best = max(best, current)
      return best
  """,
  """
  assert longest_rising_run([1, 3, 5, 4, 7]) == 3
  assert longest_rising_run([2, 2, 2]) == 1
  assert longest_rising_run([]) == 0
  """)

T("lis_length", "hard",
  "Return the length of the longest strictly increasing subsequence (elements need not be adjacent). Function: `lis_length(nums)`.",
  "Keep `tails[k]` = smallest possible tail of an increasing subsequence of length k+1; binary-search where each number goes.",
  """
  import bisect

  def lis_length(nums):
      tails = []
      for n in nums:
          i = bisect.bisect_left(tails, n)
          if i == len(tails):
              tails.append(n)
          else:
              tails[i] = n
      return len(tails)
  """,
  """
  assert lis_length([10, 9, 2, 5, 3, 7, 101, 18]) == 4
  assert lis_length([7, 7, 7]) == 1
  assert lis_length([]) == 0
  """)

T("every_nth", "easy",
  "Return every n-th element of a list starting with the first one. Function: `every_nth(items, n)`.",
  "Slicing with a step does exactly this: items[::n].",
  """
  def every_nth(items, n):
      return items[::n]
  """,
  """
  assert every_nth([1, 2, 3, 4, 5, 6, 7], 3) == [1, 4, 7]
  assert every_nth([], 2) == []
  """)

T("index_of_all", "easy",
  "Return all indexes at which a value occurs in a list. Function: `positions(items, value)`.",
  "Enumerate and keep the indexes whose element equals the value.",
  """
  def positions(items, value):
      return [i for i, x in enumerate(items) if x == value]
  """,
  """
  assert positions(["a", "b", "a", "c", "a"], "a") == [0, 2, 4]
  assert positions([1, 2], 3) == []
  """)

T("frequency_sort", "medium",
  "Sort the elements of a list by how often they occur (most frequent first); equal frequencies keep smaller values first. Function: `by_frequency(nums)`.",
  "Count with Counter, then sort the original values with the key (-count, value).",
  """
  from collections import Counter

  def by_frequency(nums):
      counts = Counter(nums)
      return sorted(nums, key=lambda n: (-counts[n], n))
  """,
  """
  assert by_frequency([4, 6, 2, 6, 4, 4]) == [4, 4, 4, 6, 6, 2]
  assert by_frequency([3, 1, 2]) == [1, 2, 3]
  """)

T("sum_pairs_target_count", "medium",
  "Count how many unordered pairs of distinct positions in a list add up to a target. Function: `count_pairs(nums, target)`.",
  "Go through the list once, and for each number add how many times its complement has already been seen.",
  """
  def count_pairs(nums, target):
      seen = {}
      pairs = 0
      for n in nums:
          pairs += seen.get(target - n, 0)
          seen[n] = seen.get(n, 0) + 1
      return pairs
  """,
  """
  assert count_pairs([1, 5, 7, -1], 6) == 2
  assert count_pairs([1, 1, 1, 1], 2) == 6
  assert count_pairs([], 3) == 0
  """)

T("stock_profit", "medium",
  "Given daily prices, return the best profit from buying once and selling once later (0 if no profit is possible). Function: `best_profit(prices)`.",
  "Track the lowest price so far and the best difference between today's price and that minimum.",
  """
  def best_profit(prices):
      lowest = float("inf")
      best = 0
      for p in prices:
          lowest = min(lowest, p)
          best = max(best, p - lowest)
      return best
  """,
  """
  assert best_profit([7, 1, 5, 3, 6, 4]) == 5
  assert best_profit([7, 6, 4, 3, 1]) == 0
  assert best_profit([]) == 0
  """)

T("pad_list", "easy",
  "Pad a list with a fill value on the right until it has length n (don't shorten longer lists). Function: `pad_to(items, n, fill)`.",
  "Append max(0, n - len(items)) copies of the fill value to a copy of the list.",
  """
  def pad_to(items, n, fill):
      return list(items) + [fill] * max(0, n - len(items))
  """,
  """
  assert pad_to([1, 2], 4, 0) == [1, 2, 0, 0]
  assert pad_to([1, 2, 3], 2, 0) == [1, 2, 3]
  """)

T("split_at_value", "medium",
  "Split a list into sub-lists at every occurrence of a separator value (like str.split, but for lists). Function: `split_list(items, sep)`.",
  "Collect items into the current piece; when the separator appears, close the piece and start a new one.",
  """
  def split_list(items, sep):
      pieces = [[]]
      for x in items:
          if x == sep:
              pieces.append([])
          else:
              pieces[-1].append(x)
      return pieces
  """,
  """
  assert split_list([1, 2, 0, 3, 0, 4], 0) == [[1, 2], [3], [4]]
  assert split_list([0], 0) == [[], []]
  assert split_list([], 0) == [[]]
  """)

T("triangle_rows", "medium",
  "Return the first n rows of Pascal's triangle as lists. Function: `pascal_rows(n)`.",
  "Each new row starts and ends with 1, and each inner value is the sum of the two values above it.",
  """
  def pascal_rows(n):
      rows = []
      for i in range(n):
          if i == 0:
              rows.append([1])
          else:
              prev = rows[-1]
              rows.append([1] + [a + b for a, b in zip(prev, prev[1:])] + [1])
      return rows
  """,
  """
  assert pascal_rows(5) == [[1], [1, 1], [1, 2, 1], [1, 3, 3, 1], [1, 4, 6, 4, 1]]
  assert pascal_rows(0) == []
  """)

T("sum_nested_numbers", "medium",
  "Recursively sum all numbers in a nested structure of lists and tuples, e.g. [1, (2, [3, 4]), 5] -> 15. Function: `deep_sum(data)`.",
  "If the value is a list or tuple, recurse into its elements; otherwise it is a number to add.",
  """
  def deep_sum(data):
      if isinstance(data, (list, tuple)):
          return sum(deep_sum(x) for x in data)
      return data
  """,
  """
  assert deep_sum([1, (2, [3, 4]), 5]) == 15
  assert deep_sum([]) == 0
  assert deep_sum([[[-1]], 1]) == 0
  """)

T("interleave_lists", "easy",
  "Interleave two lists element by element, then add the leftover tail of the longer one. Function: `weave(a, b)`.",
  "Alternate elements for the common length and then extend with the remaining slices.",
  """
  def weave(a, b):
      out = []
      for x, y in zip(a, b):
          out.extend([x, y])
      n = min(len(a), len(b))
      return out + a[n:] + b[n:]
  """,
  """
  assert weave([1, 3, 5], [2, 4]) == [1, 2, 3, 4, 5]
  assert weave([], [1, 2]) == [1, 2]
  """)

T("top_k_frequent", "medium",
  "Return the k values that occur most often in a list, most frequent first (ties: smaller value first). Function: `top_k_frequent(nums, k)`.",
  "Count, sort the distinct values by (-count, value), and take the first k.",
  """
  from collections import Counter

  def top_k_frequent(nums, k):
      counts = Counter(nums)
      return sorted(counts, key=lambda v: (-counts[v], v))[:k]
  """,
  """
  assert top_k_frequent([1, 1, 1, 2, 2, 3], 2) == [1, 2]
  assert top_k_frequent([4, 4, 5, 5, 6], 1) == [4]
  assert top_k_frequent([], 2) == []
  """)

T("closest_to_zero", "easy",
  "Return the number in a list that is closest to zero; if there's a tie between -x and x, return the positive one. Return None for an empty list. Function: `nearest_zero(nums)`.",
  "Use min with the key (abs(n), -n): smaller distance wins, and for equal distance the positive number has the smaller -n.",
  """
  def nearest_zero(nums):
      if not nums:
          return None
      return min(nums, key=lambda n: (abs(n), -n))
  """,
  """
  assert nearest_zero([7, -2, 4, 2]) == 2
  assert nearest_zero([-5, 9]) == -5
  assert nearest_zero([]) is None
  """)

T("remove_every_other", "easy",
  "Remove every second element from a list, keeping the 1st, 3rd, 5th and so on. Function: `keep_odd_positions(items)`.",
  "A slice with step 2 from index 0 keeps the elements at positions 1, 3, 5, ... (counting from one).",
  """
  def keep_odd_positions(items):
      return items[::2]
  """,
  """
  assert keep_odd_positions(["a", "b", "c", "d", "e"]) == ["a", "c", "e"]
  assert keep_odd_positions([]) == []
  """)

T("all_subsets", "hard",
  "Return all subsets of a list of distinct items, as lists, in any order. Function: `power_set(items)`.",
  "Start with the empty subset; for each item, add a copy of every existing subset extended with that item.",
  """
  def power_set(items):
      subsets = [[]]
      for item in items:
          subsets += [s + [item] for s in subsets]
      return subsets
  """,
  """
  result = power_set([1, 2, 3])
  assert len(result) == 8
  assert sorted(sorted(s) for s in result) == [[], [1], [1, 2], [1, 2, 3], [1, 3], [2], [2, 3], [3]]
  assert power_set([]) == [[]]
  """)

T("combinations_of_k", "hard",
  "Return all combinations of k elements from a list (in lexicographic index order) without using itertools. Function: `choose(items, k)`.",
  "Recursive idea: either take the first element and choose k-1 from the rest, or skip it and choose k from the rest.",
  """
  def choose(items, k):
      if k == 0:
          return [[]]
      if len(items) < k:
          return []
      first, rest = items[0], items[1:]
      return [[first] + c for c in choose(rest, k - 1)] + choose(rest, k)
  """,
  """
  assert choose([1, 2, 3, 4], 2) == [[1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]]
  assert choose([1, 2], 0) == [[]]
  assert choose([1], 2) == []
  """)

T("search_rotated", "hard",
  "Search a target in a sorted list that was rotated at an unknown pivot (like [4, 5, 6, 7, 0, 1, 2]) in O(log n). Return its index or -1. Function: `search_rotated(nums, target)`; values are distinct.",
  "In each binary-search step one half is sorted; check whether the target lies inside that sorted half to decide where to continue.",
  """
  def search_rotated(nums, target):
      lo, hi = 0, len(nums) - 1
      while lo <= hi:
          mid = (lo + hi) // 2
          if nums[mid] == target:
              return mid
          if nums[lo] <= nums[mid]:
              if nums[lo] <= target < nums[mid]:
                  hi = mid - 1
              else:
                  lo = mid + 1
          else:
              if nums[mid] < target <= nums[hi]:
                  lo = mid + 1
              else:
                  hi = mid - 1
      return -1
  """,
  """
  assert search_rotated([4, 5, 6, 7, 0, 1, 2], 0) == 4
  assert search_rotated([4, 5, 6, 7, 0, 1, 2], 3) == -1
  assert search_rotated([1], 1) == 0
  assert search_rotated([], 5) == -1
  assert search_rotated([5, 1, 3], 5) == 0
  """)

T("dutch_flag", "medium",
  "Sort a list containing only 0s, 1s and 2s in one pass, in place, and also return it. Function: `sort_012(nums)`.",
  "Dutch national flag: keep a boundary for 0s at the front and 2s at the back, and swap each element into its region.",
  """
  def sort_012(nums):
      low, mid, high = 0, 0, len(nums) - 1
      while mid <= high:
          if nums[mid] == 0:
              nums[low], nums[mid] = nums[mid], nums[low]
              low += 1
              mid += 1
          elif nums[mid] == 1:
              mid += 1
          else:
              nums[mid], nums[high] = nums[high], nums[mid]
              high -= 1
      return nums
  """,
  """
  assert sort_012([2, 0, 2, 1, 1, 0]) == [0, 0, 1, 1, 2, 2]
  assert sort_012([]) == []
  data = [1, 0]
  sort_012(data)
  assert data == [0, 1]
  """)
