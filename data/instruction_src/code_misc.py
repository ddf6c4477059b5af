"""Hand-written Python tasks: classes, recursion, regex, generators and small algorithms."""

from .codelib import make_registry

TASKS, T = make_registry()

# ----------------------------------------------------------------------------- classes
T("stack_class", "easy",
  "Write a `Stack` class with push, pop, peek, is_empty and __len__. pop and peek on an empty stack should raise IndexError.",
  "Wrap a Python list: push appends, pop removes from the end, and peek reads the last item.",
  """
  class Stack:
      def __init__(self):
          self._items = []

      def push(self, item):
          self._items.append(item)

      def pop(self):
          if not self._items:
              raise IndexError("pop from empty stack")
          return self._items.pop()

      def peek(self):
          if not self._items:
              raise IndexError("peek at empty stack")
          return self._items[-1]

      def is_empty(self):
          return not self._items

      def __len__(self):
          return len(self._items)
  """,
  """
  s = Stack()
  assert s.is_empty()
  s.push(1)
  s.push(2)
  assert s.peek() == 2 and len(s) == 2
  assert s.pop() == 2 and s.pop() == 1
  try:
      s.pop()
      raise AssertionError("expected IndexError")
  except IndexError:
      pass
  """)

T("queue_class", "easy",
  "Implement a FIFO `Queue` class with enqueue, dequeue (raise IndexError when empty) and size, using collections.deque.",
  "deque gives O(1) appends on the right and pops on the left, which is exactly a queue.",
  """
  from collections import deque

  class Queue:
      def __init__(self):
          self._items = deque()

      def enqueue(self, item):
          self._items.append(item)

      def dequeue(self):
          if not self._items:
              raise IndexError("dequeue from empty queue")
          return self._items.popleft()

      def size(self):
          return len(self._items)
  """,
  """
  q = Queue()
  q.enqueue("a")
  q.enqueue("b")
  assert q.size() == 2
  assert q.dequeue() == "a"
  assert q.dequeue() == "b"
  assert q.size() == 0
  """)

T("bank_account", "easy",
  "Create a `BankAccount` class with a starting balance, deposit(amount), withdraw(amount) and a balance attribute. Withdrawing more than the balance raises ValueError, and so does a non-positive amount.",
  "Validate the amount in both methods and check the balance before withdrawing.",
  """
  class BankAccount:
      def __init__(self, balance=0):
          self.balance = balance

      def deposit(self, amount):
          if amount <= 0:
              raise ValueError("amount must be positive")
          self.balance += amount

      def withdraw(self, amount):
          if amount <= 0:
              raise ValueError("amount must be positive")
          if amount > self.balance:
              raise ValueError("insufficient funds")
          self.balance -= amount
  """,
  """
  acct = BankAccount(100)
  acct.deposit(50)
  acct.withdraw(30)
  assert acct.balance == 120
  for bad in (500, -1):
      try:
          acct.withdraw(bad)
          raise AssertionError("expected ValueError")
      except ValueError:
          pass
  assert acct.balance == 120
  """)

T("rectangle_class", "easy",
  "Write a `Rectangle` class with width and height, methods area() and perimeter(), and an is_square() method.",
  "Store both sides in __init__ and compute the values from them.",
  """
  class Rectangle:
      def __init__(self, width, height):
          self.width = width
          self.height = height

      def area(self):
          return self.width * self.height

      def perimeter(self):
          return 2 * (self.width + self.height)

      def is_square(self):
          return self.width == self.height
  """,
  """
  r = Rectangle(3, 4)
  assert r.area() == 12 and r.perimeter() == 14
  assert not r.is_square()
  assert Rectangle(5, 5).is_square()
  """)

T("vector2d", "medium",
  "Create a `Vector2D` class supporting +, -, multiplication by a number (v * 3), equality, abs() for the length, and a readable repr like Vector2D(1, 2).",
  "Implement the dunder methods __add__, __sub__, __mul__, __eq__, __abs__ and __repr__.",
  """
  import math

  class Vector2D:
      def __init__(self, x, y):
          self.x = x
          self.y = y

      def __add__(self, other):
          return Vector2D(self.x + other.x, self.y + other.y)

      def __sub__(self, other):
          return Vector2D(self.x - other.x, self.y - other.y)

      def __mul__(self, k):
          return Vector2D(self.x * k, self.y * k)

      def __eq__(self, other):
          return isinstance(other, Vector2D) and (self.x, self.y) == (other.x, other.y)

      def __abs__(self):
          return math.hypot(self.x, self.y)

      def __repr__(self):
          return f"Vector2D({self.x}, {self.y})"
  """,
  """
  a, b = Vector2D(1, 2), Vector2D(3, 4)
  assert a + b == Vector2D(4, 6)
  assert b - a == Vector2D(2, 2)
  assert a * 3 == Vector2D(3, 6)
  assert abs(b) == 5.0
  assert repr(a) == "Vector2D(1, 2)"
  """)

T("counter_class", "easy",
  "Write a `ClickCounter` class with click(), reset() and a read-only `count` property.",
  "Keep the value in a private attribute and expose it through @property without a setter.",
  """
  class ClickCounter:
      def __init__(self):
          self._count = 0

      def click(self):
          self._count += 1

      def reset(self):
          self._count = 0

      @property
      def count(self):
          return self._count
  """,
  """
  c = ClickCounter()
  c.click()
  c.click()
  assert c.count == 2
  c.reset()
  assert c.count == 0
  try:
      c.count = 5
      raise AssertionError("expected AttributeError")
  except AttributeError:
      pass
  """)

T("temperature_property", "medium",
  "Write a `Temperature` class storing Celsius, with a `fahrenheit` property that can be read and set (setting it updates Celsius). Reject Celsius values below -273.15 with ValueError.",
  "Use a celsius property with validation in its setter, and a fahrenheit property that converts in both directions.",
  """
  class Temperature:
      def __init__(self, celsius=0.0):
          self.celsius = celsius

      @property
      def celsius(self):
          return self._celsius

      @celsius.setter
      def celsius(self, value):
          if value < -273.15:
              raise ValueError("below absolute zero")
          self._celsius = value

      @property
      def fahrenheit(self):
          return self._celsius * 9 / 5 + 32

      @fahrenheit.setter
      def fahrenheit(self, value):
          self.celsius = (value - 32) * 5 / 9
  """,
  """
  t = Temperature(100)
  assert t.fahrenheit == 212
  t.fahrenheit = 32
  assert t.celsius == 0
  try:
      Temperature(-300)
      raise AssertionError("expected ValueError")
  except ValueError:
      pass
  """)

T("shopping_cart", "medium",
  "Build a `Cart` class: add(name, price, qty=1) adds to an item's quantity, remove(name) deletes it, and total() returns the sum of price * qty rounded to 2 decimals.",
  "Store items in a dict name -> [price, qty]; adding an existing item increases its quantity.",
  """
  class Cart:
      def __init__(self):
          self.items = {}

      def add(self, name, price, qty=1):
          if name in self.items:
              self.items[name][1] += qty
          else:
              self.items[name] = [price, qty]

      def remove(self, name):
          self.items.pop(name, None)

      def total(self):
          return round(sum(price * qty for price, qty in self.items.values()), 2)
  """,
  """
  cart = Cart()
  cart.add("apple", 0.5, 4)
  cart.add("milk", 1.25)
  cart.add("apple", 0.5)
  assert cart.total() == 3.75
  cart.remove("milk")
  assert cart.total() == 2.5
  cart.remove("bread")
  """)

T("dataclass_point", "easy",
  "Use a dataclass to define a `Point` with x and y, plus a method distance_to(other) that returns the Euclidean distance.",
  "@dataclass generates __init__, __repr__ and __eq__; the method uses math.dist.",
  """
  import math
  from dataclasses import dataclass

  @dataclass
  class Point:
      x: float
      y: float

      def distance_to(self, other):
          return math.dist((self.x, self.y), (other.x, other.y))
  """,
  """
  p = Point(0, 0)
  assert p.distance_to(Point(3, 4)) == 5.0
  assert Point(1, 2) == Point(1, 2)
  """)

