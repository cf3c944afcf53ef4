package com.poolsbridge.ops;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import javax.sql.DataSource;

import com.poolsbridge.infra.Jdbc;
import com.poolsbridge.order.InvalidOrderException;
import com.poolsbridge.order.OrderMessage;
import com.poolsbridge.order.OrderRecord;
import com.poolsbridge.order.OrderRecords;
import com.poolsbridge.order.OrderValidator;

/**
 * Lists dead letters and re-drives the chosen ones to the order queue. Safe by construction of the order flow:
 * a re-driven order is claimed like any delivery and resumes from its record (a held quote is looked up at
 * 0Pools before anything else), so it never makes a second trade. What this adds: content that would only be
 * dead-lettered again (it fails validation, or names an order already answered) is refused unless forced, and
 * every decision is recorded in replay_record.
 */
public final class Replay {

    /** What happened to one selected dead letter. */
    public record Outcome(DeadLetter letter, String action, String detail) {
    }

    private final DeadLetterQueues queues;
    private final String orderQueue;
    private final DataSource dataSource;
    private final OrderValidator validator = new OrderValidator();
    private final OrderRecords records;

    public Replay(DeadLetterQueues queues, String orderQueue, DataSource dataSource) {
        this.queues = queues;
        this.orderQueue = orderQueue;
        this.dataSource = dataSource;
        this.records = new OrderRecords(dataSource);
    }

    public List<DeadLetter> list() throws Exception {
        return queues.list();
    }

    /** Selects by order id (parsed from the content when the headers have none), by reason code, or all. */
    public static Predicate<DeadLetter> byOrderId(List<String> orderIds) {
        return letter -> orderIds.contains(orderIdOf(letter).orElse(null));
    }

    public static Predicate<DeadLetter> byCode(List<String> codes) {
        return letter -> codes.contains(letter.code());
    }

    public List<Outcome> redrive(Predicate<DeadLetter> selection, boolean force, String operator) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (DeadLetter letter : queues.list()) {
            if (!selection.test(letter)) {
                continue;
            }
            String refusal = refusal(letter);
            Outcome outcome;
            if (refusal != null && !force) {
                outcome = new Outcome(letter, "refused", refusal + " (use --force to re-drive anyway)");
            } else if (!queues.move(letter, orderQueue)) {
                outcome = new Outcome(letter, "gone", "no longer on " + letter.queue());
            } else {
                outcome = new Outcome(letter, refusal == null ? "redriven" : "forced",
                        refusal == null ? "sent to " + orderQueue : refusal);
            }
            record(outcome, operator);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /** Why re-driving would not help, or null. */
    private String refusal(DeadLetter letter) {
        OrderMessage order;
        try {
            order = validator.parse(bytes(letter));
        } catch (InvalidOrderException e) {
            return "bad content (" + e.code() + ")";
        }
        Optional<OrderRecord> record = records.find(order.orderId());
        if (record.isPresent() && record.get().replySent()) {
            return "order " + order.orderId() + " was already answered (" + record.get().state() + ")";
        }
        return null;
    }

    private void record(Outcome outcome, String operator) {
        DeadLetter letter = outcome.letter();
        Jdbc.update(dataSource, """
                INSERT INTO replay_record (operator, dead_letter_queue, jms_message_id, order_id, dead_letter_code,
                    dead_letter_reason, action, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                Jdbc.truncate(operator, 128), letter.queue(), letter.messageId(), orderIdOf(letter).orElse(null),
                Jdbc.truncate(letter.code(), 64), Jdbc.truncate(letter.reason(), 512), outcome.action(),
                Jdbc.truncate(outcome.detail(), 512));
    }

    static Optional<String> orderIdOf(DeadLetter letter) {
        if (letter.orderId() != null) {
            return Optional.of(letter.orderId());
        }
        try {
            return Optional.of(new OrderValidator().parse(bytes(letter)).orderId());
        } catch (InvalidOrderException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(DeadLetter letter) {
        return letter.body() == null ? new byte[0] : letter.body().getBytes(StandardCharsets.UTF_8);
    }

    public static void print(List<DeadLetter> letters, PrintStream out) {
        out.printf("%-14s %-40s %-28s %-26s %s%n", "QUEUE", "MESSAGE", "ORDER", "CODE", "REASON");
        for (DeadLetter l : letters) {
            out.printf("%-14s %-40s %-28s %-26s %s%n", l.queue(), l.messageId(), orderIdOf(l).orElse("-"), l.code(),
                    l.reason());
        }
        out.println(letters.size() + " dead letter(s)");
    }
}
