package dev.dataenc.bench;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link ServiceBenchmark} with as many threads as the machine has cores, all sharing one
 * {@link dev.dataenc.inject.DataEncService} (and so one usage counter per CDK and one CDK cache).
 * Scores are the sum over all threads.
 */
@Threads(Threads.MAX)
public class ServiceBenchmarkThreads extends ServiceBenchmark {
}