T("linked_list_class", "medium",
  "Implement a singly linked list class `LinkedList` with append(value), prepend(value), to_list() and __len__.",
  "Keep a head node and a size; append walks to the end (or sets the head), prepend makes a new head.",
  """
  class Node:
      def __init__(self, value, next=None):
          self.value = value
          self.next = next

  class LinkedList:
      def __init__(self):
          self.head = None
          self._size = 0

      def append(self, value):
          node = Node(value)
          if self.head is None:
              self.head = node
          else:
              cur = self.head
              while cur.next:
                  cur = cur.next
              cur.next = node
          self._size += 1

      def prepend(self, value):
          self.head = Node(value, self.head)
          self._size += 1

      def to_list(self):
          out, cur = [], self.head
          while cur:
              out.append(cur.value)
              cur = cur.next
          return out

      def __len__(self):
          return self._size
  """,
  """
  ll = LinkedList()
  ll.append(2)
  ll.append(3)
  ll.prepend(1)
  assert ll.to_list() == [1, 2, 3]
  assert len(ll) == 3
  assert LinkedList().to_list() == []
  """)

T("reverse_linked_list", "medium",
  "Given a `ListNode` class with `val` and `next`, write `reverse_list(head)` that reverses the linked list and returns the new head.",
  "Walk the list once, pointing each node's next at the previous node.",
  """
  class ListNode:
      def __init__(self, val, next=None):
          self.val = val
          self.next = next

  def reverse_list(head):
      prev = None
      while head:
          head.next, prev, head = prev, head, head.next
      return prev
  """,
  """
  head = ListNode(1, ListNode(2, ListNode(3)))
  node = reverse_list(head)
  values = []
  while node:
      values.append(node.val)
      node = node.next
  assert values == [3, 2, 1]
  assert reverse_list(None) is None
  """)

T("bst_class", "hard",
  "Write a binary search tree class `BST` with insert(value), contains(value) and in_order() which returns the values sorted. Ignore duplicate inserts.",
  "Each node holds a value and two children; insert and contains walk left or right by comparison, and in-order traversal visits left, node, right.",
  """
  class BST:
      def __init__(self):
          self.root = None

      def insert(self, value):
          if self.root is None:
              self.root = [value, None, None]
              return
          node = self.root
          while True:
              if value == node[0]:
                  return
              side = 1 if value < node[0] else 2
              if node[side] is None:
                  node[side] = [value, None, None]
                  return
              node = node[side]

      def contains(self, value):
          node = self.root
          while node:
              if value == node[0]:
                  return True
              node = node[1] if value < node[0] else node[2]
          return False

      def in_order(self):
          out = []

          def walk(node):
              if node:
                  walk(node[1])
                  out.append(node[0])
                  walk(node[2])

          walk(self.root)
          return out
  """,
  """
  t = BST()
  for v in [5, 3, 8, 1, 4, 8]:
      t.insert(v)
  assert t.in_order() == [1, 3, 4, 5, 8]
  assert t.contains(4) and not t.contains(7)
  assert BST().in_order() == []
  """)

T("tree_height", "medium",
  "Given a `TreeNode` class (val, left, right), write `tree_height(root)` returning the number of nodes on the longest root-to-leaf path (0 for an empty tree).",
  "Recursively: an empty tree has height 0, otherwise 1 plus the larger height of the two subtrees.",
  """
  class TreeNode:
      def __init__(self, val, left=None, right=None):
          self.val = val
          self.left = left
          self.right = right

  def tree_height(root):
      if root is None:
          return 0
      return 1 + max(tree_height(root.left), tree_height(root.right))
  """,
  """
  tree = TreeNode(1, TreeNode(2, TreeNode(4)), TreeNode(3))
  assert tree_height(tree) == 3
  assert tree_height(None) == 0
  assert tree_height(TreeNode(9)) == 1
  """)

T("min_heap_class", "hard",
  "Implement a `MinHeap` class from scratch (no heapq) with push(x), pop() returning the smallest value, and __len__.",
  "Store the heap in a list; push sifts the new value up, pop moves the last value to the root and sifts it down.",
  """
  class MinHeap:
      def __init__(self):
          self.data = []

      def push(self, x):
          self.data.append(x)
          i = len(self.data) - 1
          while i > 0:
              parent = (i - 1) // 2
              if self.data[parent] <= self.data[i]:
                  break
              self.data[parent], self.data[i] = self.data[i], self.data[parent]
              i = parent

      def pop(self):
          data = self.data
          top = data[0]
          last = data.pop()
          if data:
              data[0] = last
              i = 0
              while True:
                  smallest = i
                  for child in (2 * i + 1, 2 * i + 2):
                      if child < len(data) and data[child] < data[smallest]:
                          smallest = child
                  if smallest == i:
                      break
                  data[i], data[smallest] = data[smallest], data[i]
                  i = smallest
          return top

      def __len__(self):
          return len(self.data)
  """,
  """
  h = MinHeap()
  for x in [5, 3, 8, 1, 9, 2]:
      h.push(x)
  assert [h.pop() for _ in range(len(h))] == [1, 2, 3, 5, 8, 9]
  assert len(h) == 0
  """)

T("lru_cache_class", "hard",
  "Implement an `LRUCache` class with a capacity, get(key) (returns -1 when missing) and put(key, value); when full, evict the least recently used key.",
  "An OrderedDict keeps keys in usage order: move a key to the end on every access and pop from the front when over capacity.",
  """
  from collections import OrderedDict

  class LRUCache:
      def __init__(self, capacity):
          self.capacity = capacity
          self.data = OrderedDict()

      def get(self, key):
          if key not in self.data:
              return -1
          self.data.move_to_end(key)
          return self.data[key]

      def put(self, key, value):
          self.data[key] = value
          self.data.move_to_end(key)
          if len(self.data) > self.capacity:
              self.data.popitem(last=False)
  """,
  """
  c = LRUCache(2)
  c.put(1, "a")
  c.put(2, "b")
  assert c.get(1) == "a"
  c.put(3, "c")
  assert c.get(2) == -1
  assert c.get(3) == "c" and c.get(1) == "a"
  """)

T("inheritance_shapes", "medium",
  "Define a base class `Shape` with an area() method that raises NotImplementedError, and subclasses `Circle(r)` and `Square(side)`. Add a function `total_area(shapes)` that sums the areas rounded to 2 decimals.",
  "Each subclass overrides area(); total_area just relies on polymorphism.",
  """
  import math

  class Shape:
      def area(self):
          raise NotImplementedError

  class Circle(Shape):
      def __init__(self, r):
          self.r = r

      def area(self):
          return math.pi * self.r ** 2

  class Square(Shape):
      def __init__(self, side):
          self.side = side

      def area(self):
          return self.side ** 2

  def total_area(shapes):
      return round(sum(s.area() for s in shapes), 2)
  """,
  """
  assert total_area([Square(2), Circle(1)]) == 7.14
  assert total_area([]) == 0
  try:
      Shape().area()
      raise AssertionError("expected NotImplementedError")
  except NotImplementedError:
      pass
  """)

T("todo_list_class", "medium",
  "Write a `TodoList` class: add(title) returns an integer id, complete(id) marks it done, and pending() returns the titles not yet done in the order they were added.",
  "Store tasks in a dict id -> [title, done]; ids come from a counter.",
  """
  class TodoList:
      def __init__(self):
          self._tasks = {}
          self._next_id = 1

      def add(self, title):
          task_id = self._next_id
          self._tasks[task_id] = [title, False]
          self._next_id += 1
          return task_id

      def complete(self, task_id):
          self._tasks[task_id][1] = True

      def pending(self):
          return [title for title, done in self._tasks.values() if not done]
  """,
  """
  todo = TodoList()
  a = todo.add("buy milk")
  todo.add("call mom")
  todo.complete(a)
  assert todo.pending() == ["call mom"]
  """)

