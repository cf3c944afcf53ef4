package com.poolsbridge.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes the approver's evidence packet: {@code check-<time>.json} (machine-readable) and {@code check-<time>.md}
 * (readable). It holds the environment, host, key modes, and per step its result, evidence, request ids, ids and
 * timestamps; never a key, secret or customer data (every text passed through {@link Evidence#oneLine}).
 */
final class EvidencePacket {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What the packet says about the run as a whole. */
    record Run(String environment, String host, String keyMode, String publishableKeyMode, boolean controlledOrder,
               Instant startedAt, Instant finishedAt) {
    }

    private EvidencePacket() {
    }

    /** @return the two files written */
    static List<Path> write(Path dir, Run run, List<StepResult> results) throws IOException {
        Files.createDirectories(dir);
        String stem = "check-" + FILE_TIME.format(run.startedAt());
        Path json = dir.resolve(stem + ".json");
        Path markdown = dir.resolve(stem + ".md");
        Files.writeString(json, JSON.writeValueAsString(json(run, results)), StandardCharsets.UTF_8);
        Files.writeString(markdown, markdown(run, results), StandardCharsets.UTF_8);
        return List.of(json, markdown);
    }

    private static ObjectNode json(Run run, List<StepResult> results) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tool", "pools-bridge check");
        root.put("result", passed(results) ? "PASS" : "FAIL");
        ArrayNode failed = root.putArray("failedSteps");
        results.stream().filter(r -> !r.passed()).forEach(r -> failed.add(r.name()));
        root.put("environment", run.environment());
        root.put("host", run.host());
        root.put("keyMode", run.keyMode());
        root.put("publishableKeyMode", run.publishableKeyMode());
        root.put("controlledOrder", run.controlledOrder());
        root.put("startedAt", run.startedAt().toString());
        root.put("finishedAt", run.finishedAt().toString());
        ArrayNode steps = root.putArray("steps");
        for (StepResult r : results) {
            ObjectNode step = steps.addObject();
            step.put("step", r.name());
            step.put("result", r.result());
            step.put("evidence", Evidence.oneLine(r.evidence()));
            ArrayNode ids = step.putArray("requestIds");
            r.requestIds().forEach(id -> ids.add(Evidence.oneLine(id)));
            ObjectNode named = step.putObject("ids");
            r.ids().forEach((k, v) -> named.put(k, Evidence.oneLine(v)));
            step.put("startedAt", r.startedAt().toString());
            step.put("finishedAt", r.finishedAt().toString());
        }
        return root;
    }

    private static String markdown(Run run, List<StepResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("# pools-bridge launch readiness check: ").append(passed(results) ? "PASS" : "FAIL").append("\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| environment | ").append(run.environment()).append(" |\n");
        md.append("| 0Pools host | ").append(cell(run.host())).append(" |\n");
        md.append("| key mode | secret ").append(run.keyMode()).append(", publishable ").append(run.publishableKeyMode())
                .append(" |\n");
        md.append("| controlled order | ").append(run.controlledOrder() ? "yes" : "no (readiness steps only)").append(" |\n");
        md.append("| started / finished (UTC) | ").append(run.startedAt()).append(" / ").append(run.finishedAt()).append(" |\n\n");
        md.append("| step | result | evidence | ids | 0Pools request ids | time (UTC) |\n|---|---|---|---|---|---|\n");
        for (StepResult r : results) {
            StringBuilder ids = new StringBuilder();
            r.ids().forEach((k, v) -> ids.append(ids.isEmpty() ? "" : "<br>").append(k).append(' ').append(cell(v)));
            md.append("| ").append(r.name()).append(" | **").append(r.result()).append("** | ")
                    .append(cell(r.evidence())).append(" | ").append(ids.isEmpty() ? "-" : ids)
                    .append(" | ").append(r.requestIds().isEmpty() ? "-" : cell(String.join(", ", r.requestIds())))
                    .append(" | ").append(r.startedAt()).append(" |\n");
        }
        md.append("\nGive 0Bit support the request ids, quote and trade ids above; never a key or secret.\n");
        return md.toString();
    }

    private static String cell(String text) {
        return Evidence.oneLine(text).replace("|", "\\|");
    }

    static boolean passed(List<StepResult> results) {
        return results.stream().allMatch(StepResult::passed);
    }
}
