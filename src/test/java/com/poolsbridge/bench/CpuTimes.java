package com.poolsbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time from Linux's /proc, for the benchmark's CPU per order, by where it was spent: the app's process (all its
 * threads) and its JIT compiler threads, the broker's process, every PostgreSQL process (the server and its
 * backends), this benchmark JVM (the sandbox, the TCP proxies, the senders and collectors, and the bare reference
 * when it drains), and the whole machine (every process and the kernel: what a drain on busy cores is limited
 * by). Times are in seconds; /proc counts them in clock ticks of 1/100 s. A process's figure includes its threads
 * that have ended; the JIT figure counts only the compiler threads alive at the end of a span (HotSpot starts and
 * stops them as its compile queue grows and shrinks, and an ended thread's time is no longer listed), so it is a
 * lower bound, never negative.
 *
 * @param compilerThreads the app's JIT compiler threads' times by thread id (in a reading, empty in a span)
 */
record CpuTimes(double app, double jit, double broker, double postgres, double benchmark, double machine,
                Map<Long, Double> compilerThreads) {

    private static final double TICKS_PER_SECOND = 100.0;
    static final CpuTimes NONE = new CpuTimes(0, 0, 0, 0, 0, 0, Map.of());

    /** Now, for the app's process {@code appPid} and the broker's {@code brokerPid}. */
    static CpuTimes of(long appPid, long brokerPid) throws IOException {
        Map<Long, Double> compilerThreads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(appPid), "task"))) {
            for (Path task : tasks.toList()) {
                String name = comm(task);
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    compilerThreads.put(Long.valueOf(task.getFileName().toString()), ticks(task) / TICKS_PER_SECOND);
                }
            }
        }
        double app = ticks(Path.of("/proc", Long.toString(appPid)));
        double jit = compilerThreads.values().stream().mapToDouble(Double::doubleValue).sum();
        double postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                postgres += "postgres".equals(comm(p)) ? ticks(p) : 0;
            }
        }
        double broker = ticks(Path.of("/proc", Long.toString(brokerPid)));
        double benchmark = ticks(Path.of("/proc", Long.toString(ProcessHandle.current().pid())));
        return new CpuTimes(app / TICKS_PER_SECOND, jit, broker / TICKS_PER_SECOND, postgres / TICKS_PER_SECOND,
                benchmark / TICKS_PER_SECOND, machineTicks() / TICKS_PER_SECOND, Map.copyOf(compilerThreads));
    }

    /** What was used from {@code earlier} to this. */
    CpuTimes since(CpuTimes earlier) {
        double compiled = compilerThreads.entrySet().stream()
                .mapToDouble(t -> t.getValue() - earlier.compilerThreads.getOrDefault(t.getKey(), 0.0)).sum();
        return new CpuTimes(app - earlier.app, compiled, broker - earlier.broker, postgres - earlier.postgres,
                benchmark - earlier.benchmark, machine - earlier.machine, Map.of());
    }

    CpuTimes plus(CpuTimes other) {
        return new CpuTimes(app + other.app, jit + other.jit, broker + other.broker, postgres + other.postgres,
                benchmark + other.benchmark, machine + other.machine, Map.of());
    }

    /** Milliseconds per order of each part, for {@code orders} orders, as one line of the report. */
    String perOrder(double orders) {
        double ms = 1000 / orders;
        return String.format(Locale.ROOT, "app JVM %.1f ms (its JIT compiler threads %.1f), broker %.1f, "
                + "PostgreSQL %.1f, benchmark JVM %.1f, whole machine %.1f", app * ms, jit * ms, broker * ms,
                postgres * ms, benchmark * ms, machine * ms);
    }

    /** The whole machine's busy time so far, in seconds (see {@link #machineTicks()}). */
    static double machineSeconds() throws IOException {
        return machineTicks() / TICKS_PER_SECOND;
    }

    /** Busy time of all cores: user, nice, system, irq and softirq of /proc/stat's first line (not idle, iowait, steal). */
    private static long machineTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7}) {
            busy += Long.parseLong(cpu[field]);
        }
        return busy;
    }

    /** utime + stime of a process or thread; 0 once it is gone. */
    private static double ticks(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String comm(Path dir) {
        try {
            return Files.readString(dir.resolve("comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