T("matrix_class_eq", "medium",
  "Write a small `Matrix` class wrapping a list of rows, with shape() returning (rows, cols), __add__ for element-wise addition (ValueError if shapes differ) and __eq__.",
  "Compare shapes before adding and build the sum row by row with zip.",
  """
  class Matrix:
      def __init__(self, rows):
          self.rows = [list(r) for r in rows]

      def shape(self):
          return len(self.rows), len(self.rows[0]) if self.rows else 0

      def __add__(self, other):
          if self.shape() != other.shape():
              raise ValueError("shape mismatch")
          return Matrix([[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(self.rows, other.rows)])

      def __eq__(self, other):
          return isinstance(other, Matrix) and self.rows == other.rows
  """,
  """
  m = Matrix([[1, 2], [3, 4]])
  assert m.shape() == (2, 2)
  assert m + Matrix([[1, 1], [1, 1]]) == Matrix([[2, 3], [4, 5]])
  try:
      m + Matrix([[1, 2, 3]])
      raise AssertionError("expected ValueError")
  except ValueError:
      pass
  """)

T("iterator_class_countdown", "medium",
  "Write an iterator class `Countdown(n)` that yields n, n-1, ..., 1 when used in a for loop.",
  "Implement __iter__ returning self and __next__ that raises StopIteration when the count reaches zero.",
  """
  class Countdown:
      def __init__(self, n):
          self.current = n

      def __iter__(self):
          return self

      def __next__(self):
          if self.current <= 0:
              raise StopIteration
          value = self.current
          self.current -= 1
          return value
  """,
  """
  assert list(Countdown(3)) == [3, 2, 1]
  assert list(Countdown(0)) == []
  """)

T("context_manager_timer", "medium",
  "Write a context manager class `Recorder` that appends 'enter' to a log list on entry and 'exit' on exit, even when an exception happens inside the block (without suppressing it).",
  "__enter__ and __exit__ do the logging; returning False from __exit__ lets exceptions propagate.",
  """
  class Recorder:
      def __init__(self, log):
          self.log = log

      def __enter__(self):
          self.log.append("enter")
          return self

      def __exit__(self, exc_type, exc, tb):
          self.log.append("exit")
          return False
  """,
  """
  log = []
  with Recorder(log):
      log.append("body")
  assert log == ["enter", "body", "exit"]
  log.clear()
  try:
      with Recorder(log):
          raise KeyError("boom")
  except KeyError:
      pass
  assert log == ["enter", "exit"]
  """)

T("class_with_classmethod", "medium",
  "Write a `Date` class with year, month and day attributes and a classmethod `from_string('2024-06-30')` that builds an instance. Add a __str__ that prints 'YYYY/MM/DD' with zero padding.",
  "The classmethod parses the string and calls cls(...); __str__ formats with :02d.",
  """
  class Date:
      def __init__(self, year, month, day):
          self.year, self.month, self.day = year, month, day

      @classmethod
      def from_string(cls, text):
          y, m, d = (int(p) for p in text.split("-"))
          return cls(y, m, d)

      def __str__(self):
          return f"{self.year:04d}/{self.month:02d}/{self.day:02d}"
  """,
  """
  d = Date.from_string("2024-06-30")
  assert (d.year, d.month, d.day) == (2024, 6, 30)
  assert str(Date(2023, 1, 5)) == "2023/01/05"
  """)

T("rate_limiter_class", "hard",
  "Write a `RateLimiter(max_calls, period)` class whose allow(now) method returns True if a call at time `now` (seconds) is allowed, keeping at most max_calls calls within any window of `period` seconds. Times are passed in so it's testable.",
  "Keep the timestamps of allowed calls in a deque; drop the ones older than now - period, then allow if there's room.",
  """
  from collections import deque

  class RateLimiter:
      def __init__(self, max_calls, period):
          self.max_calls = max_calls
          self.period = period
          self.calls = deque()

      def allow(self, now):
          while self.calls and self.calls[0] <= now - self.period:
              self.calls.popleft()
          if len(self.calls) < self.max_calls:
              self.calls.append(now)
              return True
          return False
  """,
  """
  rl = RateLimiter(2, 10)
  assert rl.allow(0) and rl.allow(1)
  assert not rl.allow(5)
  assert rl.allow(10)
  assert not rl.allow(10.5)
  assert rl.allow(11)
  """)

T("event_emitter", "medium",
  "Write a small `EventBus` class: on(event, handler) registers a callback, emit(event, *args) calls every handler for that event in registration order and returns how many were called.",
  "Keep a dict event -> list of handlers; emit looks up the list (empty if unknown) and calls each.",
  """
  class EventBus:
      def __init__(self):
          self.handlers = {}

      def on(self, event, handler):
          self.handlers.setdefault(event, []).append(handler)

      def emit(self, event, *args):
          called = 0
          for handler in self.handlers.get(event, []):
              handler(*args)
              called += 1
          return called
  """,
  """
  bus = EventBus()
  seen = []
  bus.on("save", lambda name: seen.append("a:" + name))
  bus.on("save", lambda name: seen.append("b:" + name))
  assert bus.emit("save", "doc") == 2
  assert seen == ["a:doc", "b:doc"]
  assert bus.emit("load") == 0
  """)

T("undo_text_editor", "hard",
  "Write a `TextBuffer` class with type(text) that appends text, delete(n) that removes the last n characters, undo() that reverts the last type or delete, and a `text` attribute.",
  "Save the previous text on a history stack before every change; undo pops it back.",
  """
  class TextBuffer:
      def __init__(self):
          self.text = ""
          self._history = []

      def type(self, s):
          self._history.append(self.text)
          self.text += s

      def delete(self, n):
          self._history.append(self.text)
          self.text = self.text[:-n] if n else self.text

      def undo(self):
          if self._history:
              self.text = self._history.pop()
  """,
  """
  buf = TextBuffer()
  buf.type("hello")
  buf.type(" world")
  buf.delete(6)
  assert buf.text == "hello"
  buf.undo()
  assert buf.text == "hello world"
  buf.undo()
  buf.undo()
  buf.undo()
  assert buf.text == ""
  """)

T("sorted_by_dunder_lt", "medium",
  "Make a `Version` class built from a string like '1.4.2' that can be compared with < and == so that sorted() orders versions numerically.",
  "Store the parts as a tuple of ints and compare tuples in __lt__ and __eq__.",
  """
  class Version:
      def __init__(self, text):
          self.text = text
          self.parts = tuple(int(p) for p in text.split("."))

      def __lt__(self, other):
          return self.parts < other.parts

      def __eq__(self, other):
          return self.parts == other.parts

      def __repr__(self):
          return f"Version({self.text!r})"
  """,
  """
  versions = [Version("1.10.0"), Version("1.2.0"), Version("1.9.3")]
  assert [v.text for v in sorted(versions)] == ["1.2.0", "1.9.3", "1.10.0"]
  assert Version("2.0") == Version("2.0")
  assert Version("1.2") < Version("1.10")
  """)

# ----------------------------------------------------------------------------- recursion
T("recursive_factorial", "easy",
  "Write a recursive function `fact(n)` for n >= 0.",
  "The base case is 0! = 1; otherwise n! = n * (n-1)!.",
  """
  def fact(n):
      return 1 if n == 0 else n * fact(n - 1)
  """,
  """
  assert fact(0) == 1
  assert fact(5) == 120
  assert fact(10) == 3628800
  """)

T("recursive_sum_list", "easy",
  "Sum a list recursively (no loops, no sum()). Function: `rec_sum(nums)`.",
  "An empty list sums to 0; otherwise add the first element to the sum of the rest.",
  """
  def rec_sum(nums):
      if not nums:
          return 0
      return nums[0] + rec_sum(nums[1:])
  """,
  """
  assert rec_sum([1, 2, 3, 4]) == 10
  assert rec_sum([]) == 0
  """)

T("recursive_reverse_string", "easy",
  "Reverse a string using recursion only. Function: `rec_reverse(s)`.",
  "The reverse of s is the reverse of s[1:] followed by s[0]; the empty string is the base case.",
  """
  def rec_reverse(s):
      if not s:
          return ""
      return rec_reverse(s[1:]) + s[0]
  """,
  """
  assert rec_reverse("abc") == "cba"
  assert rec_reverse("") == ""
  """)

