import threading
import time

from runtime.queue import FairQueue


def test_fifo_order_and_positions():
    q = FairQueue()
    first = q.join()
    assert q.wait(first, timeout=1)
    tickets = [q.join() for _ in range(5)]
    assert [q.position(t) for t in tickets] == [1, 2, 3, 4, 5]
    assert q.position(first) == 0 and len(q) == 5
    served: list[int] = []

    def worker(t):
        q.wait(t)
        served.append(t)
        time.sleep(0.01)
        q.release(t)

    threads = [threading.Thread(target=worker, args=(t,)) for t in reversed(tickets)]
    for th in threads:
        th.start()
    time.sleep(0.05)
    q.release(first)
    for th in threads:
        th.join(5)
    assert served == tickets


def test_leaving_the_line_moves_others_up():
    q = FairQueue()
    a, b, c = q.join(), q.join(), q.join()
    assert q.wait(a, timeout=1)
    q.release(b)  # b gives up while waiting
    assert q.position(c) == 1
    assert not q.wait(c, timeout=0.05)
    q.release(a)
    assert q.wait(c, timeout=1)
    assert q.position(b) == -1
