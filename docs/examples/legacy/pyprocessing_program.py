# A program written for pyprocessing 0.52 and Python 2.6 threading names, left unchanged.
import threading

import processing


def greet(queue):
    queue.put("hello from " + processing.currentProcess().getName())


if __name__ == "__main__":
    queue = processing.Queue()
    worker = processing.Process(target=greet, args=(queue,))
    worker.setName("legacy-worker")
    worker.start()
    print(queue.get())
    worker.join()
    print("main thread: " + threading.currentThread().getName())