T("permutations_rec", "hard",
  "Generate all permutations of a string with distinct characters, in lexicographic order if the input is sorted, without itertools. Function: `all_perms(s)`.",
  "Pick each character in turn as the first one and recursively permute the remaining characters.",
  """
  def all_perms(s):
      if len(s) <= 1:
          return [s]
      out = []
      for i, ch in enumerate(s):
          for rest in all_perms(s[:i] + s[i + 1:]):
              out.append(ch + rest)
      return out
  """,
  """
  assert all_perms("abc") == ["abc", "acb", "bac", "bca", "cab", "cba"]
  assert all_perms("") == [""]
  assert len(all_perms("abcd")) == 24
  """)

T("hanoi_moves", "medium",
  "Return the list of moves that solve the Towers of Hanoi for n disks from peg 'A' to peg 'C' using 'B'. Each move is a tuple (from, to). Function: `hanoi(n)`.",
  "Move n-1 disks out of the way to the spare peg, move the biggest disk, then move the n-1 disks on top of it.",
  """
  def hanoi(n, src="A", dst="C", via="B"):
      if n == 0:
          return []
      return hanoi(n - 1, src, via, dst) + [(src, dst)] + hanoi(n - 1, via, dst, src)
  """,
  """
  assert hanoi(1) == [("A", "C")]
  assert hanoi(2) == [("A", "B"), ("A", "C"), ("B", "C")]
  assert len(hanoi(5)) == 31
  """)

T("binary_strings", "medium",
  "Return all binary strings of length n in increasing order. Function: `bit_strings(n)`.",
  "For length n, prefix '0' and then '1' to every string of length n-1; length 0 gives just the empty string.",
  """
  def bit_strings(n):
      if n == 0:
          return [""]
      shorter = bit_strings(n - 1)
      return ["0" + s for s in shorter] + ["1" + s for s in shorter]
  """,
  """
  assert bit_strings(2) == ["00", "01", "10", "11"]
  assert bit_strings(0) == [""]
  assert len(bit_strings(4)) == 16
  """)

T("nested_depth", "medium",
  "Return the maximum nesting depth of a list: [1, [2, [3]]] has depth 3, [] has depth 1, and a non-list has depth 0. Function: `max_depth(x)`.",
  "A list is 1 deeper than its deepest element; non-lists contribute 0.",
  """
  def max_depth(x):
      if not isinstance(x, list):
          return 0
      return 1 + max((max_depth(item) for item in x), default=0)
  """,
  """
  assert max_depth([1, [2, [3]]]) == 3
  assert max_depth([]) == 1
  assert max_depth(5) == 0
  """)

T("count_paths_tree_dict", "medium",
  "A folder tree is a nested dict where files map to None and folders map to dicts. Count all files recursively. Function: `count_files(tree)`.",
  "For each entry, a None value is one file and a dict value is counted recursively.",
  """
  def count_files(tree):
      total = 0
      for value in tree.values():
          total += 1 if value is None else count_files(value)
      return total
  """,
  """
  tree = {"a.txt": None, "src": {"main.py": None, "lib": {"x.py": None, "y.py": None}}, "empty": {}}
  assert count_files(tree) == 4
  assert count_files({}) == 0
  """)

T("balanced_parens_generate", "hard",
  "Generate all combinations of n pairs of well-formed parentheses, in lexicographic order. Function: `paren_combos(n)`.",
  "Build strings recursively: add '(' while some are left to open, and ')' only when it would close an open one. Trying '(' first gives lexicographic order.",
  """
  def paren_combos(n):
      out = []

      def build(s, opened, closed):
          if len(s) == 2 * n:
              out.append(s)
              return
          if opened < n:
              build(s + "(", opened + 1, closed)
          if closed < opened:
              build(s + ")", opened, closed + 1)

      build("", 0, 0)
      return out
  """,
  """
  assert paren_combos(3) == ["((()))", "(()())", "(())()", "()(())", "()()()"]
  assert paren_combos(1) == ["()"]
  assert paren_combos(0) == [""]
  """)

T("flood_fill", "hard",
  "Implement flood fill on a grid of ints: starting at (r, c), replace the connected region (4-directional) of the starting colour with a new colour. Modify the grid in place and return it. Function: `flood_fill(grid, r, c, new)`.",
  "Remember the starting colour, then recursively (or with a stack) recolour matching neighbours; skip if the new colour equals the old one to avoid looping.",
  """
  def flood_fill(grid, r, c, new):
      old = grid[r][c]
      if old == new:
          return grid
      stack = [(r, c)]
      while stack:
          i, j = stack.pop()
          if 0 <= i < len(grid) and 0 <= j < len(grid[0]) and grid[i][j] == old:
              grid[i][j] = new
              stack.extend([(i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)])
      return grid
  """,
  """
  g = [[1, 1, 0], [1, 0, 0], [1, 1, 1]]
  assert flood_fill(g, 0, 0, 7) == [[7, 7, 0], [7, 0, 0], [7, 7, 7]]
  assert flood_fill([[2]], 0, 0, 2) == [[2]]
  """)

T("count_islands", "hard",
  "Count islands in a grid of '1' (land) and '0' (water), where land connects horizontally and vertically. Function: `island_count(grid)`.",
  "Scan every cell; on unvisited land, count an island and erase the whole island with a depth-first search so it isn't counted again.",
  """
  def island_count(grid):
      grid = [list(row) for row in grid]
      rows = len(grid)
      cols = len(grid[0]) if rows else 0

      def sink(i, j):
          if 0 <= i < rows and 0 <= j < cols and grid[i][j] == "1":
              grid[i][j] = "0"
              sink(i + 1, j)
              sink(i - 1, j)
              sink(i, j + 1)
              sink(i, j - 1)

      count = 0
      for i in range(rows):
          for j in range(cols):
              if grid[i][j] == "1":
                  count += 1
                  sink(i, j)
      return count
  """,
  """
  assert island_count(["11000", "11000", "00100", "00011"]) == 3
  assert island_count(["111", "010", "111"]) == 1
  assert island_count([]) == 0
  """)

T("subset_sum_exists", "hard",
  "Return True if some subset of a list of positive integers adds up exactly to a target. Function: `can_make_sum(nums, target)`.",
  "Keep the set of all reachable sums, adding each number to every reachable sum that stays within the target.",
  """
  def can_make_sum(nums, target):
      reachable = {0}
      for n in nums:
          reachable |= {s + n for s in reachable if s + n <= target}
      return target in reachable
  """,
  """
  assert can_make_sum([3, 34, 4, 12, 5, 2], 9) is True
  assert can_make_sum([3, 34, 4, 12, 5, 2], 30) is False
  assert can_make_sum([], 0) is True
  """)

T("knapsack_01", "hard",
  "Solve the 0/1 knapsack problem: given (weight, value) items and a capacity, return the maximum total value. Function: `knapsack(items, capacity)`.",
  "Use a 1-D DP array indexed by capacity and iterate capacities downward so each item is used at most once.",
  """
  def knapsack(items, capacity):
      best = [0] * (capacity + 1)
      for weight, value in items:
          for c in range(capacity, weight - 1, -1):
              best[c] = max(best[c], best[c - weight] + value)
      return best[capacity]
  """,
  """
  assert knapsack([(1, 1), (3, 4), (4, 5), (5, 7)], 7) == 9
  assert knapsack([(5, 10)], 4) == 0
  assert knapsack([], 10) == 0
  """)

T("lcs_length", "hard",
  "Return the length of the longest common subsequence of two strings. Function: `lcs(a, b)`.",
  "Classic DP: if the characters match extend the diagonal value, otherwise take the best of dropping a character from either string.",
  """
  def lcs(a, b):
      prev = [0] * (len(b) + 1)
      for ca in a:
          cur = [0]
          for j, cb in enumerate(b, start=1):
              cur.append(prev[j - 1] + 1 if ca == cb else max(prev[j], cur[j - 1]))
          prev = cur
      return prev[-1]
  """,
  """
  assert lcs("abcde", "ace") == 3
  assert lcs("abc", "def") == 0
  assert lcs("", "abc") == 0
  """)

