package io.github.drsn.model.layers.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The worker threads of {@link Kernels#parallel}. A training step makes about 300 short parallel
 * calls (one per kernel phase, 0.1-2 ms each); with the common fork-join pool a worker parked between
 * them and woke late, and the caller spent a quarter of the step waiting (profiled). Here a worker spins
 * for {@value #SPIN_NANOS} ns after each task before it parks, the caller is only woken-up-for when a
 * worker is parked, and caller and workers take chunks from a shared counter.
 *
 * <p>One task runs at a time; a call made while another is running (another thread's network) runs
 * its chunks inline on the calling thread. Workers are daemon threads.
 */
final class KernelThreads {

  /** How long an idle worker spins before parking. */
  static final long SPIN_NANOS = 200_000;

  private static final ReentrantLock RUNNING = new ReentrantLock();
  private static final List<Worker> WORKERS = new ArrayList<>();
  /** Published when a call is over, so that no worker keeps the last call's body (and its arrays) alive. */
  private static final Task IDLE = new Task(c -> { }, 0, 0);
  private static volatile Task current = IDLE;

  private KernelThreads() {
  }

  /** Runs {@code body} for chunks 0 .. chunks-1 on up to {@code threads} threads (the caller included). */
  static void run(int chunks, int threads, IntConsumer body) {
    if (threads <= 1 || chunks <= 1 || !RUNNING.tryLock()) {
      for (int c = 0; c < chunks; c++) {
        body.accept(c);
      }
      return;
    }
    try {
      int helpers = Math.min(threads, chunks) - 1;
      ensureWorkers(helpers);
      Task task = new Task(body, chunks, helpers);
      current = task;
      for (Worker w : WORKERS) {
        if (w.parked) {
          LockSupport.unpark(w.thread);
        }
      }
      task.work();
      while (task.done.get() < chunks) {
        Thread.onSpinWait();
      }
      current = IDLE;
      Throwable failure = task.failure.get();
      if (failure instanceof RuntimeException e) {
        throw e;
      } else if (failure instanceof Error e) {
        throw e;
      } else if (failure != null) {
        throw new IllegalStateException(failure);
      }
    } finally {
      RUNNING.unlock();
    }
  }

  private static void ensureWorkers(int count) {
    while (WORKERS.size() < count) {
      Worker w = new Worker(WORKERS.size());
      w.thread = new Thread(w, "drsn-kernels-" + (WORKERS.size() + 1));
      w.thread.setDaemon(true);
      w.thread.start();
      WORKERS.add(w);
    }
  }

  /** One parallel call: its body and its own chunk counters, so a late worker cannot mix two calls. */
  private static final class Task {
    final IntConsumer body;
    final int chunks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Workers 0 .. helpers-1 take part (the caller always does). */
    final int helpers;

    Task(IntConsumer body, int chunks, int helpers) {
      this.body = body;
      this.chunks = chunks;
      this.helpers = helpers;
    }

    void work() {
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        try {
          body.accept(c);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
        done.incrementAndGet();
      }
    }
  }

  private static final class Worker implements Runnable {
    final int index;
    Thread thread;
    volatile boolean parked;

    Worker(int index) {
      this.index = index;
    }

    @Override
    public void run() {
      Task seen = IDLE;
      while (true) {
        long idleSince = System.nanoTime();
        Task task;
        while ((task = current) == seen) {
          if (System.nanoTime() - idleSince < SPIN_NANOS) {
            Thread.onSpinWait();
            continue;
          }
          parked = true;
          if (current == seen) {
            LockSupport.park(this);
          }
          parked = false;
          idleSince = System.nanoTime();
        }
        seen = task;
        if (index < task.helpers) {
          task.work();
        }
      }
    }
  }
}
