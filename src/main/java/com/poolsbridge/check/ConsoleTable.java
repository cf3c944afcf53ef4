package com.poolsbridge.check;

import java.io.PrintStream;
import java.util.List;

/** The check's results as a table on the console: step, result, evidence, request id. */
final class ConsoleTable {

    private static final int EVIDENCE_WIDTH = 110;

    private ConsoleTable() {
    }

    static void print(PrintStream out, List<StepResult> results) {
        String format = "%-20s %-6s %-" + EVIDENCE_WIDTH + "s %s%n";
        out.printf(format, "STEP", "RESULT", "EVIDENCE", "REQUEST ID");
        for (StepResult r : results) {
            String evidence = r.evidence().length() <= EVIDENCE_WIDTH ? r.evidence()
                    : r.evidence().substring(0, EVIDENCE_WIDTH - 3) + "...";
            String requestId = r.requestIds().isEmpty() ? "-" : r.requestIds().get(r.requestIds().size() - 1)
                    + (r.requestIds().size() > 1 ? " (+" + (r.requestIds().size() - 1) + ")" : "");
            out.printf(format, r.name(), r.result(), evidence, requestId);
        }
    }
}