# ----------------------------------------------------------------------------- regex
T("extract_emails", "easy",
  "Use a regular expression to find all email addresses in a text. Function: `find_emails(text)`.",
  "A practical pattern is word characters, dots, plus or minus signs, then '@', a domain, a dot and at least two letters.",
  """
  import re

  def find_emails(text):
      return re.findall(r"[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)*\\.[A-Za-z]{2,}", text)
  """,
  """
  assert find_emails("Mail ann@example.com or bo.li+x@mail.co.uk today") == ["ann@example.com", "bo.li+x@mail.co.uk"]
  assert find_emails("no address here") == []
  """)

T("extract_hashtags", "easy",
  "Extract the hashtags from a tweet (without the '#'), in order. A hashtag is '#' followed by letters, digits or underscores. Function: `hashtags(text)`.",
  "re.findall with a capturing group returns just the part after '#'.",
  """
  import re

  def hashtags(text):
      return re.findall(r"#(\\w+)", text)
  """,
  """
  assert hashtags("Loving #Python and #open_source! #2024") == ["Python", "open_source", "2024"]
  assert hashtags("nothing") == []
  """)

T("valid_us_phone", "medium",
  "Check with a regex whether a string is a US phone number in one of the forms '555-123-4567', '(555) 123-4567' or '5551234567'. Function: `is_us_phone(s)`.",
  "Use re.fullmatch with an alternation for the area code, then optional separators.",
  """
  import re

  def is_us_phone(s):
      pattern = r"(\\(\\d{3}\\) |\\d{3}-?)\\d{3}-?\\d{4}"
      return re.fullmatch(pattern, s) is not None
  """,
  """
  assert is_us_phone("555-123-4567") is True
  assert is_us_phone("(555) 123-4567") is True
  assert is_us_phone("5551234567") is True
  assert is_us_phone("55-1234-567") is False
  assert is_us_phone("555-123-45678") is False
  """)

T("valid_ipv4", "medium",
  "Validate an IPv4 address: four decimal numbers 0-255 separated by dots, no leading zeros (except '0' itself). Function: `is_ipv4(s)`.",
  "Split on dots, require exactly four all-digit parts, reject leading zeros, and check the range.",
  """
  def is_ipv4(s):
      parts = s.split(".")
      if len(parts) != 4:
          return False
      for p in parts:
          if not p.isdigit() or (len(p) > 1 and p[0] == "0") or int(p) > 255:
              return False
      return True
  """,
  """
  assert is_ipv4("192.168.1.1") is True
  assert is_ipv4("255.255.255.255") is True
  assert is_ipv4("256.1.1.1") is False
  assert is_ipv4("1.2.3") is False
  assert is_ipv4("01.2.3.4") is False
  """)

T("strong_password", "medium",
  "Check a password: at least 8 characters, with at least one lower-case letter, one upper-case letter, one digit and one symbol (non-alphanumeric). Use regex searches. Function: `is_strong(pw)`.",
  "Run one re.search per requirement and combine them with the length check.",
  """
  import re

  def is_strong(pw):
      return (len(pw) >= 8
              and re.search(r"[a-z]", pw) is not None
              and re.search(r"[A-Z]", pw) is not None
              and re.search(r"\\d", pw) is not None
              and re.search(r"[^A-Za-z0-9]", pw) is not None)
  """,
  """
  assert is_strong("Passw0rd!") is True
  assert is_strong("password1!") is False
  assert is_strong("Sh0rt!") is False
  assert is_strong("NoSymbols123") is False
  """)

T("extract_numbers_regex", "easy",
  "Pull every number out of a string (integers and decimals, optionally negative) and return them as floats. Function: `numbers_in(text)`.",
  "The pattern -?\\d+(?:\\.\\d+)? matches an optional minus, digits, and an optional decimal part.",
  """
  import re

  def numbers_in(text):
      return [float(m) for m in re.findall(r"-?\\d+(?:\\.\\d+)?", text)]
  """,
  """
  assert numbers_in("It was -3.5 degrees at 7am, 12 km away") == [-3.5, 7.0, 12.0]
  assert numbers_in("none") == []
  """)

T("collapse_whitespace", "easy",
  "Replace every run of whitespace (spaces, tabs, newlines) with a single space and trim the ends. Function: `squash_spaces(text)`.",
  "re.sub with \\s+ collapses the runs; strip removes the ends.",
  """
  import re

  def squash_spaces(text):
      return re.sub(r"\\s+", " ", text).strip()
  """,
  """
  assert squash_spaces("  hello \\t\\n  world  ") == "hello world"
  assert squash_spaces("") == ""
  """)

T("date_format_regex", "medium",
  "Convert all dates written as 'YYYY-MM-DD' in a text to 'DD.MM.YYYY'. Function: `reformat_dates(text)`.",
  "Capture the three parts in groups and reorder them in the replacement string.",
  """
  import re

  def reformat_dates(text):
      return re.sub(r"\\b(\\d{4})-(\\d{2})-(\\d{2})\\b", r"\\3.\\2.\\1", text)
  """,
  """
  assert reformat_dates("From 2024-03-01 to 2024-03-15.") == "From 01.03.2024 to 15.03.2024."
  assert reformat_dates("no dates") == "no dates"
  """)

T("strip_html_tags", "easy",
  "Remove HTML tags from a string with a regex, leaving the text. Function: `strip_tags(html)`.",
  "Replace anything matching <[^>]+> with nothing.",
  """
  import re

  def strip_tags(html):
      return re.sub(r"<[^>]+>", "", html)
  """,
  """
  assert strip_tags("<p>Hello <b>world</b>!</p>") == "Hello world!"
  assert strip_tags("plain") == "plain"
  """)

T("parse_log_regex", "medium",
  "Parse lines like '127.0.0.1 - GET /index.html 200' with a regex into a dict with keys ip, method, path and status (status as int). Return None for lines that don't match. Function: `parse_access_line(line)`.",
  "Use named groups and convert the status group to int.",
  """
  import re

  PATTERN = re.compile(r"(?P<ip>\\d+\\.\\d+\\.\\d+\\.\\d+) - (?P<method>[A-Z]+) (?P<path>\\S+) (?P<status>\\d{3})")

  def parse_access_line(line):
      m = PATTERN.fullmatch(line.strip())
      if not m:
          return None
      d = m.groupdict()
      d["status"] = int(d["status"])
      return d
  """,
  """
  assert parse_access_line("127.0.0.1 - GET /index.html 200") == {"ip": "127.0.0.1", "method": "GET", "path": "/index.html", "status": 200}
  assert parse_access_line("garbage") is None
  """)

T("find_repeated_words", "medium",
  "Find words that are immediately repeated in a text, like 'the the', case-insensitively, using a regex backreference. Return them lower-cased. Function: `doubled_words(text)`.",
  "\\b(\\w+)\\s+\\1\\b matches a word followed by the same word; the IGNORECASE flag makes 'The the' count.",
  """
  import re

  def doubled_words(text):
      return [w.lower() for w in re.findall(r"\\b(\\w+)\\s+\\1\\b", text, flags=re.IGNORECASE)]
  """,
  """
  assert doubled_words("This is is a test of the The code") == ["is", "the"]
  assert doubled_words("no repeats here") == []
  """)

T("camel_to_words_regex", "easy",
  "Insert a space before each capital letter that follows a lower-case letter: 'helloWorldAgain' -> 'hello World Again'. Use re.sub. Function: `space_camel(s)`.",
  "A lookbehind for a lower-case letter and a lookahead for an upper-case one mark the positions to insert a space.",
  """
  import re

  def space_camel(s):
      return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", s)
  """,
  """
  assert space_camel("helloWorldAgain") == "hello World Again"
  assert space_camel("ABC") == "ABC"
  """)

T("validate_hex_color_regex", "easy",
  "Check whether a string is a CSS hex color: '#' followed by exactly 3 or 6 hex digits. Function: `is_hex_color(s)`.",
  "re.fullmatch with an alternation of {3} and {6} hex digit groups.",
  """
  import re

  def is_hex_color(s):
      return re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", s) is not None
  """,
  """
  assert is_hex_color("#fff") is True
  assert is_hex_color("#1A2b3C") is True
  assert is_hex_color("#ffff") is False
  assert is_hex_color("123456") is False
  """)

