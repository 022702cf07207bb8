#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial executor backed by one OS thread of its own.
///
/// libpq and libcurl block: `PQexec` waits for the server, `curl_easy_perform` for the whole SMTP
/// conversation. Running them on Swift's cooperative pool (one thread per core, two here) would
/// stall every other task. An actor whose `unownedExecutor` is a `DedicatedThread` runs all its
/// methods on that thread instead, so the blocking call parks only its own thread, and the C
/// handle the actor owns is only ever touched from one thread (libpq connections are not
/// thread-safe).
///
/// It is also a `TaskExecutor`, so `withTaskExecutorPreference(thread) { ... }` runs nonisolated
/// async code there.
public final class DedicatedThread: SerialExecutor, TaskExecutor, @unchecked Sendable {
    /// Work waiting for the thread: jobs from the Swift runtime, or plain closures.
    private enum Work {
        case job(UnownedJob)
        case closure(() -> Void)
    }

    public let name: String
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    // Guarded by `mutex`.
    private var queue: [Work] = []
    private var stopping = false
    private var thread: pthread_t? = nil

    /// Starts the thread at once; it lives until `shutdown()` (or forever, for a process-long one).
    public init(name: String) {
        self.name = name
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        let unmanaged = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { context in
            let me = Unmanaged<DedicatedThread>.fromOpaque(context!).takeRetainedValue()
            me.loop()
            return nil
        }, unmanaged.toOpaque())
        precondition(result == 0, "pthread_create failed for \(name): \(result)")
        thread = handle
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        submit(.job(UnownedJob(job)))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Runs `body` on this thread and returns its result to the awaiting task.
    ///
    /// For one-off blocking calls that need no actor state: a connect, a DNS lookup.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            submit(.closure {
                continuation.resume(with: Result { try body() })
            })
        }
    }

    /// Queues `body` to run on this thread and returns at once. For work that must happen there
    /// but that nobody awaits: an owner's `deinit` handing its C handle back to the one thread
    /// that ever touched it.
    public func execute(_ body: @escaping @Sendable () -> Void) {
        submit(.closure(body))
    }

    /// Lets queued work finish, then ends the thread. Work submitted afterwards still runs if the
    /// thread has not yet drained; callers stop submitting before they shut down.
    public func shutdown() {
        pthread_mutex_lock(&mutex)
        stopping = true
        pthread_cond_signal(&condition)
        let handle = thread
        thread = nil
        pthread_mutex_unlock(&mutex)
        if let handle, !pthread_equal(handle, pthread_self()).isTrue {
            pthread_join(handle, nil)
        } else if let handle {
            pthread_detach(handle)
        }
    }

    /// True when the caller is running on this thread.
    public var isCurrent: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard let thread else { return false }
        return pthread_equal(thread, pthread_self()).isTrue
    }

    private func submit(_ work: Work) {
        pthread_mutex_lock(&mutex)
        queue.append(work)
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    private func loop() {
        var batch: [Work] = []
        while true {
            pthread_mutex_lock(&mutex)
            while queue.isEmpty && !stopping {
                pthread_cond_wait(&condition, &mutex)
            }
            if queue.isEmpty && stopping {
                pthread_mutex_unlock(&mutex)
                return
            }
            swap(&batch, &queue)
            pthread_mutex_unlock(&mutex)
            for work in batch {
                switch work {
                case .job(let job):
                    job.runSynchronously(
                        isolatedTo: asUnownedSerialExecutor(),
                        taskExecutor: asUnownedTaskExecutor()
                    )
                case .closure(let body):
                    body()
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

private extension Int32 {
    var isTrue: Bool { self != 0 }
}
