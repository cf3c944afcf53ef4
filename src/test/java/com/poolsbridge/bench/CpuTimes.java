package com.poolsbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time from Linux's /proc, for the benchmark's CPU per order: a process's (all its threads), its JIT
 * compiler threads', and every PostgreSQL process's (the server and its backends). Times are in seconds;
 * /proc counts them in clock ticks of 1/100 s.
 */
record CpuTimes(double process, double jit, double postgres) {

    private static final double TICKS_PER_SECOND = 100.0;

    /** Now, for the process {@code pid}. */
    static CpuTimes of(long pid) throws IOException {
        double process = 0;
        double jit = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                double used = ticks(task);
                process += used;
                String name = comm(task);
                jit += name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? used : 0;
            }
        }
        double postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                postgres += "postgres".equals(comm(p)) ? ticks(p) : 0;
            }
        }
        return new CpuTimes(process / TICKS_PER_SECOND, jit / TICKS_PER_SECOND, postgres / TICKS_PER_SECOND);
    }

    /** What was used from {@code earlier} to this. */
    CpuTimes since(CpuTimes earlier) {
        return new CpuTimes(process - earlier.process, jit - earlier.jit, postgres - earlier.postgres);
    }

    CpuTimes plus(CpuTimes other) {
        return new CpuTimes(process + other.process, jit + other.jit, postgres + other.postgres);
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