T("mask_emails_regex", "medium",
  "Hide the user part of every email address in a text, keeping its first letter: 'anna@mail.com' -> 'a***@mail.com'. Function: `mask_emails(text)`.",
  "Capture the first character of the local part and the domain, and replace the rest of the local part with '***'.",
  """
  import re

  def mask_emails(text):
      return re.sub(r"\\b([\\w.+-])[\\w.+-]*@([\\w-]+(?:\\.[\\w-]+)+)", r"\\1***@\\2", text)
  """,
  """
  assert mask_emails("write to anna@mail.com or bob@x.org") == "write to a***@mail.com or b***@x.org"
  assert mask_emails("none") == "none"
  """)

T("split_sentences_regex", "medium",
  "Split a paragraph into sentences using a regex: a sentence ends with '.', '!' or '?' followed by whitespace. Function: `sentences(text)`.",
  "Split on whitespace that is preceded by sentence punctuation (a lookbehind), then drop empty pieces.",
  """
  import re

  def sentences(text):
      return [s for s in re.split(r"(?<=[.!?])\\s+", text.strip()) if s]
  """,
  """
  assert sentences("Hi there. How are you? Great!") == ["Hi there.", "How are you?", "Great!"]
  assert sentences("") == []
  """)

T("template_fill_regex", "medium",
  "Fill a template like 'Hi {name}, you owe {amount}' from a dict; placeholders without a value stay unchanged. Use re.sub with a function. Function: `render(template, values)`.",
  "Match {word} and look the word up in the dict, returning the original placeholder when it's missing.",
  """
  import re

  def render(template, values):
      return re.sub(r"\\{(\\w+)\\}", lambda m: str(values.get(m.group(1), m.group(0))), template)
  """,
  """
  assert render("Hi {name}, you owe {amount}", {"name": "Jo", "amount": 5}) == "Hi Jo, you owe 5"
  assert render("Hi {name}", {}) == "Hi {name}"
  """)

T("extract_urls_regex", "easy",
  "Find all http and https URLs in a text. A URL runs until whitespace. Strip a trailing '.' or ',' from each. Function: `find_urls(text)`.",
  "Match https?:// followed by non-space characters, then rstrip the trailing punctuation.",
  """
  import re

  def find_urls(text):
      return [u.rstrip(".,") for u in re.findall(r"https?://\\S+", text)]
  """,
  """
  assert find_urls("See https://a.com/x, and http://b.org.") == ["https://a.com/x", "http://b.org"]
  assert find_urls("none") == []
  """)

T("word_boundary_replace", "easy",
  "Replace the whole word 'cat' with 'dog' in a text, case-sensitively, without touching words like 'category'. Function: `cat_to_dog(text)`.",
  "Wrap the word in \\b boundaries so only whole words match.",
  """
  import re

  def cat_to_dog(text):
      return re.sub(r"\\bcat\\b", "dog", text)
  """,
  """
  assert cat_to_dog("the cat sat in the category") == "the dog sat in the category"
  assert cat_to_dog("Cat cat") == "Cat dog"
  """)

# ----------------------------------------------------------------------------- generators / functional / misc
T("gen_evens", "easy",
  "Write a generator `evens_up_to(n)` that yields the even numbers from 0 to n inclusive.",
  "Loop over range(0, n + 1, 2) and yield each value.",
  """
  def evens_up_to(n):
      for i in range(0, n + 1, 2):
          yield i
  """,
  """
  assert list(evens_up_to(7)) == [0, 2, 4, 6]
  assert list(evens_up_to(0)) == [0]
  """)

T("gen_chunks_lazy", "medium",
  "Write a generator `batched_lazy(iterable, size)` that yields lists of up to `size` items from any iterable (it must work for generators too).",
  "Collect items into a batch and yield it whenever it is full; yield the leftover batch at the end if it isn't empty.",
  """
  def batched_lazy(iterable, size):
      batch = []
      for item in iterable:
          batch.append(item)
          if len(batch) == size:
              yield batch
              batch = []
      if batch:
          yield batch
  """,
  """
  assert list(batched_lazy(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
  assert list(batched_lazy(iter([]), 2)) == []
  """)

T("gen_cycle_n", "easy",
  "Write a generator `repeat_cycle(items, total)` that yields items in a cycle until exactly `total` values have been produced.",
  "Use the index modulo the list length to pick each value.",
  """
  def repeat_cycle(items, total):
      for i in range(total):
          yield items[i % len(items)]
  """,
  """
  assert list(repeat_cycle(["r", "g", "b"], 7)) == ["r", "g", "b", "r", "g", "b", "r"]
  assert list(repeat_cycle([1], 0)) == []
  """)

T("compose_functions", "medium",
  "Write `compose(*funcs)` returning a function that applies the given functions from right to left: compose(f, g)(x) == f(g(x)). With no functions it returns the identity.",
  "Apply the functions over the reversed tuple, feeding each result into the next.",
  """
  def compose(*funcs):
      def composed(x):
          for f in reversed(funcs):
              x = f(x)
          return x
      return composed
  """,
  """
  inc = lambda x: x + 1
  dbl = lambda x: x * 2
  assert compose(inc, dbl)(5) == 11
  assert compose(dbl, inc)(5) == 12
  assert compose()(7) == 7
  """)

T("retry_decorator", "hard",
  "Write a decorator factory `retry(times)` that re-calls the decorated function when it raises an exception, up to `times` attempts in total, and re-raises the last exception if all attempts fail.",
  "The wrapper loops over the attempts, returns on success, and re-raises after the final failure; functools.wraps keeps the name.",
  """
  import functools

  def retry(times):
      def decorator(func):
          @functools.wraps(func)
          def wrapper(*args, **kwargs):
              for attempt in range(times):
                  try:
                      return func(*args, **kwargs)
                  except Exception:
                      if attempt == times - 1:
                          raise
          return wrapper
      return decorator
  """,
  """
  calls = []

  @retry(3)
  def flaky():
      calls.append(1)
      if len(calls) < 3:
          raise ConnectionError("try later")
      return "ok"

  assert flaky() == "ok" and len(calls) == 3

  @retry(2)
  def always_fails():
      raise ValueError("nope")

  try:
      always_fails()
      raise AssertionError("expected ValueError")
  except ValueError:
      pass
  assert flaky.__name__ == "flaky"
  """)

T("count_calls_decorator", "medium",
  "Write a decorator `count_calls` that counts how many times a function is called and stores it in an attribute `calls` on the wrapped function.",
  "The wrapper increments wrapper.calls before delegating; initialize it to 0 when decorating.",
  """
  import functools

  def count_calls(func):
      @functools.wraps(func)
      def wrapper(*args, **kwargs):
          wrapper.calls += 1
          return func(*args, **kwargs)
      wrapper.calls = 0
      return wrapper
  """,
  """
  @count_calls
  def greet(name):
      return "hi " + name

  greet("a")
  greet("b")
  assert greet.calls == 2
  assert greet("c") == "hi c"
  """)

T("memoize_decorator", "medium",
  "Write your own `memoize` decorator (without functools.lru_cache) that caches results by positional arguments.",
  "Keep a dict keyed by the args tuple and only call the function on a cache miss.",
  """
  def memoize(func):
      cache = {}

      def wrapper(*args):
          if args not in cache:
              cache[args] = func(*args)
          return cache[args]

      return wrapper
  """,
  """
  calls = []

  @memoize
  def square(x):
      calls.append(x)
      return x * x

  assert square(4) == 16 and square(4) == 16
  assert calls == [4]
  """)

T("bfs_shortest_path", "hard",
  "Find the length of the shortest path (number of edges) between two nodes in an unweighted graph given as an adjacency dict; return -1 if unreachable. Function: `shortest_hops(graph, start, goal)`.",
  "Breadth-first search explores nodes in order of distance, so the first time the goal is reached gives the shortest path.",
  """
  from collections import deque

  def shortest_hops(graph, start, goal):
      queue = deque([(start, 0)])
      seen = {start}
      while queue:
          node, dist = queue.popleft()
          if node == goal:
              return dist
          for nxt in graph.get(node, []):
              if nxt not in seen:
                  seen.add(nxt)
                  queue.append((nxt, dist + 1))
      return -1
  """,
  """
  g = {"A": ["B", "C"], "B": ["D"], "C": ["D"], "D": ["E"], "E": []}
  assert shortest_hops(g, "A", "E") == 3
  assert shortest_hops(g, "A", "A") == 0
  assert shortest_hops(g, "E", "A") == -1
  """)

T("dfs_reachable", "medium",
  "Return the sorted list of nodes reachable from a start node in a directed graph (adjacency dict), including the start. Function: `reachable(graph, start)`.",
  "Depth-first search with an explicit stack and a visited set.",
  """
  def reachable(graph, start):
      seen = {start}
      stack = [start]
      while stack:
          node = stack.pop()
          for nxt in graph.get(node, []):
              if nxt not in seen:
                  seen.add(nxt)
                  stack.append(nxt)
      return sorted(seen)
  """,
  """
  g = {1: [2], 2: [3], 3: [1], 4: [1]}
  assert reachable(g, 1) == [1, 2, 3]
  assert reachable(g, 4) == [1, 2, 3, 4]
  assert reachable({}, 9) == [9]
  """)

T("topological_sort", "hard",
  "Order tasks so that every task comes after its prerequisites. Input: dict task -> list of prerequisites. Return a valid order (Kahn's algorithm, picking alphabetically among ready tasks), or raise ValueError on a cycle. Function: `task_order(deps)`.",
  "Count unmet prerequisites per task, repeatedly take the alphabetically first task with none left, and update the counts; leftovers mean a cycle.",
  """
  def task_order(deps):
      tasks = set(deps) | {p for ps in deps.values() for p in ps}
      remaining = {t: len(set(deps.get(t, []))) for t in tasks}
      dependents = {t: [] for t in tasks}
      for t, ps in deps.items():
          for p in set(ps):
              dependents[p].append(t)
      order = []
      ready = sorted(t for t, n in remaining.items() if n == 0)
      while ready:
          t = ready.pop(0)
          order.append(t)
          for d in dependents[t]:
              remaining[d] -= 1
              if remaining[d] == 0:
                  ready.append(d)
          ready.sort()
      if len(order) != len(tasks):
          raise ValueError("cycle detected")
      return order
  """,
  """
  assert task_order({"deploy": ["test"], "test": ["build"], "build": []}) == ["build", "test", "deploy"]
  assert task_order({"c": ["a", "b"], "b": [], "a": []}) == ["a", "b", "c"]
  try:
      task_order({"x": ["y"], "y": ["x"]})
      raise AssertionError("expected ValueError")
  except ValueError:
      pass
  """)

T("dijkstra_costs", "hard",
  "Compute the cheapest cost from a start node to every reachable node in a weighted graph given as {node: [(neighbour, cost), ...]} using Dijkstra's algorithm. Function: `cheapest_costs(graph, start)`.",
  "Use a heap of (cost, node); pop the cheapest, skip stale entries, and relax each edge.",
  """
  import heapq

  def cheapest_costs(graph, start):
      dist = {start: 0}
      heap = [(0, start)]
      while heap:
          d, node = heapq.heappop(heap)
          if d > dist[node]:
              continue
          for nxt, cost in graph.get(node, []):
              nd = d + cost
              if nd < dist.get(nxt, float("inf")):
                  dist[nxt] = nd
                  heapq.heappush(heap, (nd, nxt))
      return dist
  """,
  """
  g = {"A": [("B", 4), ("C", 1)], "C": [("B", 2), ("D", 7)], "B": [("D", 1)]}
  assert cheapest_costs(g, "A") == {"A": 0, "B": 3, "C": 1, "D": 4}
  assert cheapest_costs({}, "Z") == {"Z": 0}
  """)

T("valid_sudoku_rows", "medium",
  "Check a completed 9x9 Sudoku grid (list of lists of ints): every row, column and 3x3 box must contain 1-9 exactly once. Function: `sudoku_ok(grid)`.",
  "Build all 27 groups (rows, columns, boxes) and compare each with the set {1..9}.",
  """
  def sudoku_ok(grid):
      target = set(range(1, 10))
      rows = [set(r) for r in grid]
      cols = [set(c) for c in zip(*grid)]
      boxes = [{grid[r][c] for r in range(br, br + 3) for c in range(bc, bc + 3)}
               for br in (0, 3, 6) for bc in (0, 3, 6)]
      return all(len(g) == 9 and g == target for g in rows + cols + boxes)
  """,
  """
  base = [[(3 * (r % 3) + r // 3 + c) % 9 + 1 for c in range(9)] for r in range(9)]
  assert sudoku_ok(base) is True
  broken = [row[:] for row in base]
  broken[0][0], broken[0][1] = broken[0][1], broken[0][0]
  assert sudoku_ok(broken) is False
  """)

T("game_of_life_step", "hard",
  "Compute one step of Conway's Game of Life on a finite grid of 0/1 (cells outside the grid are dead). Return a new grid. Function: `life_step(grid)`.",
  "Count live neighbours for each cell; a live cell survives with 2 or 3, a dead cell becomes alive with exactly 3.",
  """
  def life_step(grid):
      rows, cols = len(grid), len(grid[0])
      out = [[0] * cols for _ in range(rows)]
      for r in range(rows):
          for c in range(cols):
              n = sum(grid[i][j]
                      for i in range(max(0, r - 1), min(rows, r + 2))
                      for j in range(max(0, c - 1), min(cols, c + 2))
                      if (i, j) != (r, c))
              out[r][c] = 1 if n == 3 or (grid[r][c] and n == 2) else 0
      return out
  """,
  """
  blinker = [[0, 0, 0], [1, 1, 1], [0, 0, 0]]
  assert life_step(blinker) == [[0, 1, 0], [0, 1, 0], [0, 1, 0]]
  assert life_step(life_step(blinker)) == blinker
  block = [[1, 1], [1, 1]]
  assert life_step(block) == block
  """)

T("tic_tac_toe_winner", "medium",
  "Given a 3x3 tic-tac-toe board as a list of 3 strings ('X', 'O' or '.'), return 'X' or 'O' for the winner, or None. Function: `ttt_winner(board)`.",
  "Check the 8 lines (3 rows, 3 columns, 2 diagonals) for three equal non-empty marks.",
  """
  def ttt_winner(board):
      lines = [list(row) for row in board]
      lines += [[board[r][c] for r in range(3)] for c in range(3)]
      lines.append([board[i][i] for i in range(3)])
      lines.append([board[i][2 - i] for i in range(3)])
      for line in lines:
          if line[0] != "." and line.count(line[0]) == 3:
              return line[0]
      return None
  """,
  """
  assert ttt_winner(["XXX", "O.O", "..."]) == "X"
  assert ttt_winner(["XO.", "XO.", ".O."]) == "O"
  assert ttt_winner(["X.O", ".XO", "..X"]) == "X"
  assert ttt_winner(["XOX", "OXO", "OXO"]) is None
  """)

T("luhn_check", "medium",
  "Validate a card number string with the Luhn checksum (spaces allowed). Function: `luhn_valid(number)`.",
  "From the right, double every second digit (subtracting 9 if it exceeds 9), sum everything, and check the total is divisible by 10.",
  """
  def luhn_valid(number):
      digits = [int(ch) for ch in number if ch.isdigit()]
      if len(digits) < 2:
          return False
      total = 0
      for i, d in enumerate(reversed(digits)):
          if i % 2 == 1:
              d *= 2
              if d > 9:
                  d -= 9
          total += d
      return total % 10 == 0
  """,
  """
  assert luhn_valid("4539 3195 0343 6467") is True
  assert luhn_valid("8273 1232 7352 0569") is False
  assert luhn_valid("0") is False
  """)

T("isbn10_check", "medium",
  "Validate an ISBN-10 (hyphens allowed; the last character may be 'X' for 10): the weighted sum of digits with weights 10 down to 1 must be divisible by 11. Function: `isbn10_ok(code)`.",
  "Strip hyphens, check there are 10 characters, convert a final 'X' to 10, and compute the weighted sum.",
  """
  def isbn10_ok(code):
      chars = code.replace("-", "")
      if len(chars) != 10:
          return False
      total = 0
      for i, ch in enumerate(chars):
          if ch.isdigit():
              value = int(ch)
          elif ch == "X" and i == 9:
              value = 10
          else:
              return False
          total += value * (10 - i)
      return total % 11 == 0
  """,
  """
  assert isbn10_ok("3-598-21508-8") is True
  assert isbn10_ok("3-598-21507-X") is True
  assert isbn10_ok("3-598-21508-9") is False
  assert isbn10_ok("12345") is False
  """)

T("run_length_list", "easy",
  "Encode a list into (value, count) pairs for consecutive runs: [1, 1, 2, 2, 2, 1] -> [(1, 2), (2, 3), (1, 1)]. Function: `runs_of(items)`.",
  "itertools.groupby groups consecutive equal items; count each group's length.",
  """
  from itertools import groupby

  def runs_of(items):
      return [(key, len(list(group))) for key, group in groupby(items)]
  """,
  """
  assert runs_of([1, 1, 2, 2, 2, 1]) == [(1, 2), (2, 3), (1, 1)]
  assert runs_of([]) == []
  """)

T("binary_gap", "easy",
  "Return the longest run of zeros surrounded by ones in the binary form of a positive integer (e.g. 9 = 1001 -> 2). Function: `longest_binary_gap(n)`.",
  "Take bin(n), strip trailing zeros (they aren't surrounded), and split on '1' to measure the zero runs.",
  """
  def longest_binary_gap(n):
      bits = bin(n)[2:].rstrip("0")
      return max((len(run) for run in bits.split("1")), default=0)
  """,
  """
  assert longest_binary_gap(9) == 2
  assert longest_binary_gap(529) == 4
  assert longest_binary_gap(20) == 1
  assert longest_binary_gap(15) == 0
  """)

T("rock_paper_scissors", "easy",
  "Decide a rock-paper-scissors round: return 'player1', 'player2' or 'draw' given the two moves ('rock', 'paper' or 'scissors'). Function: `rps_result(a, b)`.",
  "A dict of what each move beats settles the winner; equal moves are a draw.",
  """
  def rps_result(a, b):
      beats = {"rock": "scissors", "paper": "rock", "scissors": "paper"}
      if a == b:
          return "draw"
      return "player1" if beats[a] == b else "player2"
  """,
  """
  assert rps_result("rock", "scissors") == "player1"
  assert rps_result("rock", "paper") == "player2"
  assert rps_result("paper", "paper") == "draw"
  """)

T("grade_letter", "easy",
  "Turn a numeric score 0-100 into a letter: 90+ 'A', 80+ 'B', 70+ 'C', 60+ 'D', else 'F'. Function: `letter_grade(score)`.",
  "Walk through the thresholds from highest to lowest and return the first letter whose threshold the score reaches.",
  """
  def letter_grade(score):
      for threshold, letter in ((90, "A"), (80, "B"), (70, "C"), (60, "D")):
          if score >= threshold:
              return letter
      return "F"
  """,
  """
  assert letter_grade(95) == "A"
  assert letter_grade(80) == "B"
  assert letter_grade(59.5) == "F"
  assert letter_grade(70) == "C"
  """)

T("bowling_like_total", "medium",
  "A word game scores each word by length: 1-2 letters score 0, 3-4 score 1, 5-6 score 2, 7+ score 3. Sum the score of a list of words. Function: `word_game_score(words)`.",
  "Map each length to its score with a few comparisons and sum the results.",
  """
  def word_game_score(words):
      def score(w):
          n = len(w)
          if n <= 2:
              return 0
          if n <= 4:
              return 1
          if n <= 6:
              return 2
          return 3
      return sum(score(w) for w in words)
  """,
  """
  assert word_game_score(["at", "cat", "horse", "elephant"]) == 0 + 1 + 2 + 3
  assert word_game_score([]) == 0
  """)

T("safe_divide", "easy",
  "Write `safe_divide(a, b, default=None)` that returns a / b, or the default when b is zero (catch the exception rather than checking b).",
  "Wrap the division in try/except ZeroDivisionError.",
  """
  def safe_divide(a, b, default=None):
      try:
          return a / b
      except ZeroDivisionError:
          return default
  """,
  """
  assert safe_divide(10, 4) == 2.5
  assert safe_divide(1, 0) is None
  assert safe_divide(1, 0, default=0) == 0
  """)

T("custom_exception", "medium",
  "Define an exception `InsufficientStock(item, wanted, available)` with a helpful message, and a function `take(stock, item, n)` that reduces the stock dict or raises it.",
  "Subclass Exception, store the fields, and build the message in __init__ via super().__init__.",
  """
  class InsufficientStock(Exception):
      def __init__(self, item, wanted, available):
          self.item, self.wanted, self.available = item, wanted, available
          super().__init__(f"wanted {wanted} {item}, only {available} left")

  def take(stock, item, n):
      available = stock.get(item, 0)
      if n > available:
          raise InsufficientStock(item, n, available)
      stock[item] = available - n
  """,
  """
  stock = {"bolt": 5}
  take(stock, "bolt", 2)
  assert stock["bolt"] == 3
  try:
      take(stock, "bolt", 9)
      raise AssertionError("expected InsufficientStock")
  except InsufficientStock as e:
      assert str(e) == "wanted 9 bolt, only 3 left" and e.available == 3
  """)

T("sum_squares_odd_under", "easy",
  "Return the sum of the squares of the odd numbers from 1 to n inclusive. Function: `odd_square_total(n)`.",
  "Loop over range(1, n + 1, 2) and add each square.",
  """
  def odd_square_total(n):
      return sum(i * i for i in range(1, n + 1, 2))
  """,
  """
  assert odd_square_total(5) == 35
  assert odd_square_total(1) == 1
  assert odd_square_total(0) == 0
  """)

T("enumerate_labels", "easy",
  "Turn a list of names into numbered labels starting at 1: ['a', 'b'] -> ['1. a', '2. b']. Function: `numbered(names)`.",
  "enumerate with start=1 gives the numbers directly.",
  """
  def numbered(names):
      return [f"{i}. {name}" for i, name in enumerate(names, start=1)]
  """,
  """
  assert numbered(["a", "b"]) == ["1. a", "2. b"]
  assert numbered([]) == []
  """)

T("queue_two_stacks", "medium",
  "Implement a queue with two stacks: class `StackQueue` with push(x) and pop() (FIFO order; raise IndexError when empty).",
  "Push onto an inbox stack; when popping, refill an outbox stack by reversing the inbox only when the outbox is empty.",
  """
  class StackQueue:
      def __init__(self):
          self.inbox, self.outbox = [], []

      def push(self, x):
          self.inbox.append(x)

      def pop(self):
          if not self.outbox:
              while self.inbox:
                  self.outbox.append(self.inbox.pop())
          if not self.outbox:
              raise IndexError("pop from empty queue")
          return self.outbox.pop()
  """,
  """
  q = StackQueue()
  q.push(1)
  q.push(2)
  assert q.pop() == 1
  q.push(3)
  assert q.pop() == 2 and q.pop() == 3
  try:
      q.pop()
      raise AssertionError("expected IndexError")
  except IndexError:
      pass
  """)

T("min_stack", "hard",
  "Design a `MinStack` class with push(x), pop(), top() and get_min(), all in O(1).",
  "Store pairs (value, minimum so far) on the stack, so the current minimum is always on top.",
  """
  class MinStack:
      def __init__(self):
          self.items = []

      def push(self, x):
          current_min = min(x, self.items[-1][1]) if self.items else x
          self.items.append((x, current_min))

      def pop(self):
          return self.items.pop()[0]

      def top(self):
          return self.items[-1][0]

      def get_min(self):
          return self.items[-1][1]
  """,
  """
  s = MinStack()
  s.push(5)
  s.push(2)
  s.push(7)
  assert s.get_min() == 2
  assert s.pop() == 7
  s.pop()
  assert s.get_min() == 5 and s.top() == 5
  """)
